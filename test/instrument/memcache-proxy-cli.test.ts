/**
 * `sflowkit memcache-proxy` as a command: bad options exit 2 naming the problem; settings come from the host
 * agent's auto file (agent address, sampling.memcache, polling, collectors) and follow its next revision.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type AutoSettings, writeAutoFile } from '../../src/agent/host/auto-file.js';
import { memcacheProxyCommand } from '../../src/cli/memcache-proxy-command.js';
import { decodeDatagram } from '../../src/sflow/index.js';
import type { Datagram } from '../../src/sflow/model.js';
import { TextClient } from './memcache-client.js';
import { freePort, type Memcached, startMemcached } from './memcached.js';

const MAIN = new URL('../../src/cli/main.js', import.meta.url).pathname;

let memcached: Memcached;
before(async () => {
  memcached = await startMemcached();
});
after(async () => {
  await memcached?.stop();
});

/** The command in this process (spawning one per case costs a Node start each): its exit code and stderr. */
async function run(args: string[]): Promise<[number, string]> {
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    return [await memcacheProxyCommand(args), stderr];
  } finally {
    process.stderr.write = write;
  }
}

test('bad options: exit 2 and a message that names the option', async () => {
  const cases: [string[], RegExp][] = [
    [[], /--listen HOST:PORT is required/],
    [['--listen', 'nowhere'], /--listen nowhere: expected HOST:PORT/],
    [['--listen', '127.0.0.1:11311', '--upstream', '127.0.0.1:0'], /--upstream/],
    [['--listen', '127.0.0.1:11311', '--sampling=-3'], /--sampling -3: expected an integer/],
    [['--listen', '127.0.0.1:11311', '--polling', 'often'], /--polling often/],
    [['--listen', '127.0.0.1:11311', '--collector', 'collector.example'], /--collector collector\.example/],
    [['--listen', '127.0.0.1:11311', '--agent-address', 'me'], /--agent-address me/],
    [['--listen', '127.0.0.1:11311', '--max-pending', '0'], /--max-pending 0/],
    [['--listen', '127.0.0.1:11311', '--log-level', 'loud'], /--log-level loud/],
    [['--listen', '127.0.0.1:11311', '--colour'], /colour/],
  ];
  for (const [args, message] of cases) {
    const [code, stderr] = await run(args);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, message);
  }
  // Through sflowkit itself once.
  const help = spawnSync(process.execPath, [MAIN, 'memcache-proxy', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--auto-file FILE/);
});

/** A UDP socket that keeps the datagrams it gets. */
async function collector() {
  const datagrams: Datagram[] = [];
  const s = createSocket('udp4');
  s.on('message', (m) => datagrams.push(decodeDatagram(m)));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return { datagrams, port: s.address().port, close: () => s.close() };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('settings from the auto file, and from its next revision', async (t) => {
  const [first, second] = [await collector(), await collector()];
  t.after(() => {
    first.close();
    second.close();
  });
  const file = join(mkdtempSync(join(tmpdir(), 'sflowkit-mc-')), 'hsflowd.auto');
  const settings = (revision: number, port: number): AutoSettings => ({
    revision,
    hostname: 'test',
    agentAddress: '192.0.2.55',
    polling: 1,
    sampling: 400,
    samplingBy: { memcache: 1 },
    headerBytes: 128,
    datagramBytes: 1400,
    collectors: [{ address: '127.0.0.1', port }],
  });
  await writeAutoFile(file, settings(1, first.port));
  const port = await freePort();
  const args = [
    '--listen',
    `127.0.0.1:${port}`,
    '--upstream',
    `127.0.0.1:${memcached.port}`,
    '--auto-file',
    file,
  ];
  const child: ChildProcess = spawn(
    process.execPath,
    [MAIN, 'memcache-proxy', ...args, '--log-level', 'warn'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.after(() => child.kill('SIGKILL'));
  let client: TextClient | undefined;
  for (let i = 0; i < 100 && client === undefined; i++)
    client = await TextClient.connect(port).catch(async () => {
      await new Promise((r) => setTimeout(r, 50));
      return undefined;
    });
  assert.ok(client, 'the proxy listens');
  assert.equal(await client.call('get cli:key'), 'END\r\n');

  const flowsIn = (c: { datagrams: Datagram[] }) =>
    c.datagrams.flatMap((d) => d.samples.map((s) => ({ d, s }))).filter(({ s }) => s.name === 'flow_sample');
  await until(() => flowsIn(first).length > 0, 3000, 'a flow sample at the first collector');
  const { d, s } = flowsIn(first)[0];
  assert.deepEqual([d.agentAddress, d.subAgentId], ['192.0.2.55', port]);
  assert.deepEqual(
    ['sourceIdIndex' in s && s.sourceIdIndex, 'samplingRate' in s && s.samplingRate],
    [port, 1],
  );

  await writeAutoFile(file, settings(2, second.port));
  const counters = () =>
    [first, second].some((c) => c.datagrams.some((x) => x.samples.some((y) => y.name === 'counters_sample')));
  // Read again within a polling interval (1 s): the next operation's sample goes to the new collector.
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(await client.call('get cli:key'), 'END\r\n');
  await until(() => flowsIn(second).length > 0, 3000, 'a flow sample at the second collector');
  await until(counters, 2000, 'a counter sample every second');
  client.close();
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
