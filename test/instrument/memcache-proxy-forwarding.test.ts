/**
 * The memcache proxy forwards, byte for byte: the same requests (text and binary, pipelined, errors included)
 * get the same answers through the proxy, sent in small random pieces, as from memcached directly; libmemcached's
 * protocol conformance tester (memccapable, Debian's libmemcached-tools) passes through it with every connection
 * followed; a client that does not read holds back the server instead of filling the proxy's memory.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { binaryRequest, INCR_EXTRAS, SET_EXTRAS, TextClient } from './memcache-client.js';
import { startProxy } from './memcache-rig.js';
import { type Memcached, startMemcached } from './memcached.js';

const MEMCCAPABLE = '/usr/bin/memccapable';

let direct: Memcached;
let proxied: Memcached;

before(async () => {
  [direct, proxied] = await Promise.all([startMemcached(), startMemcached()]);
});
after(async () => {
  await Promise.all([direct?.stop(), proxied?.stop()]);
});

/** Two requests memcached reads as two: a key too long (its data line is then a command), a bad data chunk. */
const TEXT: string[] = [
  'set a 0 0 5\r\nhello\r\n',
  'get a b\r\n',
  'gets a\r\n',
  'set b 0 0 3 noreply\r\nxyz\r\n',
  'get a b c d\r\n',
  'append a 0 0 1\r\n!\r\n',
  'prepend nope 0 0 1\r\nx\r\n',
  'cas a 0 0 1 1\r\nz\r\n',
  'incr a 1\r\n',
  'set n 0 0 2\r\n10\r\n',
  'incr n 5\r\n',
  'decr n 100\r\n',
  'touch a 10\r\n',
  'gat 10 a n\r\n',
  'gats 10 a\r\n',
  'delete b\r\n',
  'delete b\r\n',
  'delete n noreply\r\n',
  `set big 0 0 200000\r\n${'x\r\n'.repeat(66_666)}xy\r\n`,
  'get big a\r\n',
  'set k 0 0 abc\r\n',
  `set ${'k'.repeat(300)} 0 0 1\r\nx\r\n`,
  `set huge 0 0 2000000\r\n${'h'.repeat(2_000_000)}\r\n`,
  'set bad 0 0 3\r\nabcd\r\n',
  'flush_all noreply\r\n',
  'get a\r\n',
  'version\r\n',
  'verbosity 0\r\n',
  'bogus  command\r\n',
  'GET a\r\n',
  'quit\r\n',
];
const TEXT_OPERATIONS = TEXT.length + 2;

const BINARY: Buffer[] = [
  binaryRequest({ opcode: 0x01, key: 'a', extras: SET_EXTRAS, value: 'hello', opaque: 1 }),
  binaryRequest({ opcode: 0x00, key: 'a', opaque: 2 }),
  binaryRequest({ opcode: 0x09, key: 'miss', opaque: 3 }),
  binaryRequest({ opcode: 0x0d, key: 'a', opaque: 4 }),
  binaryRequest({ opcode: 0x0a, opaque: 5 }),
  binaryRequest({ opcode: 0x02, key: 'a', extras: SET_EXTRAS, value: 'x', opaque: 6 }),
  binaryRequest({ opcode: 0x01, key: 'n', extras: SET_EXTRAS, value: '41' }),
  binaryRequest({ opcode: 0x05, key: 'n', extras: INCR_EXTRAS, opaque: 7 }),
  binaryRequest({ opcode: 0x11, key: 'q', extras: SET_EXTRAS, value: 'quiet' }),
  binaryRequest({ opcode: 0x01, key: 'big', extras: SET_EXTRAS, value: 'b'.repeat(300_000) }),
  binaryRequest({ opcode: 0x0c, key: 'big' }),
  binaryRequest({ opcode: 0x04, key: 'q' }),
  binaryRequest({ opcode: 0x0b }),
  binaryRequest({ opcode: 0x08 }),
  binaryRequest({ opcode: 0x07 }),
];

/** A small deterministic generator, so a failing cut can be replayed. */
function pieces(bytes: Buffer, seed: number): Buffer[] {
  let x = seed;
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    x = (x * 1103515245 + 12345) >>> 0;
    const n = 1 + (x % (x % 7 === 0 ? 20_000 : 300));
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** Sends `chunks` one by one (a turn of the event loop apart) and returns all the server sends until it closes. */
async function exchange(port: number, chunks: Buffer[]): Promise<Buffer> {
  const s = connect(port, '127.0.0.1');
  s.setNoDelay(true);
  const got: Buffer[] = [];
  s.on('data', (d: Buffer) => got.push(d));
  const closed = new Promise<void>((r) => s.on('close', () => r()));
  await new Promise<void>((r) => s.once('connect', () => r()));
  for (const c of chunks) {
    if (!s.write(c)) await new Promise((r) => s.once('drain', r));
    if (chunks.length > 1) await new Promise((r) => setImmediate(r));
  }
  await closed;
  return Buffer.concat(got);
}

test('byte for byte: the same answers through the proxy, sent in pieces, as from memcached directly', async (t) => {
  const rig = await startProxy(proxied.port, { samplingRate: 3 });
  t.after(() => rig.stop());
  const text = Buffer.from(TEXT.join(''), 'latin1');
  const binary = Buffer.concat(BINARY);
  const [textDirect, binaryDirect] = [
    await exchange(direct.port, [text]),
    await exchange(direct.port, [binary]),
  ];
  const [textProxied, binaryProxied] = [
    await exchange(rig.port, pieces(text, 7)),
    await exchange(rig.port, pieces(binary, 11)),
  ];
  assert.ok(
    textDirect.toString('latin1').includes('SERVER_ERROR object too large'),
    'the script reaches its end',
  );
  assert.ok(textDirect.length > 200_000 && binaryDirect.length > 300_000);
  assert.ok(textProxied.equals(textDirect), 'text answers differ');
  assert.ok(binaryProxied.equals(binaryDirect), 'binary answers differ');
  assert.deepEqual(rig.proxy.counts.lost, {});
  assert.equal(rig.proxy.counts.operations, TEXT_OPERATIONS + BINARY.length);
});

test('memccapable (libmemcached-tools) passes through the proxy, text and binary, every connection followed', async (t) => {
  assert.ok(existsSync(MEMCCAPABLE), `${MEMCCAPABLE} is missing: apt-get install libmemcached-tools`);
  const rigs = await Promise.all([
    startProxy(direct.port, { samplingRate: 1 }),
    startProxy(proxied.port, { samplingRate: 1 }),
  ]);
  t.after(() => Promise.all(rigs.map((r) => r.stop())));
  const run = promisify(execFile);
  const [ascii, binary] = await Promise.all([
    run(MEMCCAPABLE, ['-h', '127.0.0.1', '-p', String(rigs[0].port), '-a', '-t', '5'], { timeout: 30_000 }),
    run(MEMCCAPABLE, ['-h', '127.0.0.1', '-p', String(rigs[1].port), '-b', '-t', '5'], { timeout: 30_000 }),
  ]);
  assert.match(ascii.stdout, /All tests passed/);
  assert.match(binary.stdout, /All tests passed/);
  for (const rig of rigs) {
    assert.deepEqual(rig.proxy.counts.lost, {});
    assert.ok(rig.proxy.counts.operations > 100, `${rig.proxy.counts.operations} operations`);
  }
});

test('a client that does not read: the proxy holds back the server, its buffers stay small', async (t) => {
  const rig = await startProxy(direct.port, { samplingRate: 100 });
  t.after(() => rig.stop());
  const c = await TextClient.connect(rig.port);
  const value = 'v'.repeat(512 * 1024);
  await c.call(`set big 0 0 ${value.length}`, value);
  c.socket.pause();
  for (let i = 0; i < 100; i++) c.send('get big');
  await new Promise((r) => setTimeout(r, 300));
  const held = rig.proxy.buffered();
  assert.ok(held < 1024 * 1024, `${held} bytes held in the proxy for 50 MB of answers`);
  c.socket.resume();
  for (let i = 0; i < 100; i++) assert.equal((await c.answer('get big')).length, value.length + 27);
  c.close();
  assert.deepEqual(rig.proxy.counts.lost, {});
});

test('more requests awaiting answers than the bound: no longer sampled, still forwarded', async (t) => {
  const rig = await startProxy(direct.port, { samplingRate: 1, maxPending: 8 });
  t.after(() => rig.stop());
  const c = await TextClient.connect(rig.port);
  await c.call('set a 0 0 1', 'x');
  for (let i = 0; i < 100; i++) c.send('get a');
  for (let i = 0; i < 100; i++) assert.equal(await c.answer('get a'), 'VALUE a 0 1\r\nx\r\nEND\r\n');
  assert.match(await c.call('version'), /^VERSION \S+\r\n$/);
  c.close();
  assert.deepEqual(rig.proxy.counts.lost, { QUEUE_FULL: 1 });
});
