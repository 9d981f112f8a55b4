/**
 * `sflowkit acl-server` as a process, without root (dry-run back-end on 127.0.0.1): it starts and says where it
 * listens, takes a PUT, stops cleanly on SIGTERM; a bad setting stops it at start with exit 2 and the reason.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';

const ENTRY = new URL('./acl-server-entry.js', import.meta.url).pathname;

test('acl-server starts, applies a PUT to its directory, and exits 0 on SIGTERM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sfk-acl-cli-'));
  const child = spawn(
    process.execPath,
    [
      ENTRY,
      'acl-server',
      '--backend',
      'dry-run',
      '--dir',
      dir,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--token',
      't',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let port: number | undefined;
    for await (const line of createInterface({ input: child.stdout })) {
      const entry = JSON.parse(line) as { port?: number; config?: { token?: string } };
      if (entry.port !== undefined) {
        assert.equal(entry.config?.token, '(set)', 'the token is not logged');
        port = entry.port;
        break;
      }
    }
    assert.ok(port);
    const r = await fetch(`http://127.0.0.1:${port}/acl/cli1`, {
      method: 'PUT',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify(['[iptables]', '-A INPUT -j DROP']),
    });
    assert.equal(r.status, 201);
    assert.equal(await readFile(join(dir, '50rest-cli1.rules'), 'utf8'), '[iptables]\n-A INPUT -j DROP\n');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  } finally {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('a bad setting stops acl-server at start with exit 2, naming it; --help lists the settings', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [ENTRY, 'acl-server', ...args], { encoding: 'utf8' });
  const bad = run('--port', '80a', '--token', 't');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^sflowkit acl-server: port from --port: must be an integer/);
  const open = run('--backend', 'dry-run');
  assert.equal(open.status, 2);
  assert.match(open.stderr, /no credentials/);
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--batch-ms MS/);
});
