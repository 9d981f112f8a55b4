/**
 * Flow definitions at work, on samples built through encode and decode: definitions kept and refused (with
 * their reason, keeping the old one); samples routed by filter and key, scaled by the sampling rate; active
 * flows largest first across agents and data sources with aggMode max and sum, maxFlows, minValue and agents;
 * a flow's value; the top flows as a metric; completed flows of log:true definitions after idle expiry, after
 * activeTimeout, at flowStart and on eviction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ethernet, filler, ipv4, udp } from '../packet/packet-builder.test-util.js';
import { FlowContext } from './flow-context.js';
import { frameContext, testEnv } from './flow-sample.test-util.js';
import { type ActiveFlow, Flows } from './flows.js';
import { SpecError } from './spec-error.js';

const T = 1_000_000;
const A = '192.0.2.1';
const B = '192.0.2.2';
/** The UDP frames below: 14 + 20 + 8 bytes of headers, the payload, and the 4-byte FCS. */
const frameLength = (payload: number) => 46 + payload;

interface Opts {
  agent?: string;
  time?: number;
  rate?: number;
  ds?: number;
  dst?: string;
  payload?: number;
}

const built = new Map<string, FlowContext>();

/** A sample of one UDP frame from `src`; the encoded sample is built once and reused at other agents/times. */
function ctx(src: string, o: Opts = {}): FlowContext {
  const id = JSON.stringify([src, o.dst, o.rate, o.ds, o.payload]);
  let c = built.get(id);
  if (c === undefined) {
    const frame = ethernet({
      type: 0x0800,
      payload: ipv4({
        src,
        dst: o.dst ?? '10.9.9.9',
        protocol: 17,
        payload: udp({ srcPort: 5000, dstPort: 53, payload: filler(o.payload ?? 100) }),
      }),
    });
    c = frameContext(frame, { samplingRate: o.rate ?? 100, sourceIdIndex: o.ds ?? 3 });
    built.set(id, c);
  }
  return new FlowContext(o.agent ?? A, c.sample, o.time ?? T);
}

function feed(flows: Flows, times: number, c: FlowContext): void {
  for (let i = 0; i < times; i++) flows.sample(c);
}

test('definitions are set with their defaults, listed, read and deleted', () => {
  const flows = new Flows(testEnv(), 100);
  const spec = flows.set('src', { keys: 'ipsource', value: 'bytes' });
  const defaults = { t: 2, n: 5, fs: ',', log: false, flowStart: false, activeTimeout: 60 };
  assert.deepEqual(spec, { keys: 'ipsource', value: 'bytes', ...defaults });
  flows.set('pair', { keys: 'ipsource,ipdestination', filter: 'udpdestinationport=53', t: 10, fs: '|' });
  assert.deepEqual(flows.get('pair'), {
    keys: 'ipsource,ipdestination',
    value: 'frames',
    filter: 'udpdestinationport=53',
    ...defaults,
    t: 10,
    fs: '|',
  });
  assert.deepEqual(Object.keys(flows.specs()), ['src', 'pair']);
  assert.deepEqual(flows.specs().src, spec);
  assert.equal(flows.has('src'), true);
  assert.equal(flows.delete('src'), true);
  assert.equal(flows.delete('src'), false);
  assert.equal(flows.get('src'), undefined);
  assert.equal(flows.active('src', {}, T), undefined);
});

test('a bad definition is refused with its reason, and the old one stays', () => {
  const flows = new Flows(testEnv(), 100);
  flows.set('f', { keys: 'ipsource' });
  const bad: [unknown, RegExp][] = [
    [{ keys: 'ipsource', bogus: 1 }, /unknown flow option 'bogus'/],
    [{ keys: 'ipsource', t: 0 }, /'t' must be a positive number, not 0/],
    [{ keys: 'ipsource', t: '2' }, /'t' must be a number/],
    [{ keys: 'ipsource', n: 2.5 }, /'n' must be a positive integer/],
    [{ keys: 'ipsource', fs: '' }, /'fs' must not be empty/],
    [{ keys: 'ipsorce' }, /unknown flow key 'ipsorce'/],
    [{ keys: 'ipsource', filter: 'ipsource=' }, /expected a value after '='/],
    [{ keys: 'ipsource', value: 'ipsource' }, /'ipsource' is not numeric/],
    [['ipsource'], /a flow definition is a JSON object/],
  ];
  for (const [body, reason] of bad)
    assert.throws(
      () => flows.set('f', body),
      (e) => e instanceof SpecError && reason.test(e.message),
    );
  assert.throws(() => flows.set('no spaces', { keys: 'ipsource' }), SpecError);
  assert.deepEqual(flows.get('f')?.keys, 'ipsource');
  assert.equal(flows.get('f')?.t, 2);
});

test('samples go to the definitions whose filter they pass, keyed and scaled by the sampling rate', () => {
  const flows = new Flows(testEnv(), 100);
  flows.set('toNine', { keys: 'ipsource', value: 'frames', filter: 'ipdestination=10.9.9.9', t: 1 });
  flows.set('pair', { keys: 'ipsource,ipdestination', value: 'bytes', t: 4, fs: '|' });
  flows.set('tcp', { keys: 'tcpsourceport', t: 1 });
  flows.set('mean', { keys: 'ipsource', value: 'avg:bytes', t: 1 });
  feed(flows, 3, ctx('10.0.0.1', { rate: 50 }));
  feed(flows, 2, ctx('10.0.0.2', { rate: 50, dst: '10.8.8.8', payload: 400 }));
  // frames: 3 samples × 50 at t = 1 s; the other destination does not pass the filter.
  assert.deepEqual(flows.active('toNine', {}, T), [
    { key: '10.0.0.1', value: 150, agent: A, dataSource: '3' },
  ]);
  // bytes: frame length × 50 per sample, over t = 4 s.
  assert.deepEqual(
    flows.active('pair', {}, T)?.map((f) => [f.key, f.value]),
    [
      ['10.0.0.2|10.8.8.8', (2 * frameLength(400) * 50) / 4],
      ['10.0.0.1|10.9.9.9', (3 * frameLength(100) * 50) / 4],
    ],
  );
  assert.deepEqual(flows.active('tcp', {}, T), [], 'UDP samples have no tcpsourceport: no flow');
  // avg: is the mean per sample, not scaled.
  assert.equal(flows.value(A, '3', 'mean', '10.0.0.2', T), frameLength(400));
});

/**
 * Flow 10.0.0.1 at agent A (300 frames/s, seen first) and agent B (200), 10.0.0.3 at B only (600), 10.0.0.2
 * at A's data sources 3 (100) and 4 (250). t = 1 s, so at T each value is the frames sampled.
 */
const tuple = (f: ActiveFlow) => [f.key, f.value, f.agent, f.dataSource];

function twoAgents(): Flows {
  const flows = new Flows(testEnv(), 100);
  flows.set('src', { keys: 'ipsource', value: 'frames', t: 1, n: 2 });
  feed(flows, 3, ctx('10.0.0.1'));
  feed(flows, 1, ctx('10.0.0.2'));
  feed(flows, 5, ctx('10.0.0.2', { ds: 4, rate: 50 }));
  feed(flows, 2, ctx('10.0.0.1', { agent: B }));
  feed(flows, 6, ctx('10.0.0.3', { agent: B }));
  return flows;
}

test('active flows: largest first, the largest single agent and data source with aggMode max', () => {
  const flows = twoAgents();
  assert.deepEqual(flows.active('src', {}, T)?.map(tuple), [
    ['10.0.0.3', 600, B, '3'],
    ['10.0.0.1', 300, A, '3'],
    ['10.0.0.2', 250, A, '4'],
  ]);
  assert.deepEqual(flows.active('src', { aggMode: 'max' }, T), flows.active('src', {}, T));
  assert.deepEqual(flows.active('src', { maxFlows: 1 }, T)?.map(tuple), [['10.0.0.3', 600, B, '3']]);
  assert.deepEqual(
    flows.active('src', { minValue: 300 }, T)?.map((f) => f.key),
    ['10.0.0.3', '10.0.0.1'],
  );
  assert.deepEqual(flows.active('src', { agents: new Set([B]) }, T)?.map(tuple), [
    ['10.0.0.3', 600, B, '3'],
    ['10.0.0.1', 200, B, '3'],
  ]);
  // Read 1.5 s later: each decayed by e^−1.5.
  const later = flows.active('src', {}, T + 1500);
  assert.ok(later);
  for (const [f, was] of later.map((f, i) => [f, [600, 300, 250][i]] as const))
    assert.ok(Math.abs(f.value - was * Math.exp(-1.5)) < 1e-9, `${f.key}: ${f.value}`);
});

// A sum is reported at its largest part's agent: 10.0.0.1 = 300 (agent A, first) + 200 (agent B) is at A.
test('active flows with aggMode sum: the sum, at its largest contributor', () => {
  const flows = twoAgents();
  const sum = flows.active('src', { aggMode: 'sum' }, T);
  assert.deepEqual(sum?.map(tuple), [
    ['10.0.0.3', 600, B, '3'],
    ['10.0.0.1', 500, A, '3'],
    ['10.0.0.2', 350, A, '4'],
  ]);
});

test("value() is one flow's value at one agent and data source", () => {
  const flows = twoAgents();
  assert.equal(flows.value(A, '3', 'src', '10.0.0.1', T), 300);
  assert.equal(flows.value(B, '3', 'src', '10.0.0.1', T), 200);
  assert.equal(flows.value(A, '4', 'src', '10.0.0.2', T), 250);
  assert.ok(Math.abs((flows.value(A, '3', 'src', '10.0.0.1', T + 2000) ?? 0) - 300 * Math.exp(-2)) < 1e-9);
  assert.equal(flows.value(A, '3', 'src', '10.0.0.3', T), 0, 'not seen there');
  assert.equal(flows.value(A, '3', 'nosuch', '10.0.0.1', T), undefined);
});

test('metrics(): per agent and data source, the largest flow and the n top flows', () => {
  const flows = twoAgents();
  feed(flows, 1, ctx('10.0.0.4', { time: T + 500 }));
  const now = T + 1000;
  const d = Math.exp(-1);
  const m = [...flows.metrics(now)].map((x) => ({ ...x, value: round(x.value), top: x.top.map(roundTop) }));
  assert.deepEqual(
    m.map((x) => [x.name, x.agent, x.dataSource, x.value, x.updated]),
    [
      ['src', A, '3', round(300 * d), T + 500],
      ['src', A, '4', round(250 * d), T],
      ['src', B, '3', round(600 * d), T],
    ],
  );
  // n = 2: 10.0.0.2 (100·e^−1) and 10.0.0.4 (100·e^−0.5) compete for the second place at A's data source 3.
  assert.deepEqual(m[0].top, [
    { key: '10.0.0.1', value: round(300 * d), lastUpdate: 1000 },
    { key: '10.0.0.4', value: round(100 * Math.exp(-0.5)), lastUpdate: 500 },
  ]);
  assert.deepEqual(
    m[2].top.map((t) => t.key),
    ['10.0.0.3', '10.0.0.1'],
  );
  assert.equal(m[1].top.length, 1);
});

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function roundTop(t: { key: string; value: number; lastUpdate: number }) {
  return { ...t, value: round(t.value) };
}

test('log:true records a flow when it goes idle: its scaled total, start and end', () => {
  const flows = new Flows(testEnv(), 100);
  flows.set('log', { keys: 'ipsource', value: 'bytes', t: 1, log: true });
  flows.set('quiet', { keys: 'ipsource', value: 'bytes', t: 1 });
  flows.sample(ctx('10.0.0.1', { rate: 10 }));
  flows.sample(ctx('10.0.0.1', { rate: 10, time: T + 500 }));
  // Idle after 12 time constants (12 s) without a sample.
  flows.tick(T + 500 + 12_000);
  assert.equal(flows.completed.lastId, 0);
  flows.tick(T + 500 + 12_001);
  const [rec, ...more] = flows.completed.since(0);
  assert.equal(more.length, 0, 'one record, and none for the definition without log');
  const { end, ...rest } = rec;
  assert.deepEqual(rest, {
    flowID: 1,
    name: 'log',
    flowKeys: '10.0.0.1',
    value: 2 * frameLength(100) * 10,
    start: T,
    agent: A,
    dataSource: '3',
  });
  assert.ok(end >= T + 500 && end <= T + 12_501, `end ${end}`);
  assert.equal(flows.active('log', {}, T + 12_501)?.length, 0);
});

test('log:true with activeTimeout records a long flow each period and starts it again', () => {
  const flows = new Flows(testEnv(), 100);
  flows.set('log', { keys: 'ipsource', value: 'frames', t: 1, log: true, activeTimeout: 5 });
  for (const at of [0, 2000, 4000]) flows.sample(ctx('10.0.0.1', { time: T + at }));
  flows.tick(T + 4999);
  assert.equal(flows.completed.lastId, 0);
  flows.tick(T + 5000);
  flows.sample(ctx('10.0.0.1', { time: T + 6000 }));
  flows.tick(T + 10_000);
  const recs = flows.completed
    .since(0)
    .map(({ flowID, value, start, end }) => ({ flowID, value, start, end }));
  assert.deepEqual(recs, [
    { flowID: 2, value: 100, start: T + 5000, end: T + 10_000 },
    { flowID: 1, value: 300, start: T, end: T + 5000 },
  ]);
});

test('flowStart:true also records a flow when it starts', () => {
  const flows = new Flows(testEnv(), 100);
  flows.set('log', { keys: 'ipsource', value: 'frames', t: 1, log: true, flowStart: true });
  flows.set('nolog', { keys: 'ipsource', value: 'frames', t: 1, flowStart: true });
  flows.sample(ctx('10.0.0.1', { rate: 7 }));
  flows.sample(ctx('10.0.0.1', { rate: 7, time: T + 100 }));
  flows.sample(ctx('10.0.0.2', { rate: 7, time: T + 200 }));
  assert.deepEqual(
    flows.completed.since(0).map((r) => [r.flowID, r.name, r.flowKeys, r.value, r.start, r.end]),
    [
      [2, 'log', '10.0.0.2', 7, T + 200, T + 200],
      [1, 'log', '10.0.0.1', 7, T, T],
    ],
  );
});

test('a logged flow evicted to keep the table bounded is recorded; stats count it', () => {
  const flows = new Flows(testEnv(), 4);
  flows.set('log', { keys: 'ipsource', value: 'frames', t: 1, log: true });
  for (let i = 1; i <= 4; i++) feed(flows, i + 1, ctx(`10.0.0.${i}`));
  flows.sample(ctx('10.0.0.9'));
  // Cut at the second smallest of 200, 300, 400, 500: 10.0.0.1 and 10.0.0.2 go.
  assert.deepEqual(flows.stats(), { evicted: 2, held: 3 });
  assert.deepEqual(
    flows.completed
      .since(0)
      .map((r) => [r.flowKeys, r.value])
      .sort(),
    [
      ['10.0.0.1', 200],
      ['10.0.0.2', 300],
    ],
  );
});

// activeTimeout starts a long flow's record again (count back to 0); that is not a flow start, so there is
// no start record in the middle of its second period.
test('flowStart: a flow restarted by activeTimeout does not start again', () => {
  const flows = new Flows(testEnv(), 100);
  flows.set('log', { keys: 'ipsource', t: 1, log: true, flowStart: true, activeTimeout: 5 });
  for (const at of [0, 2000, 4000]) flows.sample(ctx('10.0.0.1', { time: T + at }));
  flows.tick(T + 5000);
  flows.sample(ctx('10.0.0.1', { time: T + 6000 }));
  flows.tick(T + 10_000);
  assert.deepEqual(
    flows.completed.since(0).map((r) => [r.flowID, r.start - T, r.end - T, r.value]),
    [
      [3, 5000, 10_000, 100],
      [2, 0, 5000, 300],
      [1, 0, 0, 100],
    ],
  );
});
