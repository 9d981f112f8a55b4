/**
 * `npm run bench:memory -- [RATE] [SECONDS]`: what a flood of new flow keys costs `sflowkit serve` in memory,
 * and whether the heavy hitters still come out on top of the same table. The generator's `ddos` scenario (a
 * UDP flood to one web server from 200 spoofed sources, 3 Gbit/s, over 30–70% of the run; default sampling) is
 * simulated until its flood has given POOL datagrams (BENCH_POOL, default 60,000, of the flood's seconds only),
 * which a paced sender (bench/peers/sender.ts) cycles to a fresh analyzer at RATE datagrams/s (default 40,000,
 * the highest rate `npm run bench:ingest` found loss-free; the generator itself makes about 9,000 a second) for
 * SECONDS (default 60). The analyzer (bench/peers/sflowkit.ts, --max-flows 10,000 as by default) has one flow
 * definition, `flood`: ipsource,ipdestination and, for UDP, the IP packet's length (ipbytes; for TCP the
 * protocol, 6). The generator's spoofed sources keep their address and port for the whole flood, so the length
 * (about 257 values around the flood's 512 bytes) is what makes almost every flood sample a new key once the
 * table is full, as a flood from random sources would: 200 × 257 keys at each switch port it crosses, far over
 * the bound. TCP flows keep one key per address pair, so the true top 10 is known: from dc.truth(), IPv4 TCP
 * flows active during the flood summed by address pair (a UDP flow's rate is spread over its lengths: the
 * bench checks that none comes near). Every CHECK_S seconds and at the end it compares
 * /activeflows/ALL/flood/json?maxFlows=10 with that, and with the top 10 of the samples it sent (worked out from
 * the datagrams apart from the engine: where that differs from the truth, the sampling is to blame, not the
 * analyzer). Prints the analyzer's peak RSS (VmHWM of its process), flows held and evicted, what was lost on
 * the way, and each check (target: peak RSS ≤ 1 GiB, the top 10 still reported); figures, not a pass or fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataCenter } from '../src/generator/data-center.js';
import { DEFAULT_FABRIC } from '../src/generator/fabric.js';
import type { Truth } from '../src/generator/truth.js';
import { decodeHeader } from '../src/packet/index.js';
import { decodeDatagram } from '../src/sflow/datagram.js';
import { freeUdpPort, sleep } from './peers/peer.js';
import { TreeMonitor, udpSocket } from './peers/proc-stats.js';
import { sendPaced } from './peers/sender.js';
import { type Sflowkit, startSflowkit } from './peers/sflowkit.js';

const RATE = Number(process.argv[2] ?? 40_000);
const SECONDS = Number(process.argv[3] ?? 60);
const POOL = Number(process.env.BENCH_POOL ?? 60_000);
/** Seconds between two top-10 checks. */
const CHECK_S = 15;
/** Simulated seconds: long enough that the flood (30–70% of it) gives POOL datagrams at ~120 a second. */
const DURATION = Math.ceil(POOL / 100 / 0.4);
const MAX_FLOWS = 10_000;
const GIB = 1024 ** 3;
const FLOOD = { keys: 'ipsource,ipdestination,if:ipprotocol:17:ipbytes:ipprotocol', value: 'bytes' };
/** The fewest packet lengths a UDP flow of the generator spreads over (DNS requests: 70 ± 17 bytes). */
const UDP_LENGTHS = 35;

if (
  !(Number.isInteger(RATE) && RATE >= 1000 && RATE <= 1_000_000) ||
  !(SECONDS >= 5 && SECONDS <= 600) ||
  !(Number.isInteger(POOL) && POOL >= 1000 && POOL <= 1_000_000)
) {
  console.error(
    'usage: [BENCH_POOL=60000] node dist/bench/memory.js [RATE datagrams/s (40000)] [SECONDS (60)]',
  );
  process.exit(2);
}

/** The flood's datagrams, in the order the agents sent them, and the run's truth. */
function floodTraffic(): { payloads: Uint8Array[]; truth: Truth; floodStart: number; floodEnd: number } {
  const dc = new DataCenter({
    fabric: DEFAULT_FABRIC,
    scenario: 'ddos',
    seed: 1,
    duration: DURATION,
    flows: 400,
  });
  const start = dc.timeline.find((t) => t.kind === 'ddos_start')?.time ?? 0;
  const end = dc.timeline.find((t) => t.kind === 'ddos_end')?.time ?? DURATION;
  const payloads: Uint8Array[] = [];
  for (let t = 0, second = dc.nextSecond(); second && payloads.length < POOL; t++, second = dc.nextSecond())
    if (t >= start && t < end) for (const e of second) if (payloads.length < POOL) payloads.push(e.bytes);
  return { payloads, truth: dc.truth(), floodStart: start, floodEnd: end };
}

interface Ranked {
  key: string;
  value: number;
  app?: string;
}

/**
 * The true top of `flood` while the flood runs: IPv4 TCP flows summed by address pair (key `src,dst,6`), in
 * bit/s, largest first; and the largest share of one packet length that a UDP flow can have.
 */
function trueTop(truth: Truth, at: number): { tcp: Ranked[]; udpShare: number } {
  const pairs = new Map<string, Ranked>();
  let udpShare = 0;
  for (const f of truth.flows) {
    if (f.srcIp.includes(':') || f.start > at || f.end <= at) continue;
    if (f.protocol === 17) {
      udpShare = Math.max(udpShare, f.bitsPerSecond / UDP_LENGTHS);
      continue;
    }
    const key = `${f.srcIp},${f.dstIp},6`;
    const p = pairs.get(key) ?? { key, value: 0, app: f.app };
    p.value += f.bitsPerSecond;
    pairs.set(key, p);
  }
  return { tcp: [...pairs.values()].sort((a, b) => b.value - a.value), udpShare };
}

/**
 * The top of `flood` as the samples in `payloads` give it, worked out apart from the engine: per key, the
 * sampled frame bytes scaled by the sampling rate at each agent and data source, the largest of those (as
 * activeflows' aggMode max), largest first.
 */
function sampledTop(payloads: readonly Uint8Array[]): Ranked[] {
  const byKey = new Map<string, Map<string, number>>();
  for (const p of payloads) {
    const d = decodeDatagram(p);
    for (const s of d.samples) {
      if (s.name !== 'flow_sample') continue;
      const h = s.records.find((r) => r.name === 'sampled_header');
      if (h?.name !== 'sampled_header') continue;
      const { protocol, header, frameLength, stripped } = h.value;
      const packet = decodeHeader(protocol, header, frameLength, stripped);
      if (packet.ipVersion !== 4) continue;
      const third = packet.IPProtocol === 17 ? packet['ip.tot_len'] : packet.IPProtocol;
      const key = `${packet.srcIP},${packet.dstIP},${third}`;
      const places = byKey.get(key) ?? new Map<string, number>();
      const place = `${d.agentAddress} ${s.sourceIdIndex}`;
      places.set(place, (places.get(place) ?? 0) + frameLength * s.samplingRate);
      byKey.set(key, places);
    }
  }
  return [...byKey]
    .map(([key, places]) => ({ key, value: Math.max(...places.values()) }))
    .sort((a, b) => b.value - a.value);
}

interface Check {
  second: number;
  /** Of the true top 10, and of the sampled top 10, how many the analyzer's top 10 has. */
  trueFound: number;
  sampledFound: number;
  /** The true top 10's keys it does not have, each with its rank in the analyzer's top 100 (#0: not there). */
  missing: string[];
}

async function checkTop(s: Sflowkit, truth: Ranked[], sampled: Ranked[], second: number): Promise<Check> {
  const top = await s.get<{ key: string }[]>('/activeflows/ALL/flood/json?maxFlows=100');
  const reported = new Set(top.slice(0, 10).map((f) => f.key));
  const missing = truth.slice(0, 10).filter((p) => !reported.has(p.key));
  return {
    second,
    trueFound: 10 - missing.length,
    sampledFound: sampled.slice(0, 10).filter((p) => reported.has(p.key)).length,
    missing: missing.map((p) => `${p.key} (#${top.findIndex((f) => f.key === p.key) + 1})`),
  };
}

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const mbps = (bps: number) => (bps / 1e6).toFixed(0);
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const started = performance.now();
  const { payloads, truth, floodStart, floodEnd } = floodTraffic();
  const { tcp, udpShare } = trueTop(truth, floodStart);
  const sampled = sampledTop(payloads);
  console.log(
    `ddos scenario (seed 1, ${DURATION} s simulated, flood from ${floodStart} s to ${floodEnd} s): ` +
      `${int(payloads.length)} datagrams of the flood's seconds, made in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s, cycled at ${int(RATE)}/s for ${SECONDS} s`,
  );
  console.log(
    `true top 10 of flood (Mbit/s): ${tcp
      .slice(0, 10)
      .map((p) => `${p.key} ${p.app} ${mbps(p.value)}`)
      .join(
        '; ',
      )}; 11th ${mbps(tcp[10].value)}; a UDP flow's share of one length at most ${(udpShare / 1e6).toFixed(1)}`,
  );
  const trueKeys = new Set(tcp.slice(0, 10).map((p) => p.key));
  const strays = sampled.slice(0, 10).filter((q) => !trueKeys.has(q.key));
  console.log(
    `the samples sent give ${10 - strays.length} of the true top 10 as their top 10` +
      (strays.length > 0 ? ` (sampling error: theirs has ${strays.map((q) => q.key).join(' ')})` : '') +
      `; their 10th is ${(sampled[9].value / sampled[10].value).toFixed(2)}x their 11th`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-memory-'));
  const port = await freeUdpPort();
  const s = await startSflowkit({ sflowPort: port, dir, args: ['--max-flows', String(MAX_FLOWS)] });
  const monitor = new TreeMonitor(s.pid);
  const timer = setInterval(() => monitor.sample(), 250);
  try {
    await s.put('/flow/flood/json', FLOOD);
    monitor.sample();
    const cpu0 = monitor.cpuSeconds();
    const checks: Check[] = [];
    const t0 = performance.now();
    const checking = (async () => {
      for (let at = CHECK_S; at < SECONDS; at += CHECK_S) {
        await sleep(t0 + at * 1000 - performance.now());
        checks.push(await checkTop(s, tcp, sampled, at));
      }
    })();
    const sent = await sendPaced({ port, payloads, rate: RATE, seconds: SECONDS });
    await checking;
    // The last check while the flood's rates still hold (they decay from here).
    checks.push(await checkTop(s, tcp, sampled, Math.round((performance.now() - t0) / 1000)));
    const until = performance.now() + 10_000;
    let a = await s.analyzer();
    while ((udpSocket(port).rxQueue > 0 || a.sFlowQueueWaiting > 0) && performance.now() < until) {
      await sleep(50);
      a = await s.analyzer();
    }
    monitor.sample();
    const cpu = monitor.cpuSeconds() - cpu0;
    const peak = monitor.peakRssBytes();
    const lost = sent.sent - a.sFlowDatagramsReceived;
    console.log(
      `sent ${int(sent.sent)} datagrams at ${int(sent.achieved)}/s; the analyzer took in ` +
        `${int(a.sFlowDatagramsReceived)} (${int(a.sFlowFlowSamples)} flow samples), lost ${int(lost)} ` +
        `(${((100 * lost) / sent.sent).toFixed(2)}%: socket drops ${int(a.sFlowSocketDrops)}, queue drops ` +
        `${int(a.sFlowQueueDrops)}), CPU ${((100 * cpu) / sent.seconds).toFixed(0)}% of a core`,
    );
    console.log(
      `flows held ${int(a.flowsHeld)} (bound ${int(MAX_FLOWS)}), evicted ${int(a.flowsEvicted)}; peak RSS ` +
        `${mib(peak)} (target ≤ 1 GiB: ${peak <= GIB ? 'met' : 'not met'}), RSS at the end ${mib(a.memRSS)}`,
    );
    for (const c of checks)
      console.log(
        `  top 10 at ${c.second} s: ${c.trueFound} of the true 10, ${c.sampledFound} of the sampled 10` +
          (c.missing.length > 0 ? `; true ones missing (their rank): ${c.missing.join(' ')}` : ''),
      );
    const truly = checks.every((c) => c.trueFound === 10);
    const sampledAll = checks.every((c) => c.sampledFound === 10);
    console.log(
      `true top 10 reported at every check: ${truly ? 'yes (target met)' : 'no (target not met)'}; ` +
        `top 10 of the samples sent: ${sampledAll ? 'yes' : 'no'}; ` +
        `${((performance.now() - started) / 1000).toFixed(0)} s in all`,
    );
  } finally {
    clearInterval(timer);
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
