/**
 * `npm run bench:latency -- [SEEDS] [DURATION]`: how soon `sflowkit serve` reports an elephant flow. For each
 * seed (default 1–5) a fresh analyzer (bench/peers/sflowkit.ts) gets the large-flow detection of the seeds'
 * controller clmark.js: a flow by TCP connection, bytes, t=1 (for IPv4 and for IPv6), and byFlow thresholds at
 * 10% of the link speed on access ports, one per speed of the fabric (filter {"ifspeed":[speed]}). The
 * generator's `elephants` scenario (DURATION simulated seconds, default 40; elephants start at 20%, 30% and 50%
 * of it) goes to it over UDP in real time, with the default fabric's sampling (1 in ifSpeed/1,000,000) but
 * counters polled every 2–5 s instead of 20–30 s, so that each port's ifspeed is known before the first
 * elephant (the filter needs it; the polling interval has no part in the flow's detection). Meanwhile a long
 * poll of /events/json notes when each threshold event arrives. An elephant's latency is from its true start
 * (the real time its first second began to be sent: the sender sends each datagram at its simulated time after
 * the start) to the arrival of the event with its flow key; an elephant with no event within GRACE_S of its
 * start is missed. Prints each elephant and the median and p95 over all of them (target: median ≤ 1 s, p95 ≤ 2
 * s); figures, not a pass or fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toUdp } from '../src/cli/udp-sender.js';
import { DataCenter } from '../src/generator/data-center.js';
import { DEFAULT_FABRIC, type FabricConfig } from '../src/generator/fabric.js';
import type { TruthFlow } from '../src/generator/truth.js';
import { freeUdpPort } from './peers/peer.js';
import { type Sflowkit, startSflowkit } from './peers/sflowkit.js';

const SEEDS = Number(process.argv[2] ?? 5);
const DURATION = Number(process.argv[3] ?? 40);
/** An elephant not reported this long after its start is missed. */
const GRACE_S = 10;
/** The default fabric but for the polling interval (see above). */
const FABRIC: FabricConfig = { ...DEFAULT_FABRIC, polling: [2, 5] };
/** clmark.js: "10% of the bandwidth of the … access ports". */
const SHARE = 0.1;
const TCP_KEYS = 'tcpsourceport,tcpdestinationport';
const FLOWS = {
  tcp: { keys: `ipsource,ipdestination,${TCP_KEYS}`, value: 'bytes', t: 1 },
  tcp6: { keys: `ip6source,ip6destination,${TCP_KEYS}`, value: 'bytes', t: 1 },
};
/** Ethernet header and FCS per frame: what the flow's bytes (frames) add to the truth's IP bytes. */
const ETHERNET_OVERHEAD = 18;

if (!(Number.isInteger(SEEDS) && SEEDS >= 1 && SEEDS <= 50) || !(DURATION >= 20 && DURATION <= 600)) {
  console.error('usage: node dist/bench/latency.js [SEEDS 1-50 (5)] [DURATION 20-600 s (40)]');
  process.exit(2);
}

interface ThresholdEvent {
  eventID: number;
  thresholdID: string;
  flowKey?: string;
  agent: string;
  dataSource: string;
  timestamp: number;
}

interface Elephant {
  seed: number;
  flow: TruthFlow;
  /** The access port it comes in on: its speed, and the flow's frame rate over the threshold there. */
  portSpeed: number;
  overThreshold: number;
  /** Seconds from its true start to its event's arrival; undefined if missed. */
  latency?: number;
  /** Seconds from its true start to the analyzer's timestamp on the event. */
  detected?: number;
}

/** IPv6 addresses in one spelling, as the analyzer writes them in flow keys. */
const canonical = (ip: string) => (ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip);
const keyOf = (f: { srcIp: string; dstIp: string; srcPort: number; dstPort: number }) =>
  [canonical(f.srcIp), canonical(f.dstIp), f.srcPort, f.dstPort].join(',');

async function define(s: Sflowkit): Promise<void> {
  for (const [name, spec] of Object.entries(FLOWS)) await s.put(`/flow/${name}/json`, spec);
  const speeds = [...new Set(FABRIC.hostSpeeds)];
  for (const flow of Object.keys(FLOWS))
    for (const speed of speeds)
      await s.put(`/threshold/${flow}_${speed / 1e9}g/json`, {
        metric: flow,
        value: (SHARE * speed) / 8,
        byFlow: true,
        filter: { ifspeed: [speed] },
      });
}

/** Long-polls /events/json until `signal` aborts, calling `onEvent` with each event and when it arrived. */
async function pollEvents(
  s: Sflowkit,
  onEvent: (e: ThresholdEvent, arrived: number) => void,
  signal: AbortSignal,
): Promise<void> {
  let after = -1;
  while (!signal.aborted) {
    const events = await s.get<ThresholdEvent[]>(`/events/json?eventID=${after}&maxEvents=1000&timeout=1`);
    const arrived = performance.now();
    for (const e of [...events].reverse()) {
      after = Math.max(after, e.eventID);
      onEvent(e, arrived);
    }
  }
}

/** A threshold event for a flow that is not one of the scenario's elephants. */
interface Other {
  event: ThresholdEvent;
  /** The flow in the truth, and its frame rate over the threshold at its access port. */
  flow?: TruthFlow;
  overThreshold?: number;
}

async function runSeed(seed: number): Promise<{ elephants: Elephant[]; others: Other[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-latency-'));
  const port = await freeUdpPort();
  const s = await startSflowkit({ sflowPort: port, dir });
  try {
    await define(s);
    const dc = new DataCenter({
      fabric: FABRIC,
      scenario: 'elephants',
      seed,
      duration: DURATION,
      flows: 400,
    });
    const truth = dc.truth();
    const speedOf = new Map(truth.interfaces.map((i) => [`${i.agent}/${i.ifIndex}`, i.speed]));
    const flowByKey = new Map(truth.flows.map((f) => [keyOf(f), f]));
    /** The flow's access port's speed, and its frame rate over the threshold there. */
    const place = (flow: TruthFlow) => {
      const at = flow.path[0];
      const portSpeed = speedOf.get(`${at.agent}/${at.inIfIndex}`) ?? 0;
      const frameBits = flow.bitsPerSecond + flow.packetsPerSecond * ETHERNET_OVERHEAD * 8;
      return { portSpeed, overThreshold: frameBits / (SHARE * portSpeed) };
    };
    const elephants: Elephant[] = truth.timeline
      .filter((t) => t.kind === 'elephant_start')
      .map((t) => {
        const flow = truth.flows.find((f) => f.id === t.flows?.[0]) as TruthFlow;
        return { seed, flow, ...place(flow) };
      });
    const byKey = new Map(elephants.map((e) => [keyOf(e.flow), e]));
    const others: Other[] = [];
    const lastStart = Math.max(...elephants.map((e) => e.flow.start));
    const stop = new AbortController();
    let began = 0;
    let beganWall = 0;
    const onEvent = (ev: ThresholdEvent, arrived: number) => {
      if (ev.flowKey === undefined) return; // agents found
      const e = byKey.get(ev.flowKey);
      if (e === undefined) {
        const flow = flowByKey.get(ev.flowKey);
        others.push({ event: ev, flow, overThreshold: flow && place(flow).overThreshold });
        return;
      }
      if (e.latency !== undefined) return;
      e.latency = (arrived - began) / 1000 - e.flow.start;
      e.detected = (ev.timestamp - beganWall) / 1000 - e.flow.start;
      if (elephants.every((x) => x.latency !== undefined)) stop.abort();
    };
    const polling = pollEvents(s, onEvent, stop.signal);
    const deadline = setTimeout(() => stop.abort(), (lastStart + GRACE_S) * 1000);
    began = performance.now();
    beganWall = Date.now();
    // toUdp sends each datagram at its simulated time after its own start, which is this one.
    await toUdp(dc, { address: '127.0.0.1', port, family: 4 }, undefined, undefined, stop.signal);
    clearTimeout(deadline);
    stop.abort();
    await polling;
    return { elephants, others };
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The p-th percentile by nearest rank; missed elephants (undefined) count as slower than any. */
function percentile(values: (number | undefined)[], p: number): number | undefined {
  const sorted = values.map((v) => v ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const v = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  return Number.isFinite(v) ? v : undefined;
}

const seconds = (v: number | undefined) => (v === undefined ? 'missed' : `${v.toFixed(2)} s`);

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `elephants scenario, ${DURATION} s simulated and sent in real time, seeds 1-${SEEDS}; thresholds at ` +
      `${100 * SHARE}% of access port speed (${[...new Set(FABRIC.hostSpeeds)].map((s) => `${s / 1e9}G`).join(', ')}), ` +
      'flows tcp/tcp6 with t=1',
  );
  const all: Elephant[] = [];
  const allOthers: Other[] = [];
  const rows = [['seed', 'flow', 'Gbit/s', 'port', 'x threshold', 'start', 'event arrived', 'engine saw it']];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const { elephants, others } = await runSeed(seed);
    all.push(...elephants);
    allOthers.push(...others);
    for (const e of elephants)
      rows.push([
        String(seed),
        `${e.flow.app} ${e.flow.srcIp} -> ${e.flow.dstIp}:${e.flow.dstPort}`,
        (e.flow.bitsPerSecond / 1e9).toFixed(1),
        `${e.portSpeed / 1e9}G`,
        e.overThreshold.toFixed(2),
        `${e.flow.start} s`,
        seconds(e.latency),
        seconds(e.detected),
      ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    console.log(r.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  if (allOthers.length > 0) {
    const above = allOthers.filter((o) => (o.overThreshold ?? 0) > 1);
    const below = allOthers.filter((o) => !((o.overThreshold ?? 0) > 1));
    console.log(
      `\nother threshold events (background flows): ${allOthers.length}, of which ${above.length} for flows whose ` +
        `true frame rate is above the threshold at their access port and ${below.length} for flows below it` +
        (below.length > 0
          ? ` (their true rates: ${below.map((o) => (o.overThreshold === undefined ? 'not in the truth' : `${o.overThreshold.toFixed(2)}x`)).join(', ')})`
          : ''),
    );
  }
  const latencies = all.map((e) => e.latency);
  const missed = latencies.filter((v) => v === undefined).length;
  const median = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  const engine = all.map((e) => e.detected);
  console.log(
    `\n${all.length} elephants, ${missed} missed; from true start to the event's arrival: median ` +
      `${seconds(median)} (target ≤ 1 s: ${median !== undefined && median <= 1 ? 'met' : 'not met'}), p95 ` +
      `${seconds(p95)} (target ≤ 2 s: ${p95 !== undefined && p95 <= 2 ? 'met' : 'not met'}); to the engine's ` +
      `timestamp: median ${seconds(percentile(engine, 50))}, p95 ${seconds(percentile(engine, 95))}. ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s in all.`,
  );
}

await main();
