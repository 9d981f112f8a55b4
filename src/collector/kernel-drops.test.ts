/**
 * Kernel drop counters against real drops: a UDP socket with the smallest receive buffer on loopback, left
 * unread while a worker thread floods it, must show the drops in /proc/net/udp(6) and in RcvbufErrors.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import {
  parseSnmp6,
  parseSnmpUdp,
  parseSocketDrops,
  readKernelUdpCounters,
  socketDrops,
} from './kernel-drops.js';

const NOT_LINUX = !existsSync('/proc/net/snmp') && 'needs Linux /proc/net';

// Node reads a bound socket whenever its event loop runs, whether or not anyone listens for 'message'. So
// the sender is a worker thread, and the main thread blocks in Atomics.wait until it is done: meanwhile
// nothing reads the socket and the kernel has to drop what does not fit.
const SENDER = `
const { workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const { host, port, count, flag } = workerData;
const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
const payload = Buffer.alloc(1200);
let sent = 0;
for (let i = 0; i < count; i++)
  s.send(payload, port, host, () => {
    if (++sent < count) return;
    s.close();
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
`;

function bind(type: 'udp4' | 'udp6', host: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type, recvBufferSize: 1 }); // the kernel raises it to its minimum, a few KB
    s.once('error', reject);
    s.bind(0, host, () => resolve(s));
  });
}

async function flood(type: 'udp4' | 'udp6', host: string) {
  const count = 500;
  const socket = await bind(type, host);
  const { port } = socket.address();
  let received = 0;
  socket.on('message', () => received++);

  const before = readKernelUdpCounters();
  assert.equal(socketDrops(port), 0);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(SENDER, { eval: true, workerData: { host, port, count, flag } });
  const woke = Atomics.wait(flag, 0, 0, 20_000);
  Atomics.wait(flag, 0, 1, 100); // loopback delivery can trail the send callbacks by a moment
  const drops = socketDrops(port);
  const after = readKernelUdpCounters();
  await worker.terminate();

  assert.equal(woke, 'ok', 'the sender did not finish');
  assert.ok(drops >= count / 2, `only ${drops} of ${count} dropped`);
  assert.ok(drops < count, 'nothing was delivered');
  // Namespace-wide counters: other traffic may add to them, never take away.
  assert.ok(
    after.rcvbufErrors - before.rcvbufErrors >= drops,
    `RcvbufErrors ${JSON.stringify({ before, after, drops })}`,
  );
  assert.ok(after.inErrors - before.inErrors >= drops);

  // What fitted in the buffer is read once the event loop runs; the kernel counts it as it is read.
  const deadline = Date.now() + 5000;
  while (received < count - drops && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(received, count - drops);
  assert.ok(readKernelUdpCounters().inDatagrams - before.inDatagrams >= received);
  assert.equal(socketDrops(port), drops, 'drops are kept while the socket is open');
  socket.close();
}

test('drops on an IPv4 socket show in /proc/net/udp and RcvbufErrors', { skip: NOT_LINUX }, () =>
  flood('udp4', '127.0.0.1'),
);

test('drops on an IPv6 socket show in /proc/net/udp6 and Udp6RcvbufErrors', {
  skip: NOT_LINUX,
}, async (t) => {
  const probe = await bind('udp6', '::1').catch(() => undefined);
  if (!probe) return t.skip('no IPv6 loopback');
  probe.close();
  await flood('udp6', '::1');
});

test('absent files count as zero, without throwing', () => {
  assert.deepEqual(readKernelUdpCounters('/nonexistent'), { rcvbufErrors: 0, inErrors: 0, inDatagrams: 0 });
  assert.equal(socketDrops(6343, '/nonexistent'), 0);
});

test('parsers: UdpLite is not Udp, the port is matched whole, a table without drops counts nothing', () => {
  const snmp = [
    'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors',
    'Udp: 10 2 3 4 5',
    'UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors',
    'UdpLite: 100 200 300 400 500',
  ].join('\n');
  assert.deepEqual(parseSnmpUdp(snmp), {
    InDatagrams: 10,
    NoPorts: 2,
    InErrors: 3,
    OutDatagrams: 4,
    RcvbufErrors: 5,
  });
  assert.deepEqual(parseSnmp6('Udp6InErrors                    \t7\nUdp6RcvbufErrors 8\n'), {
    Udp6InErrors: 7,
    Udp6RcvbufErrors: 8,
  });
  const header =
    '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';
  const row = (local: string, drops: number) =>
    `  1: ${local} 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 1 2 0000000000000000 ${drops}`;
  const table = [
    header,
    row('0100007F:18BF', 4),
    row('00000000:18BF', 5),
    row('0100007F:18BF0', 100),
    row('0100007F:118BF', 100),
  ];
  assert.equal(parseSocketDrops(table.join('\n'), 6335), 9); // 0x18BF
  assert.equal(parseSocketDrops(table.join('\n'), 6343), 0);
  assert.equal(parseSocketDrops(table.join('\n').replace(' drops', ''), 6335), 0);
});
