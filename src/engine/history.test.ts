/** The charts' history: bounded in points, in series and in time, and read back as aligned columns. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC } from '../generator/fabric.js';
import { ChartHistory } from './chart-history.js';
import { Engine } from './engine.js';
import { History, Series } from './history.js';

test('a series keeps one point a second, the later replacing the earlier, and at most its capacity', () => {
  const s = new Series(5);
  s.push(1000, 1, 1000);
  s.push(1500, 2, 1000);
  assert.deepEqual(s.since(0), { times: [1500], values: [2] });
  for (let t = 2; t <= 40; t++) s.push(t * 1000, t, 1000);
  assert.equal(s.length, 5);
  assert.deepEqual(s.since(0), { times: [36000, 37000, 38000, 39000, 40000], values: [36, 37, 38, 39, 40] });
  assert.deepEqual(s.since(39000).values, [39, 40]);
});

test('the history drops the series written to longest ago past its bound, and silent ones on a sweep', () => {
  const h = new History({ spanMs: 10_000, maxSeries: 3 });
  h.record('a', 0, 1);
  h.record('b', 0, 1);
  h.record('c', 0, 1);
  h.record('a', 1000, 2);
  h.record('d', 1000, 1);
  assert.equal(h.size, 3);
  assert.equal(h.has('b'), false, 'b was written to longest ago');
  assert.deepEqual(h.window('a', 0).values, [1, 2]);
  h.record('d', 11_500, 5);
  h.sweep(11_500);
  assert.deepEqual([h.has('a'), h.has('c'), h.has('d')], [false, false, true]);
  assert.deepEqual(h.window('nothing', 0), { times: [], values: [] });
});

test('metrics of several times are aligned on the union of their times, null where one has no point', () => {
  const c = new ChartHistory();
  c.counters('10.0.0.1', { load_one: 1, cpu_user: 5, host_name: 'h1', ifspeed: 7 }, 1000);
  c.counters('10.0.0.1', { load_one: 2 }, 3000);
  assert.deepEqual(c.agent('10.0.0.1', ['load_one', 'cpu_user'], 0), {
    times: [1000, 3000],
    series: { load_one: [1, 2], cpu_user: [5, null] },
  });
  assert.equal(c.history.has('m|10.0.0.1|ifspeed'), false, 'only charted metrics are kept');
});

test("each second: cluster aggregates over all agents and per group, and top flows, from the data center's", () => {
  const engine = new Engine();
  engine.groups.set('rack', { zero: ['10.1.0.0/24'], one: ['10.1.1.0/24'] });
  engine.flows.set('services', { keys: 'service', value: 'bytes' });
  const dc = new DataCenter({ fabric: DEFAULT_FABRIC, scenario: 'steady', seed: 3, duration: 40, flows: 50 });
  let now = 1_000_000;
  for (let second = dc.nextSecond(); second; second = dc.nextSecond()) {
    now += 1000;
    for (const e of second) engine.receive(e.bytes, e.agent, now);
  }
  engine.charts.sample(engine, now);
  const loads = [...engine.metrics.points('load_one')].map((p) => ({
    agent: p.agent,
    value: p.value as number,
  }));
  const rackZero = loads.filter((l) => l.agent.startsWith('10.1.0.')).map((l) => l.value);
  assert.ok(rackZero.length >= 2 && loads.length > rackZero.length, 'hosts in rack zero and elsewhere');
  const expect = (values: number[]) => ({
    'avg:load_one': [values.reduce((a, b) => a + b) / values.length],
    'min:load_one': [Math.min(...values)],
    'max:load_one': [Math.max(...values)],
    'sum:load_one': [values.reduce((a, b) => a + b)],
    'count:load_one': [values.length],
  });
  const specs = (['avg', 'min', 'max', 'sum', 'count'] as const).map((aggregate) => ({
    aggregate,
    name: 'load_one',
  }));
  assert.deepEqual(engine.charts.cluster(specs, '', 0).series, expect(loads.map((l) => l.value)));
  assert.deepEqual(
    engine.charts.cluster(specs, ChartHistory.scope('rack', 'zero'), 0).series,
    expect(rackZero),
  );
  const top = engine.flows.active('services', { maxFlows: 3 }, now) ?? [];
  assert.equal(top.length, 3);
  assert.deepEqual(engine.charts.flow('services', 0, 3), {
    times: [now],
    series: Object.fromEntries(top.map((f) => [f.key, [f.value]])),
  });
  assert.deepEqual(engine.charts.flow('nothing', 0, 3), { times: [], series: {} });
});
