/**
 * The engine end to end: datagrams that do not decode are counted by error code, for the engine and for their
 * sender, and never throw; the generator's datagrams are all counted, their counters become metrics (rates
 * over the agent's uptime) and their flow samples reach the flow definitions (logged totals equal the sampled
 * frames × sampling rate); thresholds fire through the engine on counters and on flows, and re-arm on tick;
 * tick() reports found and lost agents and forgets a lost agent's metrics; the allowlist.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Emitted } from '../generator/agent.js';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC } from '../generator/fabric.js';
import { switchDatagram } from '../generator/switch-datagram.js';
import { ethernet, ipv4, udp } from '../packet/packet-builder.test-util.js';
import { type CountersSample, decodeDatagram, encodeDatagram, SflowDecodeError } from '../sflow/index.js';
import { parseCidr } from './cidr.js';
import { Engine } from './engine.js';
import { frameContext } from './flow-sample.test-util.js';
import type { ThresholdEvent } from './thresholds.js';

const T = 1_000_000;
const PACKET_RECORDS = new Set(['sampled_header', 'sampled_ipv4', 'sampled_ipv6', 'sampled_ethernet']);

/** The decoder's error code for `bytes`. */
function codeOf(bytes: Uint8Array): string {
  try {
    decodeDatagram(bytes);
  } catch (e) {
    if (e instanceof SflowDecodeError) return e.code;
  }
  assert.fail('decodes');
}

test('datagrams that do not decode are counted by code, for the engine and their sender', () => {
  const e = new Engine();
  const good = switchDatagram();
  const version4 = Uint8Array.from(good);
  new DataView(version4.buffer).setUint32(0, 4);
  const addressType3 = Uint8Array.from(good);
  new DataView(addressType3.buffer).setUint32(4, 3);
  const cut = good.subarray(0, 200);
  const bad = [new Uint8Array(0), version4, addressType3, cut, new Uint8Array(3)];
  for (const b of bad) e.receive(b, '198.51.100.7', T);
  e.receive(good, '198.51.100.8', T);
  const want: Record<string, number> = { TRUNCATED: 2, UNSUPPORTED_VERSION: 1, BAD_ADDRESS_TYPE: 1 };
  want[codeOf(cut)] = (want[codeOf(cut)] ?? 0) + 1;
  assert.deepEqual(e.counts.decodeErrors, want);
  assert.equal(e.counts.datagrams, 6);
  assert.equal(e.counts.bytes, bad.reduce((s, b) => s + b.length, 0) + good.length);
  assert.deepEqual([e.counts.flowSamples, e.counts.counterSamples], [7, 1]);
  const sender = e.agents.list().find((a) => a.address === '198.51.100.7');
  assert.deepEqual(sender?.decodeErrors, want);
  assert.equal(sender?.datagrams, 0);
});

test('damaged datagrams never throw, and each is either decoded or counted as an error', () => {
  fc.assert(
    fc.property(
      fc.nat(100),
      fc.nat(1500),
      fc.array(fc.tuple(fc.nat(1500), fc.nat(255)), { maxLength: 4 }),
      (n, end, flips) => {
        const e = new Engine();
        const b = Uint8Array.from(switchDatagram(n).subarray(0, end));
        for (const [at, v] of flips) if (at < b.length) b[at] = v;
        e.receive(b, '198.51.100.7', T);
        const errors = Object.values(e.counts.decodeErrors).reduce((s, x) => s + x, 0);
        const decoded = e.agents.list().reduce((s, a) => s + a.datagrams, 0);
        return e.counts.datagrams === 1 && errors + decoded === 1 && !('INTERNAL' in e.counts.decodeErrors);
      },
    ),
    { numRuns: 300 },
  );
});

const dc = new DataCenter({ fabric: DEFAULT_FABRIC, scenario: 'steady', seed: 11, duration: 70, flows: 100 });
const emitted: Emitted[] = [];
for (let s = dc.nextSecond(); s; s = dc.nextSecond()) emitted.push(...s);

test("the generator's datagrams: all counted, counters to metrics, flow samples to the definitions", () => {
  const e = new Engine();
  e.flows.set('all', { keys: '', value: 'frames', t: 1, log: true });
  // What the datagrams hold, read here independently of the engine.
  let flowSamples = 0;
  let counterSamples = 0;
  const frames = new Map<string, number>();
  const octets = new Map<string, { uptime: number; ifInOctets: bigint; ifSpeed: bigint }[]>();
  let next = 0;
  for (let sec = 0; sec <= 70; sec++) {
    for (; next < emitted.length && emitted[next].time < sec + 1; next++) {
      const em = emitted[next];
      e.receive(em.bytes, em.agent, Math.round(em.time * 1000));
      const d = decodeDatagram(em.bytes);
      for (const s of d.samples) {
        if (s.name === 'flow_sample' || s.name === 'flow_sample_expanded') {
          flowSamples++;
          // `frames` counts the samples that describe a packet (flow-values.ts).
          if (!s.records.some((r) => PACKET_RECORDS.has(r.name))) continue;
          const id = `${d.agentAddress} ${s.sourceIdType === 0 ? '' : `${s.sourceIdType}.`}${s.sourceIdIndex}`;
          frames.set(id, (frames.get(id) ?? 0) + s.samplingRate);
        } else if (s.name === 'counters_sample' || s.name === 'counters_sample_expanded') {
          counterSamples++;
          for (const r of s.records) {
            if (r.name !== 'if_counters' || s.sourceIdType !== 0) continue;
            const id = `${d.agentAddress} ${s.sourceIdIndex}`;
            octets.set(id, [...(octets.get(id) ?? []), { uptime: d.uptime, ...r.value }]);
          }
        }
      }
    }
    e.tick((sec + 1) * 1000);
  }
  assert.equal(e.counts.datagrams, emitted.length);
  assert.equal(
    e.counts.bytes,
    emitted.reduce((s, x) => s + x.bytes.length, 0),
  );
  assert.deepEqual(e.counts.decodeErrors, {});
  assert.deepEqual([e.counts.flowSamples, e.counts.counterSamples], [flowSamples, counterSamples]);
  assert.ok(flowSamples > 100 && counterSamples > 100);
  assert.equal(
    new Set(e.agents.list().map((a) => a.address)).size,
    new Set(emitted.map((x) => x.agent)).size,
  );

  // Counters: each port's ifspeed, and its input rate over the last two polls by the agent's uptime.
  let rates = 0;
  for (const [id, polls] of octets) {
    const [agent, ds] = id.split(' ');
    const m = e.metrics.source(agent, ds);
    const [a, b] = [polls[polls.length - 2], polls[polls.length - 1]];
    assert.equal(m?.ifspeed, Number(b.ifSpeed), id);
    if (a === undefined) continue;
    const want = Number(b.ifInOctets - a.ifInOctets) / ((b.uptime - a.uptime) / 1000);
    assert.ok(
      Math.abs((m?.ifinoctets as number) - want) <= want * 1e-12,
      `${id}: ${m?.ifinoctets} vs ${want}`,
    );
    if (want > 0) rates++;
  }
  assert.ok(rates > 10, `${rates} ports with traffic`);

  // Flows: once every flow has gone idle, the logged totals are the frames sampled × the sampling rate.
  e.tick(71_000 + 12_001);
  const logged = new Map<string, number>();
  for (const r of e.flows.completed.since(0)) {
    const id = `${r.agent} ${r.dataSource}`;
    logged.set(id, (logged.get(id) ?? 0) + r.value);
  }
  assert.deepEqual(new Map([...logged].sort()), new Map([...frames].sort()));
});

/** The generator's switch datagram cut to its counter sample (if_counters of port 3), as `agent`'s. */
function port(agent: string, speed: number): Uint8Array {
  const d = decodeDatagram(switchDatagram());
  const samples = d.samples.filter((x): x is CountersSample => x.name === 'counters_sample');
  for (const x of samples)
    for (const r of x.records) if (r.name === 'if_counters') r.value = { ...r.value, ifSpeed: BigInt(speed) };
  assert.equal(samples.length, 1);
  return encodeDatagram({ ...d, agentAddress: agent, samples });
}

test("tick() reports agents found and lost, and forgets a lost agent's metrics", () => {
  const e = new Engine();
  e.receive(port('192.0.2.1', 1e9), '192.0.2.1', T);
  e.tick(T);
  e.receive(port('192.0.2.2', 1e9), '192.0.2.2', T + 30_000);
  e.tick(T + 60_000);
  assert.equal(e.metrics.source('192.0.2.1', '3')?.ifspeed, 1e9, 'silent for 60 s: not yet lost');
  e.tick(T + 60_001);
  const events = e.events.since(0).reverse();
  assert.deepEqual(
    events.map((x) => [x.eventID, x.thresholdID, x.agent, x.timestamp - T]),
    [
      [1, 'agent_found', '192.0.2.1', 0],
      [2, 'agent_found', '192.0.2.2', 30_000],
      [3, 'agent_lost', '192.0.2.1', 60_001],
    ],
  );
  assert.ok(events.every((x) => x.metric === 'agent' && x.dataSource === ''));
  assert.equal(e.metrics.source('192.0.2.1', '3'), undefined);
  assert.equal(e.metrics.source('192.0.2.2', '3')?.ifspeed, 1e9);
});

test('thresholds fire through the engine on counter metrics and on flows, and re-arm on tick', () => {
  const e = new Engine();
  e.thresholds.set('fast', { metric: 'ifspeed', value: 5e9, filter: { ifdirection: 'full-duplex' } });
  e.receive(port('192.0.2.1', 1e9), '192.0.2.1', T);
  e.receive(port('192.0.2.2', 1e10), '192.0.2.2', T);
  e.flows.set('src', { keys: 'ipsource', value: 'frames', t: 1 });
  e.thresholds.set('big', { metric: 'src', value: 250, byFlow: true, timeout: 1 });
  const frame = ethernet({
    type: 0x0800,
    payload: ipv4({
      src: '10.0.0.1',
      dst: '10.9.9.9',
      protocol: 17,
      payload: udp({ srcPort: 1, dstPort: 2 }),
    }),
  });
  const ctx = frameContext(frame, { samplingRate: 100 });
  const flowDatagram = (seq: number) =>
    encodeDatagram({
      version: 5,
      agentAddress: '192.0.2.3',
      subAgentId: 0,
      sequenceNumber: seq,
      uptime: seq,
      samples: [ctx.sample],
    });
  // 100 frames/s per sample at t = 1 s: the third sample takes the flow to 300, above 250.
  for (let i = 1; i <= 3; i++) e.receive(flowDatagram(i), '192.0.2.3', T);
  e.receive(flowDatagram(4), '192.0.2.3', T);
  // 2 s later the flow has decayed to 400·e^−2, below 250, and the 1 s timeout has passed: re-armed.
  e.tick(T + 2000);
  for (let i = 5; i <= 7; i++) e.receive(flowDatagram(i), '192.0.2.3', T + 2000);
  const events = e.events
    .since(0)
    .reverse()
    .filter((x): x is ThresholdEvent => x.metric !== 'agent');
  assert.deepEqual(
    events.map((x) => [x.thresholdID, x.agent, x.dataSource, x.flowKey, x.timestamp]),
    [
      ['fast', '192.0.2.2', '3', undefined, T],
      ['big', '192.0.2.3', '3', '10.0.0.1', T],
      ['big', '192.0.2.3', '3', '10.0.0.1', T + 2000],
    ],
  );
  assert.deepEqual(
    events.map((x) => [x.value, x.threshold]),
    [
      [1e10, 5e9],
      [300, 250],
      [400 * Math.exp(-2) + 200, 250],
    ],
  );
});

/** Engine `e` gets `n` samples of flow `src` at agent 192.0.2.3, data source `ds`, 100 frames each, at `now`. */
function flowSamples(e: Engine, src: string, ds: number, n: number, now: number): void {
  const frame = ethernet({
    type: 0x0800,
    payload: ipv4({ src, dst: '10.9.9.9', protocol: 17, payload: udp({ srcPort: 1, dstPort: 2 }) }),
  });
  const { sample } = frameContext(frame, { samplingRate: 100, sourceIdIndex: ds });
  const d = { version: 5, agentAddress: '192.0.2.3', subAgentId: 0, sequenceNumber: 1, uptime: 1 } as const;
  const bytes = encodeDatagram({ ...d, samples: [sample] });
  for (let i = 0; i < n; i++) e.receive(bytes, '192.0.2.3', now);
}

function thresholdEvents(e: Engine) {
  return e.events
    .since(0)
    .reverse()
    .filter((x): x is ThresholdEvent => x.metric !== 'agent')
    .map((x) => [x.thresholdID, x.dataSource, x.flowKey, x.timestamp - T]);
}

// A flow that went idle (12·t) and comes back is a new table entry; its threshold state is kept by
// "agent dataSource flowKey", so it does not fire again before the 60 s timeout since its event.
test('byFlow: a flow that expired and came back does not fire again before the timeout', () => {
  const e = new Engine();
  e.flows.set('src', { keys: 'ipsource', value: 'frames', t: 1 });
  e.thresholds.set('big', { metric: 'src', value: 250, byFlow: true, timeout: 60 });
  flowSamples(e, '10.0.0.1', 3, 3, T);
  assert.equal(e.flows.value('192.0.2.3', '3', 'src', '10.0.0.1', T), 300);
  e.tick(T + 12_001);
  assert.equal(e.flows.value('192.0.2.3', '3', 'src', '10.0.0.1', T + 12_001), 0, 'expired');
  flowSamples(e, '10.0.0.1', 3, 3, T + 13_000);
  assert.deepEqual(thresholdEvents(e), [['big', '3', '10.0.0.1', 0]]);
});

// A flow threshold without byFlow re-arms on the largest flow of the data source that fired, not of the
// agent: data source 3, back to 300·e^−2 ≈ 41, re-arms though data source 4 carries a large flow.
test('a flow threshold re-arms per data source', () => {
  const e = new Engine();
  e.flows.set('src', { keys: 'ipsource', value: 'frames', t: 1 });
  e.thresholds.set('any', { metric: 'src', value: 250, timeout: 1 });
  flowSamples(e, '10.0.0.1', 3, 3, T);
  flowSamples(e, '10.0.0.2', 4, 3, T);
  flowSamples(e, '10.0.0.2', 4, 3, T + 1900);
  e.tick(T + 2000);
  flowSamples(e, '10.0.0.1', 3, 3, T + 2000);
  assert.deepEqual(thresholdEvents(e), [
    ['any', '3', undefined, 0],
    ['any', '4', undefined, 0],
    ['any', '3', undefined, 2000],
  ]);
});

test('the allowlist: datagrams from other senders are refused before anything is counted', () => {
  const e = new Engine({ agents: { allow: [parseCidr('192.0.2.0/24')] } });
  e.receive(port('192.0.2.1', 1e9), '192.0.2.1', T);
  e.receive(port('203.0.113.1', 1e9), '203.0.113.1', T);
  e.receive(new Uint8Array(2), '203.0.113.1', T);
  assert.deepEqual([e.counts.datagrams, e.agents.refused], [1, 2]);
  assert.deepEqual(e.counts.decodeErrors, {});
  assert.equal(e.metrics.source('203.0.113.1', '3'), undefined);
});
