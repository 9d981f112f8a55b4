/**
 * `sflowkit decode --ndjson` end to end: the real command, a real UDP socket on loopback (IPv4 and IPv6) and real
 * capture files; bad datagrams print an error object and decoding goes on.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { switchDatagram } from '../../src/generator/switch-datagram.js';
import { CORPUS, NO_CORPUS } from '../support/corpus.js';

const MAIN = 'dist/src/cli/main.js';

function start(args: string[]): {
  child: ChildProcess;
  lines: string[];
  next: (n: number) => Promise<unknown[]>;
} {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  const next = async (n: number) => {
    const until = Date.now() + 5000;
    while (lines.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return lines.splice(0, n).map((l) => JSON.parse(l));
  };
  return { child, lines, next };
}

async function boundPort(child: ChildProcess): Promise<number> {
  let err = '';
  for await (const chunk of child.stderr!) {
    err += chunk;
    const m = /listening on UDP port (\d+)/.exec(err);
    if (m) return Number(m[1]);
  }
  throw new Error(`no port announced: ${err}`);
}

test('decode -p: datagrams over IPv4 and IPv6 loopback become NDJSON; a bad one is an error object', async () => {
  const { child, next } = start(['decode', '--ndjson', '-p', '0']);
  try {
    const port = await boundPort(child);
    const good = switchDatagram();
    const bad = Buffer.from(good.subarray(0, 40));
    const v4 = createSocket('udp4');
    const v6 = createSocket('udp6');
    v4.send(good, port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 50));
    v4.send(bad, port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 50));
    v6.send(good, port, '::1');
    const [a, b, c] = (await next(3)) as Record<string, unknown>[];
    v4.close();
    v6.close();
    assert.equal(a.source, '127.0.0.1');
    assert.equal(a.size, good.length);
    assert.equal((a.datagram as { samples: unknown[] }).samples.length, 8);
    assert.equal((b.error as { code: string }).code, 'COUNT_TOO_LARGE');
    assert.equal(b.hex, bad.toString('hex'));
    assert.equal(c.source, '::1');
    assert.deepEqual(c.datagram, a.datagram);
  } finally {
    child.kill('SIGINT');
    await once(child, 'exit');
  }
});

test('decode rejects unknown options with a message and exit code 2', async () => {
  const child = spawn(process.execPath, [MAIN, 'decode', '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => {
    err += c;
  });
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(err, /bogus/);
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const [code] = (await once(child, 'exit')) as [number];
  return { code, out, err };
}

test('demo writes a capture of its own and decodes it', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sflowkit-')), 'demo.pcap');
  const { code, out } = await run(['demo', '--out', file, '--count', '4']);
  assert.equal(code, 0);
  // sflowtool's text: a block per datagram, with the generator's sequence numbers.
  assert.equal(out.split('startDatagram ').length - 1, 4);
  assert.deepEqual(
    [...out.matchAll(/^packetSequenceNo (\d+)$/gm)].map((m) => Number(m[1])),
    [42, 43, 44, 45],
  );
  // The file is a real capture: reading it again gives the same output.
  assert.equal((await run(['decode', '-r', file])).out, out);
  const ndjson = (await run(['decode', '--ndjson', '-r', file])).out.trim().split('\n');
  assert.deepEqual(
    ndjson.map((l) => JSON.parse(l).datagram.sequenceNumber),
    [42, 43, 44, 45],
  );
});

test('decode -r on a real capture: one line per datagram, errors as objects', {
  skip: NO_CORPUS,
}, async () => {
  const { code, out } = await run([
    'decode',
    '--ndjson',
    '-r',
    join(CORPUS, 'pcap', 'tcpdump-sflow_multiple_counter_30_pdus.pcap'),
  ]);
  assert.equal(code, 0);
  const lines = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 30);
  assert.equal(lines.filter((l) => l.error?.code === 'UNSUPPORTED_VERSION').length, 5);
  assert.ok(lines.every((l) => l.datagram || l.hex));
});

test('decode -r on a damaged file says so and keeps what came before', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-'));
  const file = join(dir, 'demo.pcap');
  await run(['demo', '--out', file, '--count', '2']);
  const bytes = readFileSync(file);
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
  const { code, out, err } = await run(['decode', '--ndjson', '-r', cut]);
  assert.equal(code, 1);
  assert.equal(out.trim().split('\n').length, 1);
  assert.match(err, /cut\.pcap/);
});
