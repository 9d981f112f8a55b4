/**
 * `npm run bench:sflowtool -- [DATAGRAMS] [RUNS]`: `sflowkit decode` as a drop-in for sflowtool 6.11, timed as a
 * user runs it. Writes a pcap of DATAGRAMS (default 100,000) sFlow datagrams to a temporary directory, runs
 * `sflowkit decode -r CAPTURE -l`, `… -r CAPTURE` (sflowtool's default text) and `… --ndjson` as child processes
 * with stdout to /dev/null, RUNS times each (default 3), and prints datagrams/s from the median wall time. With
 * an `sflowtool` on PATH it runs `sflowtool -r CAPTURE -l` and `sflowtool -r CAPTURE` in the same way, prints
 * ours/sflowtool, and says whether our output is byte-identical to sflowtool's. BENCH_CASE_SECONDS (default 25)
 * bounds the time spent repeating one command. Figures go to docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LINKTYPE, PcapWriter, wrapUdp } from '../src/capture/index.js';
import { switchDatagram } from '../src/generator/switch-datagram.js';
import { encodeDatagram } from '../src/sflow/datagram.js';
import type { CountersSample } from '../src/sflow/model.js';
import { findCommand } from './peers/peer.js';

const DATAGRAMS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 3);
/** A command is not run again when that would take its runs past this, so that the bench stays within minutes. */
const CASE_BUDGET_MS = Number(process.env.BENCH_CASE_SECONDS ?? 25) * 1000;
/** One run that takes longer than this is killed. */
const RUN_TIMEOUT_MS = 120_000;
/** Every COUNTER_EVERY-th datagram carries only counter samples, the rest come from switchDatagram. */
const COUNTER_EVERY = 20;
const PORTS = 8;

if (!Number.isInteger(DATAGRAMS) || DATAGRAMS < 1 || !Number.isInteger(RUNS) || RUNS < 1) {
  console.error('usage: node dist/bench/sflowtool.js [DATAGRAMS (100000)] [RUNS (3)]');
  process.exit(2);
}

const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
/** Both tools print local time (localtime, -g): the same zone for both, whatever the machine's. */
const ENV = { ...process.env, TZ: 'UTC' };

/** A counter-only datagram, as a switch sends for its ports between flow samples: if and ethernet counters. */
function counterDatagram(n: number): Uint8Array {
  const samples: CountersSample[] = Array.from({ length: PORTS }, (_, i) => ({
    name: 'counters_sample',
    tag: '0:2',
    sequenceNumber: n,
    sourceIdType: 0,
    sourceIdIndex: i + 1,
    records: [
      {
        name: 'if_counters',
        tag: '0:1',
        value: {
          ifIndex: i + 1,
          ifType: 6,
          ifSpeed: 10_000_000_000n,
          ifDirection: 1,
          ifStatus: 3,
          ifInOctets: 1_000_000_000n * BigInt(n + 1) + BigInt(i),
          ifInUcastPkts: (1_000_000 * n + i) >>> 0,
          ifInMulticastPkts: n,
          ifInBroadcastPkts: i,
          ifInDiscards: 0,
          ifInErrors: 0,
          ifInUnknownProtos: 0,
          ifOutOctets: 900_000_000n * BigInt(n + 1) + BigInt(i),
          ifOutUcastPkts: (900_000 * n + i) >>> 0,
          ifOutMulticastPkts: n,
          ifOutBroadcastPkts: i,
          ifOutDiscards: 0,
          ifOutErrors: 0,
          ifPromiscuousMode: 2,
        },
      },
      {
        name: 'ethernet_counters',
        tag: '0:2',
        value: {
          dot3StatsAlignmentErrors: 0,
          dot3StatsFCSErrors: i,
          dot3StatsSingleCollisionFrames: 0,
          dot3StatsMultipleCollisionFrames: 0,
          dot3StatsSQETestErrors: 0,
          dot3StatsDeferredTransmissions: 0,
          dot3StatsLateCollisions: 0,
          dot3StatsExcessiveCollisions: 0,
          dot3StatsInternalMacTransmitErrors: 0,
          dot3StatsCarrierSenseErrors: 0,
          dot3StatsFrameTooLongs: n % 7,
          dot3StatsInternalMacReceiveErrors: 0,
          dot3StatsSymbolErrors: 0,
        },
      },
    ],
  }));
  // Sub-agent 1 has its own datagram sequence, as the spec has it for each sub-agent.
  return encodeDatagram({
    version: 5,
    agentAddress: '192.0.2.10',
    subAgentId: 1,
    sequenceNumber: n + 1,
    uptime: 123456789 + n * COUNTER_EVERY * 1000,
    samples,
  });
}

/** Writes the capture: mostly switch datagrams, every COUNTER_EVERY-th a counter-only one; about 1 ms apart. */
function writeCapture(path: string): { bytes: number; flowSamples: number } {
  const writer = new PcapWriter({ linkType: LINKTYPE.ETHERNET });
  const fd = openSync(path, 'w');
  const endpoints = {
    srcAddress: Uint8Array.of(192, 0, 2, 10),
    srcPort: 50123,
    dstAddress: Uint8Array.of(192, 0, 2, 1),
    dstPort: 6343,
  };
  const start = BigInt(Date.UTC(2026, 10, 22, 9, 0, 0)) * 1_000_000n;
  let flowSamples = 0;
  let chunks: Uint8Array[] = [writer.fileHeader()];
  let pending = chunks[0].length;
  try {
    for (let i = 0; i < DATAGRAMS; i++) {
      const k = Math.floor(i / COUNTER_EVERY);
      const counters = i % COUNTER_EVERY === COUNTER_EVERY - 1;
      const payload = counters ? counterDatagram(k) : switchDatagram(i - k);
      if (!counters) flowSamples += 7;
      // 1 ms apart with up to 0.5 ms of jitter, so that timestamps have every digit.
      const jitterUs = (i * 7919) % 500;
      const timestampNs = start + BigInt(i) * 1_000_000n + BigInt(jitterUs) * 1000n;
      const record = writer.record({
        timestampNs,
        data: wrapUdp(payload, { ...endpoints, ipId: i & 0xffff }),
      });
      chunks.push(record);
      pending += record.length;
      if (pending > 1 << 20) {
        writeSync(fd, Buffer.concat(chunks));
        chunks = [];
        pending = 0;
      }
    }
    if (chunks.length > 0) writeSync(fd, Buffer.concat(chunks));
    return { bytes: fstatSync(fd).size, flowSamples };
  } finally {
    closeSync(fd);
  }
}

interface Case {
  tool: 'sflowkit' | 'sflowtool';
  format: '-l' | 'text' | 'ndjson';
  command: string;
  args: string[];
  /** What the command line looks like to a user. */
  shown: string;
  /** The first line of a correct output matches this. */
  looksRight: RegExp;
  output?: string;
  outputBytes?: number;
  available?: boolean;
  why?: string;
  timesMs: number[];
}

const FIRST_LINE: Record<Case['format'], RegExp> = {
  '-l': /^(FLOW|CNTR),/,
  text: /^startDatagram /,
  ndjson: /^\{/,
};

function makeCase(tool: Case['tool'], format: Case['format'], capture: string, sflowtool: string): Case {
  const options = format === '-l' ? ['-l'] : format === 'ndjson' ? ['--ndjson'] : [];
  const command = tool === 'sflowkit' ? process.execPath : sflowtool;
  const args =
    tool === 'sflowkit' ? [MAIN, 'decode', '-r', capture, ...options] : ['-r', capture, ...options];
  const shown =
    tool === 'sflowkit'
      ? ['node', relative(process.cwd(), MAIN), 'decode', '-r', 'CAPTURE', ...options].join(' ')
      : ['sflowtool', '-r', 'CAPTURE', ...options].join(' ');
  return { tool, format, command, args, shown, looksRight: FIRST_LINE[format], timesMs: [] };
}

/** Runs the case once with stdout to `fd`; returns the wall time in ms, or throws with the tool's message. */
function runOnce(c: Case, fd: number): number {
  const t0 = performance.now();
  const r = spawnSync(c.command, c.args, {
    stdio: ['ignore', fd, 'pipe'],
    env: ENV,
    timeout: RUN_TIMEOUT_MS,
    maxBuffer: 1 << 20,
  });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0) {
    const message = r.stderr.toString('utf8').trim().split('\n')[0];
    throw new Error(`exit ${r.status ?? r.signal}${message ? `: ${message}` : ''}`);
  }
  return ms;
}

function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4096);
    const n = readSync(fd, b, 0, b.length, 0);
    return b.subarray(0, n).toString('latin1').split('\n')[0];
  } finally {
    closeSync(fd);
  }
}

/** The untimed run: output to a file, to check it and to compare it with sflowtool's. */
function probe(c: Case, dir: string): void {
  c.output = join(dir, `${c.tool}${c.format === '-l' ? '-l' : `-${c.format}`}.out`);
  const fd = openSync(c.output, 'w');
  try {
    runOnce(c, fd);
    c.outputBytes = fstatSync(fd).size;
  } catch (e) {
    c.available = false;
    c.why = (e as Error).message;
    return;
  } finally {
    closeSync(fd);
  }
  const line = c.outputBytes === 0 ? '' : firstLine(c.output);
  c.available = c.outputBytes > 0 && c.looksRight.test(line);
  if (c.outputBytes === 0) c.why = 'empty output';
  else if (!c.available)
    c.why = `output does not look like ${c.format}: ${JSON.stringify(line.slice(0, 60))}`;
}

/**
 * Compares two files in chunks: 'identical', or the first differing line of each with its number (sflowtool's
 * output can be a gigabyte, too much to hold twice).
 */
function compareFiles(ours: string, theirs: string): string {
  const a = openSync(ours, 'r');
  const b = openSync(theirs, 'r');
  const size = 1 << 20;
  const ba = Buffer.alloc(size);
  const bb = Buffer.alloc(size);
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  try {
    for (;;) {
      const na = readSync(a, ba, 0, size, offset);
      const nb = readSync(b, bb, 0, size, offset);
      const n = Math.min(na, nb);
      let i = 0;
      while (i < n && ba[i] === bb[i]) i++;
      // Count the lines before the first difference (or the whole common chunk).
      for (let at = ba.indexOf(10); at >= 0 && at < i; at = ba.indexOf(10, at + 1)) {
        line++;
        lineStart = offset + at + 1;
      }
      if (i < n || na !== nb) {
        const readLine = (fd: number) => {
          const buf = Buffer.alloc(4096);
          const got = readSync(fd, buf, 0, buf.length, lineStart);
          const text = buf.subarray(0, got).toString('latin1');
          const end = text.indexOf('\n');
          return end < 0 ? (got === 0 ? '(end of output)' : text) : text.slice(0, end);
        };
        return `first difference at line ${line}:\n    ours:      ${readLine(a)}\n    sflowtool: ${readLine(b)}`;
      }
      if (n === 0) return 'identical';
      offset += n;
    }
  } finally {
    closeSync(a);
    closeSync(b);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function main(): void {
  const sflowtool = findCommand('sflowtool');
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-bench-'));
  try {
    const capture = join(dir, 'capture.pcap');
    const t0 = performance.now();
    const { bytes, flowSamples } = writeCapture(capture);
    console.log(`node ${process.version}, ${cpus().length} cores, load average ${loadAverage()}`);
    console.log(
      `capture: ${int(DATAGRAMS)} datagrams (${int(flowSamples)} flow samples, every ${COUNTER_EVERY}th datagram ` +
        `${PORTS} counter samples), ${(bytes / 1e6).toFixed(1)} MB pcap, written in ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s to ${capture}`,
    );
    console.log(sflowtool ? `sflowtool: ${sflowtool}` : 'sflowtool: not on PATH, timing sflowkit only');
    console.log(
      `${RUNS} runs per command (fewer where they would pass ${CASE_BUDGET_MS / 1000} s), stdout to /dev/null, TZ=UTC`,
    );

    const cases: Case[] = [];
    for (const format of ['-l', 'text'] as const) {
      cases.push(makeCase('sflowkit', format, capture, ''));
      if (sflowtool) cases.push(makeCase('sflowtool', format, capture, sflowtool));
    }
    cases.push(makeCase('sflowkit', 'ndjson', capture, ''));
    for (const c of cases) probe(c, dir);
    // Compare before timing, then drop the outputs (a gigabyte or more) so that they do not crowd the page cache.
    const sameness = new Map<Case['format'], string>();
    for (const format of ['-l', 'text'] as const) {
      const ours = cases.find((c) => c.tool === 'sflowkit' && c.format === format)!;
      const theirs = cases.find((c) => c.tool === 'sflowtool' && c.format === format);
      if (ours.available && theirs?.available)
        sameness.set(format, compareFiles(ours.output!, theirs.output!));
    }
    for (const c of cases) rmSync(c.output!, { force: true });

    const devNull = openSync('/dev/null', 'w');
    try {
      // Round-robin, so that a change in the machine's load touches every command alike.
      for (let run = 0; run < RUNS; run++) {
        for (const c of cases) {
          if (!c.available) continue;
          const spent = c.timesMs.reduce((x, y) => x + y, 0);
          if (run > 0 && spent + c.timesMs[c.timesMs.length - 1] > CASE_BUDGET_MS) continue;
          c.timesMs.push(runOnce(c, devNull));
        }
      }
    } finally {
      closeSync(devNull);
    }

    console.log(`\nload average after the runs ${loadAverage()}`);
    const rate = (c: Case) => DATAGRAMS / (median(c.timesMs) / 1000);
    const width = Math.max(...cases.map((c) => c.shown.length)) + 2;
    for (const c of cases) {
      if (!c.available) {
        console.log(`${c.shown.padEnd(width)} not measured: ${c.why}`);
        continue;
      }
      const ms = median(c.timesMs);
      console.log(
        `${c.shown.padEnd(width)} ${int(rate(c)).padStart(9)} datagrams/s  median ${(ms / 1000).toFixed(2)} s ` +
          `(best ${(Math.min(...c.timesMs) / 1000).toFixed(2)} s, ${c.timesMs.length} runs)  ` +
          `output ${int(c.outputBytes!)} bytes = ${(c.outputBytes! / DATAGRAMS).toFixed(0)} bytes/datagram`,
      );
    }
    if (!sflowtool) return;
    console.log('');
    for (const format of ['-l', 'text'] as const) {
      const ours = cases.find((c) => c.tool === 'sflowkit' && c.format === format)!;
      const theirs = cases.find((c) => c.tool === 'sflowtool' && c.format === format)!;
      const label = format === '-l' ? '-l  ' : 'text';
      if (!ours.available || !theirs.available) {
        console.log(`${label}: no comparison (${!ours.available ? 'sflowkit' : 'sflowtool'} not measured)`);
        continue;
      }
      const ratio = rate(ours) / rate(theirs);
      console.log(
        `${label}: ours/sflowtool = ${ratio.toFixed(2)} ` +
          `(${ratio >= 1 ? `sflowkit ${ratio.toFixed(1)}x faster` : `sflowtool ${(1 / ratio).toFixed(1)}x faster`}); ` +
          `output ${sameness.get(format)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
