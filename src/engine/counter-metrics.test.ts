/**
 * Counter metrics against the generator's truth: a host's traffic, CPU, memory and disk between
 * two polls, a web server's request rates and a memcache server's operation rates are what the simulated data
 * center did; 32-bit counters that wrap give the same rates, a reset gives none, the first poll gauges only;
 * and docs/metrics.md names every metric.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Emitted } from '../generator/agent.js';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC } from '../generator/fabric.js';
import type { TruthFlow } from '../generator/truth.js';
import { type CountersSample, decodeDatagram, encodeDatagram } from '../sflow/index.js';
import { counterMetricNames, counterMetrics } from './counter-metrics.js';
import { interfaceMetrics } from './interface-metrics.js';

interface Poll {
  time: number;
  sample: CountersSample;
}

const dc = new DataCenter({ fabric: DEFAULT_FABRIC, scenario: 'steady', seed: 7, duration: 180, flows: 200 });
const emitted: Emitted[] = [];
for (let s = dc.nextSecond(); s; s = dc.nextSecond()) emitted.push(...s);
const truth = dc.truth();

/** The counter samples of one agent's sub-agent and data source, with the second each was taken in. */
function polls(agent: string, subAgentId: number, sourceIdType: number, sourceIdIndex: number): Poll[] {
  const out: Poll[] = [];
  for (const e of emitted) {
    if (e.agent !== agent) continue;
    const d = decodeDatagram(e.bytes);
    if (d.subAgentId !== subAgentId) continue;
    for (const s of d.samples)
      if (
        (s.name === 'counters_sample' || s.name === 'counters_sample_expanded') &&
        s.sourceIdType === sourceIdType &&
        s.sourceIdIndex === sourceIdIndex
      )
        out.push({ time: Math.floor(e.time), sample: s });
  }
  return out;
}

/** The agents of one sub-agent id (1 web servers, 2 memcache servers). */
function appAgents(subAgentId: number): string[] {
  const agents = new Set<string>();
  for (const e of emitted) if (decodeDatagram(e.bytes).subAgentId === subAgentId) agents.add(e.agent);
  return [...agents];
}

/** Per second over the seconds after `a` up to `b`: the sum of `value` over the flows `keep` selects. */
function truthRate(a: Poll, b: Poll, keep: (f: TruthFlow) => boolean, value: (f: TruthFlow) => number) {
  let total = 0;
  for (let t = a.time + 1; t <= b.time; t++)
    for (const f of truth.flows) if (keep(f) && f.start <= t && t < f.end) total += value(f);
  return total / (b.time - a.time);
}

function near(actual: unknown, expected: number, tolerance: number, what: string) {
  assert.equal(typeof actual, 'number', `${what} missing`);
  assert.ok(Math.abs((actual as number) - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

const host = dc.fabric.hosts.find((h) => truth.flows.some((f) => f.dst === h.name && f.src !== h.name));
assert.ok(host);
const hostPolls = polls(host.ipv4, 100000, 2, 1);

test("a host's traffic, CPU, memory and disk between two polls are the truth's", () => {
  assert.ok(hostPolls.length >= 5, `${hostPolls.length} polls`);
  for (let i = 1; i < hostPolls.length; i++) {
    const [a, b] = [hostPolls[i - 1], hostPolls[i]];
    const m = counterMetrics(b.sample, a.sample, b.time - a.time);
    const into = (f: TruthFlow) => f.dst === host.name;
    const outOf = (f: TruthFlow) => f.src === host.name;
    // Counters are whole numbers: each end rounds by up to half.
    near(
      m.bytes_in,
      truthRate(a, b, into, (f) => f.bitsPerSecond / 8),
      1,
      'bytes_in',
    );
    near(
      m.bytes_out,
      truthRate(a, b, outOf, (f) => f.bitsPerSecond / 8),
      1,
      'bytes_out',
    );
    near(
      m.pkts_in,
      truthRate(a, b, into, (f) => f.packetsPerSecond),
      1,
      'pkts_in',
    );
    // The host agent counts at least a thousand interrupts and five thousand context switches a second.
    assert.ok((m.interrupts as number) >= 1000 && (m.contexts as number) >= 5000, 'interrupts, contexts');
    // Busy time splits 6:3:1 into user, system and I/O wait; all the CPU times make 100%.
    const cpu = [
      'cpu_user',
      'cpu_nice',
      'cpu_system',
      'cpu_idle',
      'cpu_wio',
      'cpu_intr',
      'cpu_sintr',
      'cpu_steal',
    ];
    near(
      cpu.reduce((s, n) => s + (m[n] as number), 0),
      100,
      1e-9,
      'sum of CPU times',
    );
    near(m.cpu_user, 2 * (m.cpu_system as number), 0.01, 'cpu_user');
    near(m.cpu_wio, (m.cpu_system as number) / 3, 0.01, 'cpu_wio');
    near(m.cpu_utilization, 100 - (m.cpu_idle as number), 1e-9, 'cpu_utilization');
    assert.ok((m.cpu_utilization as number) > 0 && (m.cpu_utilization as number) < 100);
    // Memory: free moves with load; buffers are 2% and the page cache 25% of the total.
    near(m.mem_utilization, 100 - (100 * (m.mem_free as number)) / (m.mem_total as number) - 27, 1e-6, 'mem');
    assert.equal(m.disk_utilization, 40);
    assert.equal(m.part_max_used, 42);
    near(m.load_one_per_cpu, (m.load_one as number) / (m.cpu_num as number), 1e-12, 'load_one_per_cpu');
    assert.equal(m.host_name, host.name);
    assert.equal(m.os_name, 'linux');
    assert.equal(m.machine_type, 'x86_64');
    assert.match(m.uuid as string, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  }
});

test('if_counters in a counter sample give the interface metrics', () => {
  const nic = polls(host.ipv4, 100000, 0, 2);
  const [a, b] = nic;
  const ifCounters = (p: Poll) => {
    const r = p.sample.records.find((x) => x.name === 'if_counters');
    assert.ok(r?.name === 'if_counters');
    return r.value;
  };
  const m = counterMetrics(b.sample, a.sample, b.time - a.time);
  assert.deepEqual(m, interfaceMetrics(ifCounters(b), ifCounters(a), b.time - a.time));
  assert.ok((m.ifinoctets as number) > 0);
});

test("a web server's request rates and a memcache server's operation rates are the truth's", () => {
  let checked = 0;
  for (const agent of appAgents(1)) {
    const server = dc.fabric.hosts.find((h) => h.ipv4 === agent);
    assert.ok(server);
    const web = polls(agent, 1, 3, 80);
    for (let i = 1; i < web.length; i++) {
      const [a, b] = [web[i - 1], web[i]];
      const m = counterMetrics(b.sample, a.sample, b.time - a.time);
      // A request is 500 bytes of a client's HTTP(S) flow to the server.
      const requests = truthRate(
        a,
        b,
        (f) => f.dst === server.name && f.answers === undefined && (f.app === 'http' || f.app === 'https'),
        (f) => f.bitsPerSecond / 8 / 500,
      );
      // Three methods and four status classes, each a rounded counter.
      near(m.http_requests, requests, 3 / (b.time - a.time) + 1e-9, 'http_requests');
      if (requests < 100) continue;
      near((m.http_method_get as number) / requests, 0.85, 0.01, 'GET share');
      const statuses = ['http_status_2xx', 'http_status_3xx', 'http_status_4xx', 'http_status_5xx'];
      near(
        statuses.reduce((s, n) => s + (m[n] as number), 0),
        requests,
        4 / (b.time - a.time) + 1e-6,
        'statuses',
      );
      checked++;
    }
  }
  for (const agent of appAgents(2)) {
    const server = dc.fabric.hosts.find((h) => h.ipv4 === agent);
    assert.ok(server);
    const mc = polls(agent, 2, 3, 11211);
    for (let i = 1; i < mc.length; i++) {
      const [a, b] = [mc[i - 1], mc[i]];
      const m = counterMetrics(b.sample, a.sample, b.time - a.time);
      const requests = (f: TruthFlow) =>
        f.dst === server.name && f.answers === undefined && f.app === 'memcache';
      const bytes = truthRate(a, b, requests, (f) => f.bitsPerSecond / 8);
      near(m.memcache_bytes_read, bytes, 1, 'memcache_bytes_read');
      near(m.memcache_bytes_written, 10 * bytes, 1, 'memcache_bytes_written');
      // An operation is 150 bytes; 80% are gets, 5% of which miss.
      near(m.memcache_get_hits, (bytes / 150) * 0.8 * 0.95, 1, 'memcache_get_hits');
      near(m.memcache_get_misses, (bytes / 150) * 0.8 * 0.05, 1, 'memcache_get_misses');
      assert.equal(m.memcache_curr_connections, 40);
      assert.equal(m.memcache_limit_maxbytes, 1024 ** 3);
      if (bytes > 0) checked++;
    }
  }
  assert.ok(checked >= 6, `${checked} intervals checked`);
});

/** A record's value, its fields by name. */
function fieldsOf(s: CountersSample, name: string): Record<string, number> {
  const r = s.records.find((x) => x.name === name);
  assert.ok(r && 'value' in r, name);
  return r.value as unknown as Record<string, number>;
}

/** 32-bit counters of host_cpu and host_net_io. */
const COUNTERS_32 = {
  host_cpu: [
    'interrupts',
    'contexts',
    'cpuUser',
    'cpuNice',
    'cpuSystem',
    'cpuIdle',
    'cpuWio',
    'cpuIntr',
    'cpuSintr',
  ],
  host_net_io: ['pktsIn', 'errsIn', 'dropsIn', 'packetsOut', 'errsOut', 'dropsOut'],
} as const;

/**
 * The two polls with each 32-bit counter moved so that the first reads `start`, the second what it read plus
 * the same change; or, with `reset`, the second reads only that change, as if the agent had restarted. Sent
 * through the encoder and decoder, so the values are ones the wire can carry.
 */
function moved(a: Poll, b: Poll, start: number, reset = false): [CountersSample, CountersSample] {
  const copy = (s: CountersSample) => structuredClone(s);
  const [a2, b2] = [copy(a.sample), copy(b.sample)];
  for (const [record, fields] of Object.entries(COUNTERS_32)) {
    const [ra, rb] = [fieldsOf(a2, record), fieldsOf(b2, record)];
    for (const f of fields) {
      const d = (rb[f] - ra[f] + 2 ** 32) % 2 ** 32;
      ra[f] = start;
      rb[f] = reset ? d : (start + d) % 2 ** 32;
    }
  }
  const wire = (s: CountersSample) =>
    decodeDatagram(
      encodeDatagram({
        version: 5,
        agentAddress: host?.ipv4 ?? '',
        subAgentId: 100000,
        sequenceNumber: 1,
        uptime: 0,
        samples: [s],
      }),
    ).samples[0] as CountersSample;
  return [wire(a2), wire(b2)];
}

test('32-bit counters that wrap between two polls give the same rates', () => {
  const [a, b] = hostPolls;
  const seconds = b.time - a.time;
  const plain = counterMetrics(b.sample, a.sample, seconds);
  const [a2, b2] = moved(a, b, 2 ** 32 - 1000);
  assert.ok(fieldsOf(b2, 'host_cpu').interrupts < 2 ** 32 - 1000, 'the counter wrapped');
  const wrapped = counterMetrics(b2, a2, seconds);
  for (const name of [
    'interrupts',
    'contexts',
    'pkts_in',
    'pkts_out',
    'cpu_user',
    'cpu_idle',
    'cpu_utilization',
  ])
    near(wrapped[name], plain[name] as number, 1e-9, name);
});

test('a counter that goes down (an agent restart) gives no rate, and the gauges stay', () => {
  const [a, b] = hostPolls;
  const [a2, b2] = moved(a, b, 2 ** 30, true);
  const m = counterMetrics(b2, a2, b.time - a.time);
  for (const name of ['interrupts', 'contexts', 'pkts_in', 'cpu_user', 'cpu_idle', 'cpu_utilization'])
    assert.equal(m[name], undefined, name);
  // 64-bit counters that did not go down still give rates.
  assert.equal(typeof m.bytes_in, 'number');
  assert.equal(m.cpu_num, (counterMetrics(b.sample, undefined, undefined) as { cpu_num: number }).cpu_num);
  assert.equal(m.host_name, host.name);
});

test('the first poll gives gauges only', () => {
  const [a, b] = hostPolls;
  const both = counterMetrics(b.sample, a.sample, b.time - a.time);
  const first = counterMetrics(b.sample, undefined, undefined);
  for (const name of ['bytes_in', 'interrupts', 'reads', 'cpu_user', 'cpu_utilization', 'page_in'])
    assert.equal(first[name], undefined, name);
  for (const name of ['host_name', 'load_one', 'mem_total', 'mem_utilization', 'disk_utilization', 'cpu_num'])
    assert.equal(first[name], both[name], name);
  for (const name of Object.keys(first)) assert.ok(name in both, name);
  // No interval, no rates.
  assert.equal(counterMetrics(b.sample, a.sample, 0).bytes_in, undefined);
});

test('unknown and invalid records are skipped', () => {
  const [a, b] = hostPolls;
  const withJunk = (s: CountersSample): CountersSample => ({
    ...s,
    records: [{ name: 'unknown', tag: '9:9', bytes: new Uint8Array(4) }, ...s.records],
  });
  assert.deepEqual(
    counterMetrics(withJunk(b.sample), withJunk(a.sample), b.time - a.time),
    counterMetrics(b.sample, a.sample, b.time - a.time),
  );
});

test('docs/metrics.md names every metric', () => {
  const docs = readFileSync('docs/metrics.md', 'utf8');
  const [a, b] = polls(host.ipv4, 100000, 0, 2);
  const names = [
    ...counterMetricNames(),
    ...Object.keys(counterMetrics(b.sample, a.sample, b.time - a.time)), // if_counters'
  ];
  assert.ok(names.length > 150);
  for (const name of new Set(names)) assert.ok(docs.includes(`\`${name}\``), `${name} missing from docs`);
});
