/**
 * `npm run bench:peers -- [RATES] [SECONDS]`: sFlow collectors compared on this machine. For each installed
 * peer (bench/peers/: sflowkit's own analyzer, pmacct's sfacctd, nfdump's sfcapd, fastnetmon; BENCH_PEERS=a,b
 * for some of them) and each rate of the ladder (RATES, datagrams per second, default 10k,25k,50k,100k,150k),
 * starts the collector afresh on a free UDP port of 127.0.0.1, sends it SECONDS (default 3) of sFlow from
 * bench/peers/traffic.ts with a paced sender, waits until its socket is empty, reads what it accounted for
 * from its own output or counters, and stops it. The whole ladder runs BENCH_ROUNDS times (default 3), peers
 * taking turns, and each step reports the round of median loss: on 2 cores the collector shares the machine
 * with the sender and with whatever else runs. Every collector that has a setting for it is asked for a
 * socket receive buffer of BENCH_RCVBUF bytes (default 4 MiB, as pmacct's and nfdump's documentation advise
 * raising it for heavy traffic; 0 leaves each its default): with the usual rmem_default, 212,992 bytes or
 * about 90 of these datagrams, a collector that is not scheduled for 2 ms at 50,000 datagrams/s loses
 * datagrams however fast its code is.
 * Prints every step (the sender's achieved rate, kernel drops, loss, the collector's CPU and peak RSS) and one
 * table: the highest rate up to which every step lost less than 0.1%, CPU cost, CPU time and peak RSS. Installs
 * nothing: a missing peer's row gives its apt-get line. With BENCH_JSON=FILE it also writes the steps to FILE
 * for bench/ingest.ts. Figures go to docs/benchmarks.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeDatagram } from '../src/sflow/datagram.js';
import { fastnetmon } from './peers/fastnetmon.js';
import { nativeSender } from './peers/native-sender.js';
import type { Peer } from './peers/peer.js';
import { loss, runStep, type Step } from './peers/run-step.js';
import { sfacctd } from './peers/sfacctd.js';
import { sfcapd } from './peers/sfcapd.js';
import { sflowkit } from './peers/sflowkit.js';
import { benchTraffic } from './peers/traffic.js';

const ALL_PEERS: Peer[] = [sflowkit, sfacctd, sfcapd, fastnetmon];

/** Distinct datagrams the sender cycles through. */
const TRAFFIC_DATAGRAMS = 10_000;
/** A step is loss-free when the collector accounted for all but less than this share of what was sent. */
const LOSS_FREE = 0.001;

function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(k?)$/i.exec(text.trim());
  return m ? Math.round(Number(m[1]) * (m[2] ? 1000 : 1)) : Number.NaN;
}

const RATES = (process.argv[2] ?? '10k,25k,50k,100k,150k').split(',').map(parseRate);
const SECONDS = Number(process.argv[3] ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RCVBUF = Number(process.env.BENCH_RCVBUF ?? 4 * 1024 * 1024) || undefined;
/** BENCH_PEERS=sflowkit,sfcapd: those peers only, in that order. */
const PEER_NAMES = process.env.BENCH_PEERS?.split(',').map((n) => n.trim()) ?? ALL_PEERS.map((p) => p.name);
const PEERS = PEER_NAMES.flatMap((n) => ALL_PEERS.filter((p) => p.name === n));
if (
  PEERS.length !== PEER_NAMES.length ||
  RATES.some((r) => !Number.isInteger(r) || r < 1) ||
  !(SECONDS > 0 && SECONDS <= 60) ||
  !(Number.isInteger(ROUNDS) && ROUNDS >= 1) ||
  (RCVBUF !== undefined && !(Number.isInteger(RCVBUF) && RCVBUF > 0 && RCVBUF < 2 ** 31))
) {
  console.error(
    `usage: [BENCH_ROUNDS=3] [BENCH_RCVBUF=4194304] [BENCH_PEERS=${ALL_PEERS.map((p) => p.name).join(',')}] ` +
      '[BENCH_JSON=FILE] node dist/bench/peers.js [RATES (10k,25k,50k,100k,150k)] [SECONDS per step (3)]',
  );
  process.exit(2);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => (Number.isNaN(x) ? '-' : `${(100 * x).toFixed(2)}%`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const sysctl = (name: string) => {
  try {
    return readFileSync(`/proc/sys/net/core/${name}`, 'latin1').trim();
  } catch {
    return '?';
  }
};

/** Flow samples in the first n datagrams of `payloads` sent in a cycle, counted by decoding them. */
function flowSampleCounter(payloads: Uint8Array[]): (n: number) => number {
  const prefix = [0];
  for (const p of payloads) {
    const d = decodeDatagram(p);
    const flows = d.samples.filter(
      (s) => s.name === 'flow_sample' || s.name === 'flow_sample_expanded',
    ).length;
    prefix.push(prefix[prefix.length - 1] + flows);
  }
  const cycle = prefix[payloads.length];
  return (n) => Math.floor(n / payloads.length) * cycle + prefix[n % payloads.length];
}

interface PeerResult {
  peer: Peer;
  /** Undefined when the peer is not installed. */
  version?: string;
  /** runs[i][round]: the step of RATES[i] in each round. */
  runs: Step[][];
}

/** The run of median loss among a step's rounds (the lower middle of an even number); a failed run is the worst. */
function typical(runs: Step[]): Step {
  const key = (s: Step) => (Number.isNaN(loss(s)) ? Number.POSITIVE_INFINITY : loss(s));
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[(sorted.length - 1) >> 1];
}

/** CPU time per datagram the collector read from its socket (sent minus kernel drops), in µs. */
function cpuPerDatagram(s: Step): number {
  const read = s.sent - s.kernelDrops;
  return read > 0 ? (1e6 * s.trafficCpu) / read : Number.NaN;
}

/** The index of the highest rate up to which every step's typical run was loss-free, or -1. */
function lossFreeUpTo(runs: Step[][]): number {
  let best = -1;
  for (let i = 0; i < runs.length && loss(typical(runs[i])) < LOSS_FREE; i++) best = i;
  return best;
}

/** Columns right-aligned but the first, two spaces apart. */
function table(rows: string[][], indent = ''): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => indent + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
    .join('\n');
}

/** `text` in lines of at most `width` characters, each after `indent`. */
function wrap(text: string, indent = '', width = 110): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, indent + line].join('\n');
}

function printSteps(peer: Peer, runs: Step[][]): void {
  const rows = [
    [
      'offered/s',
      'sent/s',
      'sender CPU',
      'kernel drops',
      `${peer.unit} sent`,
      'accounted',
      'loss',
      'loss by round',
      'peer CPU',
      'µs/datagram',
      'peak RSS',
    ],
  ];
  const notes: string[] = [];
  for (const stepRuns of runs) {
    const s = typical(stepRuns);
    rows.push([
      int(s.rate),
      int(s.achieved),
      `${(100 * s.senderCpu).toFixed(0)}%`,
      int(s.kernelDrops),
      int(s.expected),
      s.accounted === undefined ? '-' : int(s.accounted),
      pct(loss(s)),
      stepRuns.map((r) => pct(loss(r)).replace('%', '')).join(' '),
      `${((100 * s.trafficCpu) / (s.trafficSeconds || 1)).toFixed(0)}%`,
      cpuPerDatagram(s).toFixed(2),
      mb(s.peakRss),
    ]);
    for (const [round, r] of stepRuns.entries()) {
      const at = `${int(r.rate)}/s, round ${round + 1}`;
      if (r.sendErrors) notes.push(`${at}: ${int(r.sendErrors)} send errors`);
      if (r.sent && r.achieved < 0.98 * r.rate)
        notes.push(`${at}: the sender reached only ${int(r.achieved)}/s`);
      if (r.accounted !== undefined && r.accounted > r.expected)
        notes.push(`${at}: accounted for more than sent`);
      if (r.error) notes.push(`${at}: ${r.error}`);
    }
  }
  console.log(table(rows, '  '));
  for (const n of notes) console.log(wrap(n, '  '));
}

function printSummary(results: PeerResult[], perDatagram: number): void {
  const top = RATES.length - 1;
  const rows = [
    [
      'peer',
      'version',
      'loss-free up to',
      'flow samples/s',
      `loss at ${int(RATES[top])}/s`,
      `CPU µs/datagram at ${int(RATES[top])}/s`,
      'CPU time',
      'peak RSS',
    ],
  ];
  const missing: string[] = [];
  for (const { peer, version, runs } of results) {
    if (version === undefined) {
      missing.push(`${peer.name}: not installed (apt-get install -y ${peer.packages.join(' ')})`);
      continue;
    }
    const best = lossFreeUpTo(runs);
    const cpu = runs.flat().reduce((sum, s) => sum + s.cpu, 0) / ROUNDS;
    rows.push([
      peer.name,
      version,
      best < 0 ? `none (${pct(loss(typical(runs[0])))} lost at ${int(RATES[0])}/s)` : `${int(RATES[best])}/s`,
      best < 0 ? '-' : int(RATES[best] * perDatagram),
      pct(loss(typical(runs[top]))),
      cpuPerDatagram(typical(runs[top])).toFixed(2),
      `${cpu.toFixed(2)} s`,
      mb(Math.max(...runs.flat().map((s) => s.peakRss))),
    ]);
  }
  console.log(table(rows));
  for (const m of missing) console.log(m);
  console.log(
    wrap(
      `Rates in datagrams/s; loss-free: loss < ${100 * LOSS_FREE}% at that rate and every lower one ` +
        `(median of ${plural(ROUNDS, 'round')}). CPU µs/datagram: the collector's CPU time during the ` +
        "traffic over the datagrams it read (sent minus kernel drops). CPU time: its processes' utime+stime " +
        `over one ladder of ${plural(RATES.length, 'step')}, start-up included (mean of the rounds). Peak ` +
        'RSS: the largest VmHWM of a step, summed over its processes.',
    ),
  );
}

/**
 * The results for bench/ingest.ts: per peer (installed ones), each step's runs, the run of median loss, and the
 * index of the highest rate up to which it was loss-free (-1 for none).
 */
function resultsJson(results: PeerResult[], perDatagram: number): string {
  const peers = results
    .filter((r) => r.version !== undefined)
    .map(({ peer, version, runs }) => ({
      name: peer.name,
      version,
      unit: peer.unit,
      runs,
      typical: runs.map(typical),
      lossFreeUpTo: lossFreeUpTo(runs),
    }));
  return `${JSON.stringify({ rates: RATES, seconds: SECONDS, rounds: ROUNDS, lossFree: LOSS_FREE, perDatagram, peers })}\n`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const payloads = benchTraffic(TRAFFIC_DATAGRAMS);
  const flowSamples = flowSampleCounter(payloads);
  const perDatagram = flowSamples(payloads.length) / payloads.length;
  console.log(`node ${process.version}, ${cpus().length} cores, load average ${loadAverage()}`);
  console.log(
    `net.core.rmem_default ${sysctl('rmem_default')}, rmem_max ${sysctl('rmem_max')}; ` +
      (RCVBUF
        ? `each collector with a setting for it asks for a ${int(RCVBUF)}-byte receive buffer`
        : 'each collector keeps its default receive buffer'),
  );
  console.log(
    `traffic: ${int(payloads.length)} distinct datagrams cycled, ${int(payloads.reduce((n, p) => n + p.length, 0) / payloads.length)} bytes on average, ` +
      `${perDatagram} flow samples each (bench/peers/traffic.ts), to 127.0.0.1, ` +
      (nativeSender() ? 'sent with sendmmsg (bench/native/udp-blast.c)' : "sent from Node's dgram"),
  );
  console.log(
    `steps: ${RATES.map(int).join(', ')} datagrams/s, ${SECONDS} s each, a fresh collector each time; ` +
      plural(ROUNDS, 'round'),
  );

  const results: PeerResult[] = [];
  for (const peer of PEERS) {
    const found = peer.installed();
    if ('version' in found) results.push({ peer, version: found.version, runs: RATES.map(() => []) });
    else {
      console.log(`${peer.name}: ${found.missing} not found; apt-get install -y ${peer.packages.join(' ')}`);
      results.push({ peer, runs: [] });
    }
  }
  const base = mkdtempSync(join(tmpdir(), 'sflowkit-peers-'));
  let failed = false;
  // Round after round, peers taking turns, so that a burst of other work on the machine touches all alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const { peer, version, runs } of results) {
      if (version === undefined) continue;
      for (const [i, rate] of RATES.entries()) {
        const dir = join(base, `${peer.name}-${rate}-${round + 1}`);
        const step = await runStep(peer, dir, {
          rate,
          seconds: SECONDS,
          payloads,
          flowSamples,
          receiveBuffer: RCVBUF,
        });
        if (step.error) failed = true;
        runs[i].push(step);
      }
    }
    console.log(
      `round ${round + 1} of ${ROUNDS} done, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  }

  for (const { peer, version, runs } of results) {
    if (version === undefined) continue;
    const rb = runs.flat().find((s) => s.receiveBuffer !== undefined)?.receiveBuffer;
    console.log(
      `\n${peer.name} ${version}, receive buffer ${rb === undefined ? 'unknown (no ss)' : int(rb)}`,
    );
    console.log(wrap(peer.counted, '  '));
    printSteps(peer, runs);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`\nload average after the runs ${loadAverage()}; the bench took ${seconds.toFixed(0)} s\n`);
  printSummary(results, perDatagram);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, resultsJson(results, perDatagram));
  if (failed) console.log(`\nsome steps failed; the collectors' configurations and output are in ${base}`);
  else rmSync(base, { recursive: true, force: true });
}

await main();
