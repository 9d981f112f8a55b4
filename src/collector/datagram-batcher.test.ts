/** The hand-off to the analyzer's thread: batches that unpack to the same datagrams, a bound, counted drops. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DatagramBatch, DatagramBatcher, unbatch } from './datagram-batcher.js';
import type { RawDatagram } from './udp-listener.js';

const datagram = (i: number): RawDatagram => ({
  bytes: Buffer.alloc(10 + (i % 7), i & 255),
  address: `192.0.2.${i % 250}`,
  port: 6343,
  receivedAt: 1_000 + i,
});

test('batches of at most 64 unpack to the datagrams in order, with their sources and times', async () => {
  const batches: DatagramBatch[] = [];
  const b = new DatagramBatcher(10_000, (batch, transfer) => {
    assert.deepEqual(transfer, [batch.bytes, batch.ends.buffer, batch.times.buffer]);
    batches.push(batch);
  });
  for (let i = 0; i < 150; i++) b.push(datagram(i));
  assert.deepEqual(
    batches.map((x) => x.ends.length),
    [64, 64],
    'full batches go at once',
  );
  await new Promise((r) => setImmediate(r));
  assert.equal(batches.length, 3, 'the rest at the end of the turn');
  const out: RawDatagram[] = [];
  for (const x of batches)
    unbatch(x, (bytes, address, receivedAt) =>
      out.push({ bytes: Buffer.from(bytes), address, port: 6343, receivedAt }),
    );
  assert.deepEqual(
    out,
    Array.from({ length: 150 }, (_, i) => datagram(i)),
  );
});

test('datagrams in flight are bounded: the ones past the bound are dropped and counted until some are done', () => {
  const sent: DatagramBatch[] = [];
  const b = new DatagramBatcher(100, (batch) => sent.push(batch));
  for (let i = 0; i < 130; i++) b.push(datagram(i));
  b.flush();
  assert.deepEqual(b.stats(), { queued: 100, dropped: 30, highWater: 100, waiting: 100 });
  b.done(64);
  for (let i = 0; i < 70; i++) b.push(datagram(i));
  assert.deepEqual(b.stats(), { queued: 164, dropped: 36, highWater: 100, waiting: 100 });
  b.dropped(5);
  assert.equal(b.stats().dropped, 41);
  // Each batch carries the counts as they were when it went.
  assert.ok(sent.every((x, i) => i === 0 || x.counts.queued > sent[i - 1].counts.queued));
});
