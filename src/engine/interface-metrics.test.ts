/**
 * Interface metrics against the generator's truth: ifinoctets and ifinutilization between two polls of a
 * port are what the truth says went through it; counters that wrap give the right rate, a reset none.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC } from '../generator/fabric.js';
import { decodeDatagram } from '../sflow/index.js';
import { delta32, delta64 } from './counter-delta.js';
import { type IfCounters, interfaceMetrics } from './interface-metrics.js';

test('counter deltas: wraps of 32 and 64 bits give the change, a reset none', () => {
  assert.equal(delta32(10, 25), 15);
  assert.equal(delta32(2 ** 32 - 5, 10), 15);
  assert.equal(delta32(1_000_000_000, 5), undefined);
  assert.equal(delta64(2n ** 64n - 5n, 10n), 15);
  assert.equal(delta64(10n ** 18n, 7n), undefined);
});

test("a busy port's rates and utilization between two polls are the truth's", () => {
  const dc = new DataCenter({
    fabric: DEFAULT_FABRIC,
    scenario: 'elephants',
    seed: 5,
    duration: 120,
    flows: 200,
  });
  const emitted = [];
  for (let s = dc.nextSecond(); s; s = dc.nextSecond()) emitted.push(...s);
  const truth = dc.truth();
  const busiest = truth.interfaces
    .filter((i) => i.peer.startsWith('host'))
    .sort(
      (a, b) => b.inBitsPerSecond.reduce((x, y) => x + y, 0) - a.inBitsPerSecond.reduce((x, y) => x + y, 0),
    )[0];
  const polls: { time: number; counters: IfCounters }[] = [];
  for (const e of emitted) {
    if (e.agent !== busiest.agent) continue;
    for (const s of decodeDatagram(e.bytes).samples) {
      if (s.name !== 'counters_sample' || s.sourceIdIndex !== busiest.ifIndex) continue;
      for (const r of s.records)
        if (r.name === 'if_counters') polls.push({ time: Math.floor(e.time), counters: r.value });
    }
  }
  assert.ok(polls.length >= 4, `${polls.length} polls`);
  let checked = 0;
  for (let i = 1; i < polls.length; i++) {
    const [a, b] = [polls[i - 1], polls[i]];
    const m = interfaceMetrics(b.counters, a.counters, b.time - a.time);
    const bits = busiest.inBitsPerSecond.slice(a.time + 1, b.time + 1);
    const truthRate = bits.reduce((x, y) => x + y, 0) / 8 / (b.time - a.time);
    assert.ok(
      Math.abs((m.ifinoctets as number) - truthRate) <= 1 + truthRate * 1e-6,
      `${m.ifinoctets} vs ${truthRate}`,
    );
    assert.ok(Math.abs((m.ifinutilization as number) - (truthRate * 800) / busiest.speed) < 1e-6);
    assert.equal(m.ifoperstatus, 'up');
    assert.equal(m.ifspeed, busiest.speed);
    checked++;
  }
  assert.ok(checked >= 3);
  // The first poll has gauges only.
  assert.equal(interfaceMetrics(polls[0].counters).ifinoctets, undefined);
});
