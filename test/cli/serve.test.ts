/**
 * `sflowkit serve` as a user runs it: with --demo it receives the generator's data center at once and answers
 * on its REST API; SIGTERM stops it cleanly; a bad setting stops it at start with a message naming it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { LOOPBACK_FLAGS } from '../serve/serve-support.js';

const MAIN = new URL('../../src/cli/main.js', import.meta.url).pathname;

test('serve --demo: live data on the REST API, then a clean stop on SIGTERM', async () => {
  const child = spawn(process.execPath, [MAIN, 'serve', '--demo', ...LOOPBACK_FLAGS], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout });
    let httpPort: number | undefined;
    for await (const line of lines) {
      const entry = JSON.parse(line) as { httpPort?: number; msg: string };
      if (entry.httpPort !== undefined) {
        httpPort = entry.httpPort;
        break;
      }
    }
    assert.ok(httpPort, 'the start line gives the HTTP port');
    const url = `http://127.0.0.1:${httpPort}`;
    let analyzer = { sFlowDatagramsReceived: 0, agents: 0 };
    for (let i = 0; i < 50 && analyzer.sFlowDatagramsReceived === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      analyzer = (await (await fetch(`${url}/analyzer/json`)).json()) as typeof analyzer;
    }
    assert.ok(analyzer.sFlowDatagramsReceived > 0, 'the demo data center is heard');
    assert.ok(analyzer.agents > 0);
    assert.equal(
      await (await fetch(`${url}/version`)).text(),
      process.env.npm_package_version ?? (await version()),
    );
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  } finally {
    child.kill('SIGKILL');
  }
});

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')).version;
}

test('a bad setting stops serve at start, naming the setting and its source', () => {
  const r = spawnSync(process.execPath, [MAIN, 'serve', '--http-port', '80a'], {
    encoding: 'utf8',
    env: { ...process.env, SFLOWKIT_SFLOW_PORT: '99999' },
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /sflowPort from environment variable SFLOWKIT_SFLOW_PORT/);
  const flag = spawnSync(process.execPath, [MAIN, 'serve', '--http-port', '80a'], { encoding: 'utf8' });
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /httpPort from .*--http-port.*80a/);
});

test('serve --help lists the settings', () => {
  const r = spawnSync(process.execPath, [MAIN, 'serve', '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  for (const flag of ['--sflow-port', '--http-port', '--http-host', '--demo', '--log-level', '--api-token'])
    assert.match(r.stdout, new RegExp(flag));
});
