import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SflowExporter } from '../../src/agent/exporter.js';
import { encodeSampleInto } from '../../src/sflow/datagram.js';
import type { CountersSample } from '../../src/sflow/model.js';
import { XdrWriter } from '../../src/xdr/writer.js';
import { Collector } from '../support/sflow-collector.js';

/** A counter sample of 36 bytes, as it stands in a datagram. */
function counters(sequenceNumber: number, sourceIdIndex = 80): CountersSample {
  return {
    name: 'counters_sample',
    tag: '0:2',
    sequenceNumber,
    sourceIdType: 3,
    sourceIdIndex,
    records: [
      { name: 'host_parent', tag: '0:2002', value: { containerType: 2, containerIndex: sequenceNumber } },
    ],
  };
}

function encoded(sample: CountersSample): Uint8Array {
  const w = new XdrWriter();
  encodeSampleInto(w, sample);
  return w.toBytes();
}

async function withExporter(
  options: { datagramBytes?: number; flushMs?: number },
  run: (e: SflowExporter, c: Collector) => Promise<void>,
): Promise<void> {
  const c = await Collector.open();
  const e = new SflowExporter({
    agentAddress: '192.0.2.7',
    subAgentId: 3,
    collectors: [{ address: '127.0.0.1', port: c.port }],
    ...options,
  });
  try {
    await run(e, c);
  } finally {
    await e.close();
    c.close();
  }
}

const sequences = (c: Collector) => c.samples.map((s) => (s as CountersSample).sequenceNumber);

test('the exporter sends every sample once, in order, in datagrams no larger than datagramBytes', async () => {
  await withExporter({ datagramBytes: 400, flushMs: 30 }, async (e, c) => {
    // 150: two batches of 64 go at once, the other 22 when flushMs has passed.
    for (let i = 1; i <= 150; i++) {
      if (i % 2) e.add(counters(i));
      else e.addEncoded(encoded(counters(i)));
    }
    await c.until(() => c.samples.length >= 150);
    assert.deepEqual(
      sequences(c),
      Array.from({ length: 150 }, (_, i) => i + 1),
    );
    assert.ok(c.raw.every((d) => d.length <= 400));
    // A 400-byte datagram has 360 bytes for samples (less the largest header, 40): ten of 36 bytes each.
    assert.deepEqual(
      c.datagrams.map((d) => d.samples.length),
      [10, 10, 10, 10, 10, 10, 4, 10, 10, 10, 10, 10, 10, 4, 10, 10, 2],
    );
    assert.deepEqual(
      c.datagrams.map((d) => d.sequenceNumber),
      c.datagrams.map((_, i) => i + 1),
    );
    assert.ok(c.datagrams.every((d) => d.agentAddress === '192.0.2.7' && d.subAgentId === 3));
    assert.deepEqual(e.counts, { samples: 150, encodeErrors: 0, datagrams: 17, sendErrors: 0 });
  });
});

test('a sample that cannot be encoded is counted and the others go', async () => {
  await withExporter({}, async (e, c) => {
    e.add(counters(1));
    // A data source index too large for the compact form.
    e.add(counters(2, 1 << 25));
    e.add({
      ...counters(3),
      records: [{ name: 'nope', tag: '0:99999', value: {} }],
    } as unknown as CountersSample);
    e.add(counters(4));
    e.flush();
    await c.until(() => c.samples.length >= 2);
    assert.deepEqual(sequences(c), [1, 4]);
    assert.equal(c.datagrams.length, 1);
    assert.deepEqual(e.counts, { samples: 2, encodeErrors: 2, datagrams: 1, sendErrors: 0 });
  });
});

test('a sample larger than a datagram goes alone, and close() sends what waits', async () => {
  const c = await Collector.open();
  const e = new SflowExporter({
    agentAddress: '192.0.2.7',
    collectors: [{ address: '127.0.0.1', port: c.port }],
    datagramBytes: 100,
    flushMs: 60_000,
  });
  try {
    // 20 + 6 × 16 bytes: past the 60 that a 100-byte datagram has for samples.
    const big = counters(2);
    big.records = Array.from({ length: 6 }, () => big.records[0]);
    e.add(counters(1));
    e.addEncoded(encoded(big));
    e.add(counters(3));
    await e.close();
    await c.until(() => c.datagrams.length >= 3);
    assert.deepEqual(
      c.datagrams.map((d) => d.samples.length),
      [1, 1, 1],
    );
    assert.equal(c.raw[1].length, 28 + 116);
    assert.deepEqual(sequences(c), [1, 2, 3]);
  } finally {
    c.close();
  }
});
