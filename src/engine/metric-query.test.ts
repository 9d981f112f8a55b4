/**
 * Metric queries: each of sFlow-RT's aggregates on known lists (quartiles by linear interpolation between
 * order statistics, "type 7"; var the population variance); metric lists and their errors; and queries on an
 * engine fed if_counters datagrams (through encode and decode): numeric aggregates with their agent and ages,
 * string metrics with max: and any:, agents, and a flow definition as a metric with its topKeys.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ethernet, ipv4, udp } from '../packet/packet-builder.test-util.js';
import { encodeDatagram } from '../sflow/index.js';
import { AGGREGATES, aggregate } from './aggregate.js';
import { Engine } from './engine.js';
import { FlowContext } from './flow-context.js';
import { frameContext } from './flow-sample.test-util.js';
import { parseMetricList, queryMetric } from './metric-query.js';
import { SpecError } from './spec-error.js';

test('aggregates of a known list', () => {
  // Sorted: 2 4 4 4 5 5 7 9; mean 5, squared deviations 9 1 1 1 0 0 4 16 → population variance 32/8 = 4.
  // Type 7: the p-quantile is at position (n − 1)·p = 7p of the sorted list, interpolated:
  // q1 at 1.75 → 4, med at 3.5 → 4.5, q3 at 5.25 → 5 + 0.25·(7 − 5) = 5.5.
  const xs = [5, 2, 9, 4, 7, 4, 5, 4];
  const want: Record<string, number> = {
    max: 9,
    min: 2,
    sum: 40,
    avg: 5,
    var: 4,
    sdev: 2,
    med: 4.5,
    q1: 4,
    q2: 4.5,
    q3: 5.5,
    iqr: 1.5,
    any: 5,
  };
  assert.deepEqual(Object.keys(want).sort(), [...AGGREGATES].sort());
  for (const a of AGGREGATES) assert.equal(aggregate(a, xs), want[a], a);
  assert.deepEqual(xs, [5, 2, 9, 4, 7, 4, 5, 4], 'the input is not reordered');
});

test('quartiles interpolate; one value is every statistic; negatives and 10 > 9 sort as numbers', () => {
  // 1 2 3 4: positions 0.75, 1.5, 2.25.
  assert.deepEqual(
    (['q1', 'med', 'q3', 'iqr'] as const).map((a) => aggregate(a, [4, 1, 3, 2])),
    [1.75, 2.5, 3.25, 1.5],
  );
  assert.deepEqual(
    (['max', 'min', 'med', 'q1', 'q3', 'var', 'sdev'] as const).map((a) => aggregate(a, [7])),
    [7, 7, 7, 7, 7, 0, 0],
  );
  assert.equal(aggregate('max', [-3, -1, -2]), -1);
  assert.equal(aggregate('min', [3, 1, 2]), 1);
  assert.equal(aggregate('med', [10, 9, 100]), 10);
  assert.equal(aggregate('var', [1, 3]), 1, 'population, not sample (which would be 2)');
});

test('metric lists: max: by default, every aggregate prefix; bad prefixes and names are refused', () => {
  assert.deepEqual(parseMetricList('load_one,min:load_five,q3:if.x-1'), [
    { aggregate: 'max', name: 'load_one' },
    { aggregate: 'min', name: 'load_five' },
    { aggregate: 'q3', name: 'if.x-1' },
  ]);
  const bad: [string, RegExp][] = [
    ['mean:load_one', /'mean:' is not an aggregate/],
    ['max:', /'' is not a metric name/],
    ['', /'' is not a metric name/],
    ['load_one,', /'' is not a metric name/],
    ['max:a:b', /'a:b' is not a metric name/],
    ['load one', /'load one' is not a metric name/],
  ];
  for (const [text, reason] of bad)
    assert.throws(
      () => parseMetricList(text),
      (e) => e instanceof SpecError && reason.test(e.message),
      text,
    );
});

const ZERO = {
  ifInOctets: 0n,
  ifInUcastPkts: 0,
  ifInMulticastPkts: 0,
  ifInBroadcastPkts: 0,
  ifInDiscards: 0,
  ifInErrors: 0,
  ifInUnknownProtos: 0,
  ifOutOctets: 0n,
  ifOutUcastPkts: 0,
  ifOutMulticastPkts: 0,
  ifOutBroadcastPkts: 0,
  ifOutDiscards: 0,
  ifOutErrors: 0,
  ifPromiscuousMode: 0,
};

/** A datagram of `agent` with one if_counters sample per port: ifSpeed and ifDirection as given. */
function ports(agent: string, list: [index: number, speed: number, direction: number][]): Uint8Array {
  return encodeDatagram({
    version: 5,
    agentAddress: agent,
    subAgentId: 0,
    sequenceNumber: 1,
    uptime: 1000,
    samples: list.map(([index, speed, direction]) => ({
      name: 'counters_sample',
      tag: '0:2',
      sequenceNumber: 1,
      sourceIdType: 0,
      sourceIdIndex: index,
      records: [
        {
          name: 'if_counters',
          tag: '0:1',
          value: {
            ifIndex: index,
            ifType: 6,
            ifSpeed: BigInt(speed),
            ifDirection: direction,
            ifStatus: 3,
            ...ZERO,
          },
        },
      ],
    })),
  });
}

const T = 1_000_000;

/** Three agents' ports: ifspeed 1, 10, 100 and 1000 (×10^6), arriving at T, T + 1 s and T + 2 s. */
function engine(): Engine {
  const e = new Engine();
  e.receive(
    ports('192.0.2.1', [
      [1, 1e6, 1],
      [2, 1e7, 2],
    ]),
    '192.0.2.1',
    T,
  );
  e.receive(ports('192.0.2.2', [[1, 1e8, 3]]), '192.0.2.2', T + 1000);
  e.receive(ports('192.0.2.3', [[7, 1e9, 4]]), '192.0.2.3', T + 2000);
  return e;
}

test('a numeric metric across agents: the picked point has its agent, the others the ages', () => {
  const e = engine();
  const now = T + 5000;
  const q = (text: string, agents?: string[]) =>
    queryMetric(e, agents && new Set(agents), parseMetricList(text), now);
  assert.deepEqual(q('ifspeed'), [
    {
      metricName: 'ifspeed',
      metricN: 4,
      agent: '192.0.2.3',
      dataSource: '7',
      metricValue: 1e9,
      lastUpdate: 3000,
      lastUpdateMax: 5000,
      lastUpdateMin: 3000,
    },
  ]);
  assert.deepEqual(
    q('min:ifspeed').map((r) => [r.agent, r.dataSource, r.metricValue, r.lastUpdate]),
    [['192.0.2.1', '1', 1e6, 5000]],
  );
  assert.deepEqual(q('sum:ifspeed'), [
    {
      metricName: 'ifspeed',
      metricN: 4,
      metricValue: 1111e6,
      lastUpdate: 3000,
      lastUpdateMax: 5000,
      lastUpdateMin: 3000,
    },
  ]);
  assert.equal(q('avg:ifspeed')[0].metricValue, 1111e6 / 4);
  assert.equal(q('med:ifspeed')[0].metricValue, (1e7 + 1e8) / 2);
  assert.deepEqual(
    q('max:ifspeed,sum:ifspeed', ['192.0.2.1', '192.0.2.2']).map((r) => [r.metricN, r.agent, r.metricValue]),
    [
      [3, '192.0.2.2', 1e8],
      [3, undefined, 111e6],
    ],
  );
  assert.deepEqual(q('max:nosuchmetric'), [{ metricName: 'nosuchmetric', metricN: 0 }]);
});

test('a string metric: max: is the greatest text, any: a value with its agent; sum: has none', () => {
  const e = engine();
  const q = (text: string) => queryMetric(e, undefined, parseMetricList(text), T + 3000)[0];
  // ifdirection: full-duplex, half-duplex, in, out.
  assert.deepEqual([q('max:ifdirection').metricValue, q('max:ifdirection').agent], ['out', '192.0.2.3']);
  assert.deepEqual([q('min:ifdirection').metricValue, q('min:ifdirection').dataSource], ['full-duplex', '1']);
  const any = q('any:ifdirection');
  assert.equal(any.metricN, 4);
  assert.ok(['full-duplex', 'half-duplex', 'in', 'out'].includes(any.metricValue as string));
  assert.equal(typeof any.agent, 'string');
  assert.deepEqual(q('sum:ifdirection'), { metricName: 'ifdirection', metricN: 0 });
});

test('a flow definition is a metric: its largest flow per data source, with the top flows as topKeys', () => {
  const e = engine();
  e.flows.set('src', { keys: 'ipsource', value: 'frames', t: 1, n: 2 });
  const sample = (src: string) => frameContext(ethernetIpv4(src), { samplingRate: 10 }).sample;
  const feed = (agent: string, src: string, times: number) => {
    const s = sample(src);
    for (let i = 0; i < times; i++) e.flows.sample(new FlowContext(agent, s, T));
  };
  feed('192.0.2.1', '10.0.0.1', 3);
  feed('192.0.2.1', '10.0.0.2', 5);
  feed('192.0.2.1', '10.0.0.3', 1);
  feed('192.0.2.2', '10.0.0.1', 4);
  const [max, sum] = queryMetric(e, undefined, parseMetricList('src,sum:src'), T);
  assert.deepEqual(max, {
    metricName: 'src',
    metricN: 2,
    agent: '192.0.2.1',
    dataSource: '3',
    metricValue: 50,
    lastUpdate: 0,
    lastUpdateMax: 0,
    lastUpdateMin: 0,
    topKeys: [
      { key: '10.0.0.2', value: 50, lastUpdate: 0 },
      { key: '10.0.0.1', value: 30, lastUpdate: 0 },
    ],
  });
  assert.deepEqual([sum.metricN, sum.metricValue, sum.topKeys], [2, 90, undefined]);
  const at2 = queryMetric(e, new Set(['192.0.2.2']), parseMetricList('src'), T)[0];
  assert.deepEqual(at2.topKeys, [{ key: '10.0.0.1', value: 40, lastUpdate: 0 }]);
});

function ethernetIpv4(src: string): Uint8Array {
  return ethernet({
    type: 0x0800,
    payload: ipv4({ src, dst: '10.9.9.9', protocol: 17, payload: udp({ srcPort: 1, dstPort: 2 }) }),
  });
}
