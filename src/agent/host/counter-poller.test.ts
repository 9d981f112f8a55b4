/** Staggered polling: each data source once an interval, at a steady offset; many spread over the interval. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CounterPoller } from './counter-poller.js';

test('each data source is due once per interval, at the same offset every time', () => {
  const p = new CounterPoller(20);
  const due = (id: string) => [...Array(100).keys()].filter((s) => p.due(id, 1000 + s));
  for (const id of ['2:1', '0:1', '0:2', '3:100']) {
    const seconds = due(id);
    assert.equal(seconds.length, 5, id);
    for (let i = 1; i < seconds.length; i++) assert.equal(seconds[i] - seconds[i - 1], 20, id);
  }
});

test('a hundred data sources spread over the interval rather than all at once', () => {
  const p = new CounterPoller(30);
  const perSecond = new Array(30).fill(0);
  for (let i = 1; i <= 100; i++) for (let s = 0; s < 30; s++) if (p.due(`0:${i}`, s)) perSecond[s]++;
  assert.equal(
    perSecond.reduce((a, b) => a + b),
    100,
    'each polled once',
  );
  assert.ok(Math.max(...perSecond) <= 10, `at most 10 in one second: ${perSecond}`);
});

test('a new interval takes effect; a bad one is refused', () => {
  const p = new CounterPoller(10);
  p.setInterval(5);
  assert.equal([...Array(20).keys()].filter((s) => p.due('2:1', s)).length, 4);
  assert.throws(() => new CounterPoller(0), /at least 1/);
  assert.throws(() => new CounterPoller(2.5), /whole number/);
});
