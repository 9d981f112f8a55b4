/**
 * The memcache proxy under bad input and a failing upstream: garbage, a line that never ends, a command it
 * cannot follow, a binary stream gone wrong are forwarded all the same, counted, and leave the proxy serving;
 * an upstream that is down or goes away closes the client cleanly, is logged, and the proxy keeps running.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import type { ProxyLog } from '../../src/instrument/memcache-proxy.js';
import { binaryRequest, TextClient } from './memcache-client.js';
import { startProxy } from './memcache-rig.js';
import { freePort, type Memcached, startMemcached } from './memcached.js';

let memcached: Memcached;

before(async () => {
  memcached = await startMemcached();
});
after(async () => {
  await memcached?.stop();
});

/** Sends `bytes`, then half-closes; everything the proxy sends back until it closes. */
function send(port: number, bytes: Buffer, end = true): Promise<Buffer> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    s.on('error', () => undefined);
    s.on('close', () => resolve(Buffer.concat(got)));
    s.on('connect', () => {
      s.write(bytes);
      if (end) s.end();
      else setTimeout(() => s.destroy(), 200);
    });
  });
}

function logger() {
  const warnings: string[] = [];
  const log = { info() {}, debug() {}, error() {}, warn: (_: unknown, m: string) => warnings.push(m) };
  return { warnings, log: log as unknown as ProxyLog };
}

test('garbage, endless lines, unfollowed commands: forwarded, counted, and the proxy serves on', async (t) => {
  const rig = await startProxy(memcached.port, { samplingRate: 1 });
  t.after(() => rig.stop());
  // A command the proxy does not follow still gets memcached's answer, and so does what comes after.
  assert.equal((await send(rig.port, Buffer.from('mn\r\nget a\r\n'))).toString(), 'MN\r\nEND\r\n');
  const binaryGoneWrong = Buffer.concat([binaryRequest({ opcode: 0x0a }), randomBytes(100)]);
  await Promise.all([
    send(rig.port, Buffer.from(`get ${'x'.repeat(100_000)}`), false),
    send(rig.port, binaryGoneWrong),
    ...Array.from({ length: 20 }, (_, i) => send(rig.port, randomBytes(1 + i * 97))),
    ...Array.from({ length: 10 }, () =>
      send(rig.port, Buffer.concat([Buffer.from('get a\r\n'), randomBytes(500)])),
    ),
  ]);
  const lost = rig.proxy.counts.lost;
  assert.equal(lost.UNSUPPORTED_COMMAND, 1);
  assert.equal(lost.LINE_TOO_LONG, 1);
  assert.ok((lost.BAD_MAGIC ?? 0) + (lost.UNEXPECTED_RESPONSE ?? 0) >= 1, JSON.stringify(lost));
  const c = await TextClient.connect(rig.port);
  assert.equal(await c.call('set after 0 0 2', 'ok'), 'STORED\r\n');
  assert.equal(await c.call('get after'), 'VALUE after 0 2\r\nok\r\nEND\r\n');
  c.close();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(rig.proxy.counts.open, 0);
});

test('upstream down: the client is closed cleanly, it is logged, the proxy serves once it is back', async (t) => {
  const port = await freePort();
  const { warnings, log } = logger();
  const rig = await startProxy(port, { samplingRate: 1, log });
  t.after(() => rig.stop());
  const answer = await send(rig.port, Buffer.from('get a\r\n'), false);
  assert.equal(answer.length, 0);
  assert.equal(rig.proxy.counts.upstreamErrors, 1);
  assert.match(warnings.join('\n'), /upstream connection failed/);
  // The counters of that interval have only the proxy's own counts.
  await rig.sflow.poll();

  const back = await startMemcached(port);
  t.after(() => back.stop());
  const c = await TextClient.connect(rig.port);
  assert.equal(await c.call('get a'), 'END\r\n');
  // memcached goes away under a connected client: the client sees its connection close.
  const closed = new Promise<void>((r) => c.socket.once('close', () => r()));
  await back.stop();
  await closed;
  assert.equal(rig.proxy.address().port, rig.port, 'still listening');
});
