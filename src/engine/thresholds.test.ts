/**
 * Thresholds: an event when a value goes above, once per agent and data source (or per flow with byFlow), not
 * again while above, re-armed only after the timeout and once the value is back at or below; the event's
 * fields; filters on metrics (numbers and * wildcards), agent and data source; definitions and their errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventLog } from './event-log.js';
import type { Metrics } from './interface-metrics.js';
import { SpecError } from './spec-error.js';
import { type Fired, parseThreshold, type ThresholdEvent, Thresholds } from './thresholds.js';

function setup() {
  const log = new EventLog<ThresholdEvent>(100);
  const th = new Thresholds((make) => log.push(make));
  /** The events logged since the last call, oldest first. */
  let seen = 0;
  const fresh = () => {
    const out = log.since(seen).reverse();
    seen = log.lastId;
    return out;
  };
  return { th, fresh };
}

function place(agent: string, dataSource: string, metrics: Metrics = {}) {
  return { agent, dataSource, metrics: () => metrics };
}

const pA = place('192.0.2.1', '3');

test('a metric threshold fires once per agent and data source, and re-arms after its timeout once back', () => {
  const { th, fresh } = setup();
  th.set('hot', { metric: 'load_one', value: 5, timeout: 10 });
  th.check('load_one', 4, pA, 0);
  th.check('load_one', 5, pA, 500);
  assert.deepEqual(fresh(), [], 'at the threshold is not above it');
  th.check('load_one', 6, pA, 1000);
  assert.deepEqual(fresh(), [
    {
      eventID: 1,
      thresholdID: 'hot',
      metric: 'load_one',
      value: 6,
      threshold: 5,
      agent: '192.0.2.1',
      dataSource: '3',
      timestamp: 1000,
    },
  ]);
  th.check('load_one', 9, pA, 2000);
  assert.deepEqual(fresh(), [], 'still above: no second event');
  th.check('load_one', 7, place('192.0.2.2', '3'), 2000);
  th.check('load_one', 7, place('192.0.2.1', '4'), 2100);
  assert.deepEqual(
    fresh().map((e) => [e.eventID, e.agent, e.dataSource, e.timestamp]),
    [
      [2, '192.0.2.2', '3', 2000],
      [3, '192.0.2.1', '4', 2100],
    ],
  );
  const asked: [string, Fired][] = [];
  const rearm = (now: number, v: number | undefined) =>
    th.rearm(now, (metric, f) => {
      asked.push([metric, f]);
      return f.agent === '192.0.2.1' && f.dataSource === '3' ? v : 100;
    });
  // Back below, but within the timeout (10 s after the event at 1 s): not re-armed, and not even asked.
  rearm(10_999, 0);
  assert.equal(asked.length, 0);
  th.check('load_one', 8, pA, 11_000);
  // After the timeout but still above: not re-armed.
  rearm(11_000, 6);
  assert.deepEqual(
    asked.map(([m, f]) => [m, f.at, f.agent, f.dataSource, f.flowKey]),
    [['load_one', 1000, '192.0.2.1', '3', undefined]],
  );
  th.check('load_one', 8, pA, 11_500);
  assert.deepEqual(fresh(), []);
  // Back at the threshold after the timeout: re-armed, and the next crossing fires again.
  rearm(12_000, 5);
  th.check('load_one', 5.5, pA, 12_500);
  th.check('load_one', 7, place('192.0.2.2', '3'), 12_500);
  assert.deepEqual(
    fresh().map((e) => [e.eventID, e.agent, e.value, e.timestamp]),
    [[4, '192.0.2.1', 5.5, 12_500]],
    'the others, still at 100, stay fired',
  );
  // A value gone away (undefined) re-arms too.
  rearm(30_000, undefined);
  th.check('load_one', 6, pA, 30_000);
  assert.equal(fresh().length, 1);
});

test('byFlow: one event per flow key; without byFlow, one per data source whatever the key', () => {
  const { th, fresh } = setup();
  th.set('perFlow', { metric: 'src', value: 100, byFlow: true });
  th.set('perSource', { metric: 'src', value: 100 });
  const [f1, f2] = ['192.0.2.1 3 10.0.0.1', '192.0.2.1 3 10.0.0.2'];
  th.check('src', 150, pA, 1000, '10.0.0.1', f1);
  th.check('src', 200, pA, 1100, '10.0.0.1', f1);
  th.check('src', 150, pA, 1200, '10.0.0.2', f2);
  th.check('src', 150, place('192.0.2.2', '3'), 1300, '10.0.0.1');
  th.check('src', 150, place('192.0.2.2', '3'), 1400, '10.0.0.1');
  assert.deepEqual(
    fresh().map((e) => [e.thresholdID, e.agent, e.flowKey, e.timestamp]),
    [
      ['perFlow', '192.0.2.1', '10.0.0.1', 1000],
      ['perSource', '192.0.2.1', undefined, 1000],
      ['perFlow', '192.0.2.1', '10.0.0.2', 1200],
      ['perFlow', '192.0.2.2', '10.0.0.1', 1300],
      ['perSource', '192.0.2.2', undefined, 1300],
    ],
  );
  // The per-flow threshold re-arms flow by flow, asking for each flow's value by its key.
  th.rearm(70_000, (_m, f) => (f.flowKey === '10.0.0.2' ? 0 : f.flowKey === undefined ? 0 : 500));
  th.check('src', 150, pA, 70_000, '10.0.0.1', f1);
  th.check('src', 150, pA, 70_000, '10.0.0.2', f2);
  assert.deepEqual(
    fresh().map((e) => [e.thresholdID, e.flowKey]),
    [
      ['perSource', undefined],
      ['perFlow', '10.0.0.2'],
    ],
  );
});

test('filters: metric values (numbers, * wildcards), agent and data source', () => {
  const { th, fresh } = setup();
  th.set('fast', { metric: 'ifinutilization', value: 80, filter: { ifspeed: [1e9, 1e8] } });
  th.set('web', { metric: 'ifinutilization', value: 80, filter: { host_name: ['web*', 'db.*'] } });
  th.set('where', { metric: 'ifinutilization', value: 80, filter: { agent: '10.0.*', dataSource: ['3'] } });
  const cases: [string, string, Metrics][] = [
    ['10.0.0.1', '3', { ifspeed: 1e9, host_name: 'web-7' }],
    ['10.0.0.2', '3', { ifspeed: '100000000', host_name: 'xweb-7' }],
    ['10.0.0.3', '4', { ifspeed: 1e10, host_name: 'db.1' }],
    ['10.0.0.4', '4', { host_name: 'dbx1' }],
    ['10.1.0.5', '3', {}],
  ];
  for (const [agent, ds, metrics] of cases) th.check('ifinutilization', 90, place(agent, ds, metrics), 1000);
  assert.deepEqual(
    fresh().map((e) => [e.thresholdID, e.agent]),
    [
      ['fast', '10.0.0.1'],
      ['web', '10.0.0.1'],
      ['where', '10.0.0.1'],
      ['fast', '10.0.0.2'],
      ['where', '10.0.0.2'],
      ['web', '10.0.0.3'],
    ],
  );
});

test('definitions: defaults, listing, the lowest threshold of a metric, and deletion', () => {
  const { th } = setup();
  assert.deepEqual(th.set('a', { metric: 'load_one', value: 5 }), {
    metric: 'load_one',
    value: 5,
    byFlow: false,
    timeout: 60,
  });
  th.set('b', { metric: 'load_one', value: 2, timeout: 0, byFlow: true });
  assert.deepEqual(Object.keys(th.specs()), ['a', 'b']);
  assert.equal(th.get('b')?.timeout, 0);
  assert.equal(th.watches('load_one'), true);
  assert.equal(th.floor('load_one'), 2);
  assert.equal(th.floor('load_five'), Number.POSITIVE_INFINITY);
  assert.equal(th.delete('b'), true);
  assert.equal(th.floor('load_one'), 5);
  assert.equal(th.delete('b'), false);
  th.delete('a');
  assert.equal(th.watches('load_one'), false);
});

test('bad thresholds are refused with their reason', () => {
  const bad: [string, unknown, RegExp][] = [
    ['a b', { metric: 'x', value: 1 }, /threshold name 'a b'/],
    ['t', [1], /a threshold is a JSON object/],
    ['t', { metric: 'x', value: 1, every: 2 }, /unknown threshold option 'every'/],
    ['t', { value: 1 }, /'metric' must be a metric or flow name/],
    ['t', { metric: '', value: 1 }, /'metric' must be/],
    ['t', { metric: 'x', value: '1' }, /'value' must be a number/],
    ['t', { metric: 'x', value: Number.POSITIVE_INFINITY }, /'value' must be a number/],
    ['t', { metric: 'x', value: 1, byFlow: 'yes' }, /'byFlow' must be true or false/],
    ['t', { metric: 'x', value: 1, timeout: -1 }, /'timeout' must be seconds/],
    ['t', { metric: 'x', value: 1, timeout: '60' }, /'timeout' must be seconds/],
    ['t', { metric: 'x', value: 1, filter: [1] }, /'filter' must be an object/],
    [
      't',
      { metric: 'x', value: 1, filter: { ifspeed: [{}] } },
      /filter 'ifspeed' must list strings or numbers/,
    ],
  ];
  for (const [name, body, reason] of bad)
    assert.throws(
      () => parseThreshold(name, body),
      (e) => e instanceof SpecError && reason.test(e.message),
      `${name} ${JSON.stringify(body)}`,
    );
  assert.deepEqual(parseThreshold('t', { metric: 'x', value: 1, filter: { ifspeed: 1e9 } }).filter, {
    ifspeed: [1e9],
  });
});
