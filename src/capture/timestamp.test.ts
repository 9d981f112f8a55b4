import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitTimestamp, timestampNs, timestampSeconds } from './timestamp.js';

test('splitTimestamp gives seconds and microseconds or nanoseconds, rounding towards the past', () => {
  assert.deepEqual(splitTimestamp(1_599_194_542_951_505_123n), { seconds: 1_599_194_542, fraction: 951_505 });
  assert.deepEqual(splitTimestamp(1_599_194_542_951_505_123n, 'ns'), {
    seconds: 1_599_194_542,
    fraction: 951_505_123,
  });
  assert.deepEqual(splitTimestamp(0n), { seconds: 0, fraction: 0 });
  // 1 ns before the epoch is in second -1.
  assert.deepEqual(splitTimestamp(-1n, 'ns'), { seconds: -1, fraction: 999_999_999 });
  assert.deepEqual(splitTimestamp(-1n, 'us'), { seconds: -1, fraction: 999_999 });
});

test('timestampNs inverts splitTimestamp; timestampSeconds is the float form', () => {
  for (const ns of [0n, 1n, 999_999_999n, 4_294_967_295_999_999_999n, -5n]) {
    const { seconds, fraction } = splitTimestamp(ns, 'ns');
    assert.equal(timestampNs(seconds, fraction, 'ns'), ns);
  }
  assert.equal(timestampNs(10, 5), 10_000_005_000n);
  assert.equal(timestampSeconds(1_500_000_000n), 1.5);
});
