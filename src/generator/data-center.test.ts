/**
 * The simulated data center against what it promises: valid sFlow in every scenario, the same bytes for the
 * same seed, a truth that the samples bear out (within sampling error), counters that count the traffic, and
 * each scenario's story visible in the data.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDatagram } from '../sflow/index.js';
import type { Datagram, FlowSample } from '../sflow/model.js';
import { ipv6Text } from '../xdr/address-text.js';
import type { Emitted } from './agent.js';
import { DataCenter, type GeneratorConfig } from './data-center.js';
import { DEFAULT_FABRIC } from './fabric.js';
import { SCENARIOS, type ScenarioName } from './scenarios.js';
import type { TruthFlow } from './truth.js';

function run(scenario: ScenarioName, duration = 60, seed = 7): { dc: DataCenter; emitted: Emitted[] } {
  const config: GeneratorConfig = { fabric: DEFAULT_FABRIC, scenario, seed, duration, flows: 300 };
  const dc = new DataCenter(config);
  const emitted: Emitted[] = [];
  for (let s = dc.nextSecond(); s; s = dc.nextSecond()) emitted.push(...s);
  return { dc, emitted };
}

function flowSamples(d: Datagram): FlowSample[] {
  return d.samples.filter(
    (s): s is FlowSample => s.name === 'flow_sample' || s.name === 'flow_sample_expanded',
  );
}

for (const scenario of SCENARIOS) {
  test(`${scenario}: every datagram decodes cleanly, with agents' sequence numbers in order`, () => {
    const { emitted } = run(scenario, 40);
    assert.ok(emitted.length > 500, `${emitted.length} datagrams`);
    const last = new Map<string, number>();
    const sources = new Map<string, { sequence: number; pool: number }>();
    let time = 0;
    for (const e of emitted) {
      const d = decodeDatagram(e.bytes);
      for (const s of d.samples) {
        assert.ok(s.name !== 'invalid' && s.name !== 'unknown', `${e.agent}: ${s.name}`);
        if ('records' in s)
          for (const r of s.records) assert.ok(r.name !== 'invalid' && r.name !== 'unknown');
      }
      const key = `${d.agentAddress}/${d.subAgentId}`;
      assert.equal(d.sequenceNumber, (last.get(key) ?? 0) + 1, key);
      last.set(key, d.sequenceNumber);
      // Per data source: sample sequence numbers one up each time, pools never back.
      for (const s of d.samples) {
        if (!('sourceIdIndex' in s)) continue;
        const source = `${key} ${s.name.startsWith('flow') ? 'flow' : 'counters'} ${s.sourceIdType}:${s.sourceIdIndex}`;
        const before = sources.get(source);
        assert.equal(s.sequenceNumber, (before?.sequence ?? 0) + 1, source);
        const pool = 'samplePool' in s ? s.samplePool : 0;
        assert.ok(pool >= (before?.pool ?? 0), `${source}: pool ${pool} after ${before?.pool}`);
        sources.set(source, { sequence: s.sequenceNumber, pool });
      }
      assert.ok(e.time >= time, 'in time order');
      time = e.time;
      assert.ok(e.bytes.length <= 1400, `${e.bytes.length} bytes`);
    }
  });
}

test('the same seed gives the same datagrams; another seed other ones', () => {
  const a = run('ddos', 20, 11).emitted;
  const b = run('ddos', 20, 11).emitted;
  const c = run('ddos', 20, 12).emitted;
  assert.deepEqual(
    a.map((e) => Buffer.from(e.bytes).toString('hex')),
    b.map((e) => Buffer.from(e.bytes).toString('hex')),
  );
  assert.notDeepEqual(
    a.map((e) => e.bytes.length),
    c.map((e) => e.bytes.length),
  );
});

/** Measured bit/s of `flow` from the samples its first switch took where it came in, and how many. */
function measure(emitted: Emitted[], flow: TruthFlow): { bitsPerSecond: number; samples: number } {
  const hop = flow.path[0];
  const v6 = flow.srcIp.includes(':');
  let bytes = 0;
  let samples = 0;
  for (const e of emitted) {
    if (e.agent !== hop.agent) continue;
    for (const s of flowSamples(decodeDatagram(e.bytes))) {
      if (s.inputValue !== hop.inIfIndex) continue;
      const header = s.records.find((r) => r.name === 'sampled_header');
      if (header?.name !== 'sampled_header') continue;
      const h = Buffer.from(header.value.header);
      // Untagged Ethernet on a host's port, then IPv4 or IPv6 and the transport's source port.
      const src = v6 ? ipv6Text(h.subarray(22, 38)) : [...h.subarray(26, 30)].join('.');
      const sport = h.readUInt16BE(v6 ? 54 : 34);
      if (src !== flow.srcIp || sport !== flow.srcPort) continue;
      samples++;
      bytes += (header.value.frameLength - header.value.stripped - 14) * s.samplingRate;
    }
  }
  return { bitsPerSecond: (bytes * 8) / (flow.end - flow.start), samples };
}

test("elephants' rates, measured from their samples and scaled by the sampling rate, are within the sampling error", () => {
  // 196·√(1/c) % is a 95% bound: over several elephants most are within it, and all within 3σ.
  const errors: { error: number; bound: number }[] = [];
  for (const seed of [7, 8, 9]) {
    const { dc, emitted } = run('elephants', 120, seed);
    const truth = dc.truth();
    for (const event of truth.timeline) {
      const flow = truth.flows.find((f) => f.id === event.flows?.[0]) as TruthFlow;
      const m = measure(emitted, flow);
      assert.ok(m.samples > 100, `${m.samples} samples`);
      const error = Math.abs(m.bitsPerSecond - flow.bitsPerSecond) / flow.bitsPerSecond;
      errors.push({ error, bound: 1.96 * Math.sqrt(1 / m.samples) });
    }
  }
  assert.equal(errors.length, 9);
  const within = errors.filter((e) => e.error <= e.bound).length;
  assert.ok(within >= 7, `${within} of 9 within the 95% bound: ${JSON.stringify(errors)}`);
  for (const e of errors) assert.ok(e.error <= (3 / 1.96) * e.bound, JSON.stringify(e));
});

test('interface counters count exactly the traffic the truth says went through the port', () => {
  const { dc, emitted } = run('steady', 90);
  const truth = dc.truth();
  const port = truth.interfaces
    .filter((i) => i.peer.startsWith('host'))
    .sort((a, b) => b.inBitsPerSecond[0] - a.inBitsPerSecond[0])[0];
  const polls: { time: number; octets: bigint }[] = [];
  for (const e of emitted) {
    if (e.agent !== port.agent) continue;
    for (const s of decodeDatagram(e.bytes).samples) {
      if (s.name !== 'counters_sample' || s.sourceIdIndex !== port.ifIndex) continue;
      const c = s.records.find((r) => r.name === 'if_counters');
      if (c?.name === 'if_counters') polls.push({ time: Math.floor(e.time), octets: c.value.ifInOctets });
    }
  }
  assert.ok(polls.length >= 3, `${polls.length} polls`);
  // Counters are read at the end of the second they are sent in.
  const [a, b] = [polls[1], polls[2]];
  const expected = port.inBitsPerSecond.slice(a.time + 1, b.time + 1).reduce((x, y) => x + y, 0) / 8;
  const got = Number(b.octets - a.octets);
  assert.ok(Math.abs(got - expected) <= (b.time - a.time) * 400, `${got} octets, truth ${expected}`);
});

test('idlePorts: leaf ports with no host report counters too, oper down and silent', () => {
  const config: GeneratorConfig = {
    fabric: DEFAULT_FABRIC,
    scenario: 'steady',
    seed: 7,
    duration: 40,
    flows: 100,
  };
  const ports = (idlePorts: boolean) => {
    const dc = new DataCenter({ ...config, fabric: { ...DEFAULT_FABRIC, idlePorts } });
    const seen = new Map<string, { status: number; octets: bigint }>();
    for (let second = dc.nextSecond(); second; second = dc.nextSecond())
      for (const e of second)
        for (const s of decodeDatagram(e.bytes).samples) {
          const c =
            s.name === 'counters_sample' ? s.records.find((r) => r.name === 'if_counters') : undefined;
          if (c?.name === 'if_counters' && e.agent.startsWith('10.0.0.'))
            seen.set(`${e.agent} ${c.value.ifIndex}`, {
              status: c.value.ifStatus,
              octets: c.value.ifInOctets,
            });
        }
    return seen;
  };
  const connected = ports(false);
  const all = ports(true);
  // 4 leaves of 48 ports and 2 uplinks, 2 spines of 4 ports.
  assert.equal(all.size, 4 * 50 + 2 * 4);
  assert.equal(connected.size, 40 + 4 * 2 + 2 * 4);
  for (const [port, c] of all) {
    if (connected.has(port)) continue;
    assert.deepEqual(c, { status: 1, octets: 0n }, `${port}: admin up, oper down, no traffic`);
  }
});

test('host-loss: the host falls silent at its time, and its port goes down', () => {
  const { dc, emitted } = run('host-loss', 60);
  const event = dc.truth().timeline.find((e) => e.kind === 'host_silent');
  assert.ok(event);
  const host = dc.fabric.hosts.find((h) => h.name === event.host);
  assert.ok(host);
  const fromHost = emitted.filter((e) => e.agent === host.ipv4);
  assert.ok(fromHost.some((e) => e.time < event.time));
  assert.ok(
    fromHost.every((e) => e.time < event.time + 1),
    'nothing after it went silent',
  );
});

test('memcache-storm: the hot key, then the misses, show in the sampled operations', () => {
  const { dc, emitted } = run('memcache-storm', 120);
  const timeline = dc.truth().timeline;
  const storm = timeline.find((e) => e.kind === 'miss_storm')?.time ?? 0;
  const hot = timeline.find((e) => e.kind === 'hot_key')?.time ?? 0;
  const ops: { time: number; key: string; status: number }[] = [];
  for (const e of emitted) {
    for (const s of flowSamples(decodeDatagram(e.bytes))) {
      for (const r of s.records)
        if (r.name === 'memcache_operation' && r.value.cmd === 7)
          ops.push({ time: e.time, key: String(r.value.key), status: r.value.status });
    }
  }
  const share = (list: typeof ops, f: (o: (typeof ops)[0]) => boolean) => list.filter(f).length / list.length;
  const before = ops.filter((o) => o.time < hot);
  const during = ops.filter((o) => o.time >= hot + 1 && o.time < storm);
  const missing = ops.filter((o) => o.time >= storm + 1 && o.time < timeline.at(-1)!.time);
  assert.ok(share(before, (o) => o.key === 'user:hot') < 0.05);
  assert.ok(share(during, (o) => o.key === 'user:hot') > 0.4);
  assert.ok(share(missing, (o) => o.status === 8) > 0.6);
});

test('the agents send what each kind sends: switches, hosts (0:2000–0:2006), web and memcache servers', () => {
  const { emitted } = run('steady', 40);
  const tags = new Map<string, Set<string>>();
  for (const e of emitted) {
    const d = decodeDatagram(e.bytes);
    const kind = d.agentAddress?.startsWith('10.0.0.') ? 'switch' : `host/${d.subAgentId}`;
    const set = tags.get(kind) ?? new Set();
    for (const s of d.samples) if ('records' in s) for (const r of s.records) set.add(`${s.tag} ${r.tag}`);
    tags.set(kind, set);
  }
  const has = (kind: string, ...want: string[]) =>
    assert.deepEqual(
      want.filter((w) => !tags.get(kind)?.has(w)),
      [],
      kind,
    );
  has('switch', '0:1 0:1', '0:1 0:1001', '0:1 0:1002', '0:2 0:1', '0:2 0:2');
  has(
    'host/100000',
    ...['0:2000', '0:2001', '0:2002', '0:2003', '0:2004', '0:2005', '0:2006'].map((t) => `0:4 ${t}`),
  );
  has('host/1', '0:1 0:2206', '0:1 0:2100', '0:2 0:2201');
  has('host/2', '0:1 0:2200', '0:1 0:2100', '0:2 0:2204');
});

test('a packet routed across the fabric: MACs rewritten and TTL one less at each switch, routers named', () => {
  const { dc, emitted } = run('steady', 60);
  // The largest such flow: sampled at every switch on its way.
  const flow = dc
    .truth()
    .flows.filter((f) => f.path.length === 3 && !f.srcIp.includes(':'))
    .sort((a, b) => b.bitsPerSecond - a.bitsPerSecond)[0];
  assert.ok(flow);
  const seen = new Map<string, { ttl: number; router?: string }>();
  for (const e of emitted) {
    for (const s of flowSamples(decodeDatagram(e.bytes))) {
      const h = s.records.find((r) => r.name === 'sampled_header');
      if (h?.name !== 'sampled_header') continue;
      const b = Buffer.from(h.value.header);
      const ip = b.readUInt16BE(12) === 0x8100 ? 18 : 14;
      if (
        [...b.subarray(ip + 12, ip + 16)].join('.') !== flow.srcIp ||
        b.readUInt16BE(ip + 20) !== flow.srcPort
      )
        continue;
      const router = s.records.find((r) => r.name === 'extended_router');
      seen.set(e.agent, {
        ttl: b[ip + 8],
        router: router?.name === 'extended_router' ? String(router.value.nexthop) : undefined,
      });
    }
  }
  assert.deepEqual(
    flow.path.map((p) => seen.get(p.agent)?.ttl),
    [64, 63, 62],
  );
  assert.deepEqual(
    flow.path.map((p) => seen.get(p.agent)?.router),
    [flow.path[1].agent, flow.path[2].agent, flow.dstIp],
  );
});
