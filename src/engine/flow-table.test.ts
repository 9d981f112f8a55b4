/**
 * The flow table: a steady rate settles at its rate and decays by e^(−Δt/t) once it stops (closed forms);
 * samples in the same millisecond add without decay; a flood of one-sample keys keeps the table bounded while
 * the heavy keys stay exactly as in a table that never evicted; avg:, min:, max: and count: over their
 * window; idle expiry and activeTimeout; and the selection that picks the eviction cut.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type FlowEntry, FlowTable, nthSmallest, sourceId } from './flow-table.js';
import type { ValueKind } from './flow-values.js';

/** One sample into `table`, at agent `agent` and data source `ds`. */
function add(table: FlowTable, key: string, amount: number, now: number, agent = '192.0.2.1', ds = '3') {
  return table.add(sourceId(agent, ds), agent, ds, key, amount, now);
}

function count(table: FlowTable, key: string, value: string, now: number): FlowEntry {
  return table.add(sourceId('192.0.2.1', '3'), '192.0.2.1', '3', key, 1, now, value);
}

function table(tMs: number, kind: ValueKind = 'sum', capacity = 1000, onRemove?: (e: FlowEntry) => void) {
  return new FlowTable(tMs, capacity, kind, onRemove && ((e) => onRemove(e)));
}

function close(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= Math.abs(expected) * relative,
    `${what}: ${actual} vs ${expected}`,
  );
}

test('a steady rate settles at its rate, then decays by e^(−Δt/t)', () => {
  // t = 2 s; 100 units every 100 ms: R = 1000 units/s. Each sample adds 100/t = 50 and the value decays by
  // q = e^(−0.1/2) between samples, so right after sample N it is 50·(1 − q^N)/(1 − q).
  const ft = table(2000);
  const q = Math.exp(-0.05);
  let e: FlowEntry | undefined;
  for (let n = 1; n <= 200; n++) {
    e = add(ft, 'k', 100, n * 100);
    close(e.value, (50 * (1 - q ** n)) / (1 - q), 1e-12, `after sample ${n}`);
  }
  assert.ok(e);
  // Settled (q^200 = e^−10): right after a sample R·x/(1 − e^−x) with x = Δ/t = 0.05, just before one
  // that times q; both within 3 % of R.
  close(e.value, 1000 * (0.05 / (1 - q)), 1e-4, 'settled, after a sample');
  close(e.value, 1000, 0.03, 'settled vs R');
  close(ft.valueAt(e, 20_000 + 99.999), 1000, 0.03, 'settled, before the next sample');
  // Stopped: 3 s later the value is e^(−3/2) of what it was; the entry itself is not changed by reading.
  const at = e.value;
  close(ft.valueAt(e, 20_000 + 3000), at * Math.exp(-1.5), 1e-12, 'decayed 3 s');
  close(ft.valueAt(e, 20_000 + 2000), at * Math.exp(-1), 1e-12, 'decayed t');
  assert.equal(e.value, at);
  assert.equal(e.total, 20_000);
  assert.equal(e.count, 200);
});

test('samples in the same millisecond add without decay; a read at that millisecond is the value', () => {
  const ft = table(4000);
  add(ft, 'k', 100, 5000);
  const e = add(ft, 'k', 300, 5000);
  // 100/4 + 300/4, nothing decayed.
  assert.equal(e.value, 100);
  assert.equal(ft.valueAt(e, 5000), 100);
  assert.equal(ft.valueAt(e, 4000), 100, 'a read before the last update does not grow the value');
  assert.deepEqual([e.start, e.updated, e.total, e.count], [5000, 5000, 400, 2]);
});

test('a flood of one-sample keys keeps the table bounded; heavy keys stay exact', () => {
  const capacity = 100;
  const removed: FlowEntry[] = [];
  const bounded = table(2000, 'sum', capacity, (e) => removed.push(e));
  const reference = table(2000, 'sum', 1_000_000);
  const heavy = ['h0', 'h1', 'h2'];
  let created = 0;
  for (let step = 0; step < 400; step++) {
    const now = step * 10;
    for (const t of [bounded, reference]) {
      for (const h of heavy) add(t, h, 1500, now);
      // Five new keys a step, spread over agents so that eviction empties whole data sources.
      for (let i = 0; i < 5; i++) add(t, `flood${step}.${i}`, 1, now, `198.51.100.${i}`, String(step % 3));
    }
    created += 5;
    assert.ok(bounded.size <= capacity, `size ${bounded.size} at step ${step}`);
  }
  created += heavy.length;
  assert.equal(reference.size, created, 'the reference never evicted');
  assert.equal(bounded.size, [...bounded.entries()].length, 'size counts the entries');
  assert.equal(bounded.evicted, created - bounded.size);
  assert.equal(removed.length, bounded.evicted, 'each evicted flow is handed to onRemove');
  assert.ok(bounded.evicted > 1500);
  for (const h of heavy) {
    const a = bounded.get('192.0.2.1', '3', h);
    const b = reference.get('192.0.2.1', '3', h);
    assert.ok(a && b, h);
    assert.deepEqual(
      [a.value, a.total, a.count, a.start, a.updated],
      [b.value, b.total, b.count, b.start, b.updated],
      h,
    );
    assert.equal(a.total, 400 * 1500);
  }
  assert.ok(!removed.some((e) => heavy.includes(e.key)));
});

test('a new key survives an eviction that empties its data source', () => {
  const ft = table(1000, 'sum', 4);
  for (let i = 0; i < 3; i++) add(ft, `big${i}`, 1000 + i, 0, '192.0.2.1');
  add(ft, 'small', 1, 0, '192.0.2.2');
  assert.equal(ft.size, 4);
  // Full: the next new key of 192.0.2.2 evicts 'small' (the smallest, with big0 at the cut), emptying that
  // data source's map.
  const e = add(ft, 'new', 5, 0, '192.0.2.2');
  assert.equal(ft.get('192.0.2.2', '3', 'small'), undefined);
  assert.equal(ft.evicted, 2);
  assert.equal(ft.get('192.0.2.2', '3', 'new'), e);
  assert.ok([...ft.entries()].includes(e));
  assert.equal(ft.size, [...ft.entries()].length);
});

test('avg: is the decayed mean of the samples', () => {
  const ft = table(2000, 'avg');
  add(ft, 'k', 10, 0);
  add(ft, 'k', 20, 0);
  assert.equal(add(ft, 'k', 30, 0).value, 20);
  // One t later the three samples weigh e^−1 each: (60/e + 90) / (3/e + 1).
  const e = add(ft, 'k', 90, 2000);
  close(e.value, (60 / Math.E + 90) / (3 / Math.E + 1), 1e-12, 'decayed mean');
  assert.deepEqual([e.total, e.count], [150, 4]);
});

test('min: and max: keep the extreme of the window, and read 0 once nothing was seen for t', () => {
  const max = table(2000, 'max');
  const min = table(2000, 'min');
  for (const [v, at] of [
    [5, 0],
    [9, 100],
    [7, 200],
  ]) {
    add(max, 'k', v, at);
    add(min, 'k', v, at);
  }
  const [emax, emin] = [max.get('192.0.2.1', '3', 'k'), min.get('192.0.2.1', '3', 'k')];
  assert.ok(emax && emin);
  assert.deepEqual([max.valueAt(emax, 1000), min.valueAt(emin, 1000)], [9, 5]);
  assert.deepEqual([max.valueAt(emax, 2201), min.valueAt(emin, 2201)], [0, 0], 'silent for more than t');
  // Everything seen before is out of the window: the new sample alone.
  assert.equal(add(max, 'k', 4, 3000).value, 4);
  assert.equal(add(min, 'k', 8, 3000).value, 8);
});

// When the extreme leaves the window, the next largest sample still in it takes over: 8 (at 1.0 s) is in the
// last 2 s at 2.5 s, so max: reads 8, not the newest 3.
test('max: after the extreme leaves the window is the largest sample still in it', () => {
  const ft = table(2000, 'max');
  add(ft, 'k', 10, 0);
  add(ft, 'k', 8, 1000);
  assert.equal(add(ft, 'k', 3, 2500).value, 8);
});

// The window is measured from when each sample was seen, not from the last sample: 10, seen 3 s before the
// read with t = 2 s, is out; 1 is the max.
test('max: read later forgets an extreme that left the window', () => {
  const max = table(2000, 'max');
  add(max, 'k', 10, 0);
  const e = add(max, 'k', 1, 1900);
  assert.equal(max.valueAt(e, 3000), 1);
});

// The same for count:: 'a', seen 2.5 s before the read with t = 2 s, no longer counts.
test('count: read later forgets values that left the window', () => {
  const cnt = table(2000, 'count');
  count(cnt, 'k', 'a', 0);
  const c = count(cnt, 'k', 'b', 1500);
  assert.equal(cnt.valueAt(c, 2500), 1);
});

test('count: counts the distinct values of the last t, forgetting older ones', () => {
  const ft = table(2000, 'count');
  count(ft, 'k', 'a', 0);
  count(ft, 'k', 'b', 500);
  assert.equal(count(ft, 'k', 'a', 1000).value, 2, 'a seen again is not counted twice');
  // At 2.8 s: b (seen at 0.5 s) is gone, a (seen again at 1.0 s) stays.
  const e = count(ft, 'k', 'c', 2800);
  assert.equal(e.value, 2);
  assert.deepEqual([...(e.distinct?.keys() ?? [])].sort(), ['a', 'c']);
  assert.equal(count(ft, 'k', 'd', 10_000).value, 1);
});

test('expire() drops the flows idle longer than idleMs and hands them to onRemove', () => {
  const removed: [string, number][] = [];
  const ft = new FlowTable(1000, 100, 'sum', (e, now) => removed.push([e.key, now]));
  add(ft, 'old', 1, 0);
  add(ft, 'edge', 1, 3000);
  add(ft, 'new', 1, 5000);
  ft.expire(6000, 3000);
  assert.deepEqual(removed, [['old', 6000]]);
  assert.equal(ft.size, 2, 'idle exactly idleMs stays');
  assert.equal(ft.get('192.0.2.1', '3', 'old'), undefined);
  ft.expire(6001, 3000);
  assert.deepEqual(removed, [
    ['old', 6000],
    ['edge', 6001],
  ]);
  assert.equal(ft.evicted, 0, 'expiry is not eviction');
});

test('activeTimeout hands over a copy and starts total, count and start again', () => {
  const records: FlowEntry[] = [];
  const ft = new FlowTable(1000, 100, 'sum', (e) => records.push(e));
  for (const at of [0, 1000, 2000]) add(ft, 'k', 5, at);
  ft.expire(1999, 60_000, 2000);
  assert.equal(records.length, 0, 'running for less than activeMs');
  ft.expire(2500, 60_000, 2000);
  assert.equal(records.length, 1);
  const live = ft.get('192.0.2.1', '3', 'k');
  assert.ok(live);
  const rec = records[0];
  assert.notEqual(rec, live);
  assert.deepEqual([rec.start, rec.total, rec.count, rec.updated], [0, 15, 3, 2000]);
  assert.deepEqual([live.start, live.total, live.count], [2500, 0, 0]);
  assert.equal(live.value, rec.value, 'the smoothed value goes on');
  add(ft, 'k', 7, 3000);
  assert.deepEqual([rec.total, rec.count], [15, 3], 'the record is a copy');
  assert.deepEqual([live.total, live.count], [7, 1]);
  ft.expire(4000, 60_000, 2000);
  assert.equal(records.length, 1);
  ft.expire(4500, 60_000, 2000);
  assert.deepEqual([records[1].start, records[1].total], [2500, 7]);
  assert.equal(ft.size, 1);
});

test('nthSmallest is the n-th of the sorted values', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 200 }),
      fc.nat(),
      (xs, i) => {
        const n = i % xs.length;
        const sorted = [...xs].sort((a, b) => a - b);
        return nthSmallest(Float64Array.from(xs), n) === sorted[n];
      },
    ),
  );
});
