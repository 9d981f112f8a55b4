/**
 * `npm run bench:ingest -- [RATES] [SECONDS]`: how many flow samples per second `sflowkit serve` takes in
 * without loss, against the other collectors on the same machine in the same run. It is `npm run bench:peers`
 * (bench/peers.ts, run as it is, its output shown) with sflowkit among the peers (bench/peers/sflowkit.ts: 3
 * flow definitions and a threshold active) and a ladder that reaches high enough to find each one's limit
 * (default 20k to 300k datagrams/s, 3 s a step, BENCH_ROUNDS rounds); BENCH_PEERS picks the peers. Then it
 * prints each peer's loss-free rate in flow samples/s (the traffic averages 4.92 flow samples a datagram) and
 * sflowkit's against the best other peer's, next to the targets: loss-free at 1,000,000 flow samples/s
 * or more, and at least twice the best peer's. Two readings of loss-free: the harness's (loss under 0.1% at that
 * step and every lower one, median round), which forgives pmacct's partly filled buffer; and the highest step
 * with no loss at all in its median round. Prints figures; passes and fails nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loss, type Step } from './peers/run-step.js';

const PEERS_SCRIPT = fileURLToPath(new URL('./peers.js', import.meta.url));
const DEFAULT_RATES = '20k,40k,60k,80k,100k,150k,200k,250k,300k';
/** The targets. */
const TARGET_SAMPLES = 1_000_000;
const TARGET_RATIO = 2;

/** What bench/peers.ts writes with BENCH_JSON. */
interface PeersResults {
  rates: number[];
  seconds: number;
  rounds: number;
  lossFree: number;
  perDatagram: number;
  peers: { name: string; version: string; unit: string; typical: Step[]; lossFreeUpTo: number }[];
}

interface Limit {
  name: string;
  /** Datagrams/s of the harness's loss-free rate, and of the highest step without loss; 0 for none. */
  lossFree: number;
  noLoss: number;
}

const int = (x: number) => Math.round(x).toLocaleString('en-US');

async function runPeers(rates: string, seconds: string, json: string): Promise<number> {
  const child = spawn(process.execPath, [PEERS_SCRIPT, rates, seconds], {
    stdio: 'inherit',
    env: {
      ...process.env,
      BENCH_PEERS: process.env.BENCH_PEERS ?? 'sflowkit,sfacctd,sfcapd,fastnetmon',
      BENCH_JSON: json,
    },
  });
  // Ctrl-C reaches the child too (same process group); it stops its collectors itself.
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

function limits(r: PeersResults): Limit[] {
  return r.peers.map((p) => {
    let noLoss = -1;
    for (const [i, s] of p.typical.entries()) if (loss(s) === 0) noLoss = i;
    return {
      name: p.name,
      lossFree: p.lossFreeUpTo < 0 ? 0 : r.rates[p.lossFreeUpTo],
      noLoss: noLoss < 0 ? 0 : r.rates[noLoss],
    };
  });
}

function report(r: PeersResults): void {
  const per = r.perDatagram;
  const top = r.rates[r.rates.length - 1];
  const all = limits(r);
  console.log(`\ningest: loss-free rates (median round of ${r.rounds}, ${r.seconds} s a step)`);
  const rows = [
    ['peer', `loss < ${100 * r.lossFree}% up to`, 'flow samples/s', 'no loss at', 'flow samples/s'],
    ...all.map((l) => [
      l.name,
      l.lossFree ? `${int(l.lossFree)}/s${l.lossFree === top ? ' (top)' : ''}` : 'none',
      int(l.lossFree * per),
      l.noLoss ? `${int(l.noLoss)}/s${l.noLoss === top ? ' (top)' : ''}` : 'none',
      int(l.noLoss * per),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows)
    console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  const ours = all.find((l) => l.name === 'sflowkit');
  const others = all.filter((l) => l.name !== 'sflowkit');
  if (!ours) {
    console.log('sflowkit did not run (BENCH_PEERS leaves it out, or dist/src/cli/main.js is missing)');
    return;
  }
  const samples = ours.noLoss * per;
  console.log(
    `target: loss-free at ${int(TARGET_SAMPLES)} flow samples/s or more: ${samples >= TARGET_SAMPLES ? 'met' : 'not met'}, ` +
      `${int(samples)} with no loss (${int(ours.lossFree * per)} with under ${100 * r.lossFree}%)` +
      (ours.noLoss === top ? '; no loss at the top of the ladder, so the limit is higher' : ''),
  );
  if (others.length === 0) return;
  const best = (key: 'lossFree' | 'noLoss') => others.reduce((a, b) => (b[key] > a[key] ? b : a), others[0]);
  for (const key of ['lossFree', 'noLoss'] as const) {
    const b = best(key);
    const ratio = b[key] > 0 ? ours[key] / b[key] : Number.POSITIVE_INFINITY;
    const reading = key === 'lossFree' ? `loss < ${100 * r.lossFree}%` : 'no loss';
    console.log(
      `sflowkit / best peer (${b.name}), ${reading}: ${ratio.toFixed(2)} ` +
        `(target ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'not met'})` +
        (b[key] === top ? `; ${b.name} was loss-free at the top of the ladder: at most this` : ''),
    );
  }
}

async function main(): Promise<number> {
  const rates = process.argv[2] ?? DEFAULT_RATES;
  const seconds = process.argv[3] ?? '3';
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-ingest-'));
  const json = join(dir, 'peers.json');
  try {
    const code = await runPeers(rates, seconds, json);
    let results: PeersResults;
    try {
      results = JSON.parse(readFileSync(json, 'utf8'));
    } catch {
      console.error(`bench/peers.js exited with ${code} and wrote no results`);
      return code || 1;
    }
    report(results);
    return code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
