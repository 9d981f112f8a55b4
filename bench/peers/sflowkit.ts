/**
 * sflowkit's own analyzer, `sflowkit serve`, as one more peer of `npm run bench:peers`, and the way every bench
 * starts it: a child process of this build (dist/src/cli/main.js) on a UDP port of 127.0.0.1, its REST API on a
 * free TCP port of 127.0.0.1, spoken to with fetch. As a peer it works as it would in use, "with 3 flow
 * definitions and 1 threshold active" (the issue): flows by address pair, by TCP connection (filtered to TCP)
 * and by protocol stack, and a byFlow threshold on the TCP one. It counts the flow samples its engine took in
 * (sFlowFlowSamples of /analyzer/json), read once its queue is empty. A datagram dropped from a full queue is
 * lost to that count, as are the kernel's drops at the socket; each step's queue figures go to stdout.
 *
 * Before the step's traffic it is warmed up with BENCH_WARMUP datagrams (default 20,000) of the same traffic
 * at 10,000/s, which the count leaves out: V8 compiles the hot path only after running it a while, and a cold
 * analyzer lost 0.2–0.4% of the first quarter second at 25,000–30,000 datagrams/s while a warm one lost
 * nothing. An analyzer runs for months; the other peers are compiled ahead of time. BENCH_WARMUP=0 measures
 * it cold. The warm-up's kernel drops, if any, stay in the harness's count.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Collector,
  freeTcpPort,
  type Peer,
  settledCount,
  sleep,
  spawnCollector,
  stopCollector,
  waitForUdpPort,
} from './peer.js';
import { sendPaced } from './sender.js';
import { benchTraffic } from './traffic.js';

/** The command of this build, beside this file's compiled form (dist/bench/peers/ → dist/src/cli/). */
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** The flows and the threshold a step runs with: the "3 flow definitions and 1 threshold". */
const FLOWS: Record<string, object> = {
  pair: { keys: 'ipsource,ipdestination', value: 'bytes' },
  tcp: {
    keys: 'ipsource,ipdestination,tcpsourceport,tcpdestinationport',
    value: 'bytes',
    filter: 'ipprotocol=6',
  },
  proto: { keys: 'stack', value: 'frames' },
};
const THRESHOLDS: Record<string, object> = { elephant: { metric: 'tcp', value: 100_000_000, byFlow: true } };

/** Datagrams of warm-up before each step, and their rate. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20_000);
const WARMUP_RATE = 10_000;
/** The warm-up's datagrams: the first of the bench's traffic, made once. */
let warmupTraffic: Uint8Array[] | undefined;

/** What /analyzer/json says, the fields the benches read. */
export interface AnalyzerStatus {
  sFlowDatagramsReceived: number;
  sFlowFlowSamples: number;
  sFlowQueueDrops: number;
  sFlowQueueWaiting: number;
  sFlowQueueHighWater: number;
  sFlowSocketDrops: number;
  flowsHeld: number;
  flowsEvicted: number;
  memRSS: number;
}

/** A running `sflowkit serve`. */
export interface Sflowkit {
  child: ChildProcess;
  pid: number;
  httpPort: number;
  /** GET `path` of its REST API as JSON; throws on an HTTP error, with the body. */
  get<T = unknown>(path: string): Promise<T>;
  /** PUT `body` as JSON to `path`. */
  put(path: string, body: unknown): Promise<unknown>;
  analyzer(): Promise<AnalyzerStatus>;
  /** SIGTERM, which it takes as the end (it saves its state, closes its sockets). */
  stop(): Promise<void>;
}

export interface SflowkitOptions {
  /** The UDP port for sFlow on 127.0.0.1 (IPv4 only). */
  sflowPort: number;
  /** Where its output goes (`dir/sflowkit.out`). */
  dir: string;
  /** More settings (`--max-flows N`, …), after the ones set here. */
  args?: string[];
  /** Node's own flags (`--cpu-prof`, …). */
  nodeArgs?: string[];
}

/** The version in the package.json of this build, as `sflowkit serve` reads it. */
function buildVersion(): string | undefined {
  try {
    const file = new URL('../../../package.json', import.meta.url);
    return JSON.parse(readFileSync(file, 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Starts `sflowkit serve` and resolves once its sFlow socket is bound and its REST API answers. */
export async function startSflowkit(o: SflowkitOptions): Promise<Sflowkit> {
  const httpPort = await freeTcpPort();
  const args = [
    ...(o.nodeArgs ?? []),
    MAIN,
    'serve',
    ...['--sflow-port', String(o.sflowPort), '--listen', 'v4'],
    ...['--http-port', String(httpPort), '--http-host', '127.0.0.1'],
    ...['--log-level', 'warn'],
    ...(o.args ?? []),
  ];
  const child = spawnCollector(process.execPath, args, o.dir, 'sflowkit');
  const base = `http://127.0.0.1:${httpPort}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(base + path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const stop = () => stopCollector(child, 'SIGTERM', 10_000);
  try {
    await waitForUdpPort(child, o.sflowPort);
    // The REST API starts listening just after the sFlow socket is bound.
    const until = performance.now() + 10_000;
    for (;;) {
      try {
        await call('GET', '/analyzer/json');
        break;
      } catch (e) {
        if (performance.now() > until || child.exitCode !== null) throw e;
        await sleep(50);
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    child,
    pid: child.pid!,
    httpPort,
    get: (path) => call('GET', path),
    put: (path, body) => call('PUT', path, body),
    analyzer: () => call('GET', '/analyzer/json'),
    stop,
  };
}

const int = (x: number) => x.toLocaleString('en-US');

export const sflowkit: Peer = {
  name: 'sflowkit',
  packages: [],
  unit: 'flow samples',
  counted:
    'sflowkit serve with 3 flow definitions (ipsource,ipdestination bytes; the TCP 4-tuple bytes filtered to ' +
    'ipprotocol=6; stack frames) and a byFlow threshold on the TCP one; sFlowFlowSamples of /analyzer/json ' +
    '(flow samples its engine took in) once its queue is empty, less those of a warm-up before the step ' +
    `(${int(WARMUP)} datagrams of the same traffic at ${int(WARMUP_RATE)}/s, ` +
    'BENCH_WARMUP). Its socket asks for a 2,000,000-byte receive buffer whatever BENCH_RCVBUF says (no ' +
    'setting); its queue holds 65,536 datagrams (--queue-size). One process (Node: the event loop, plus its GC ' +
    'and I/O threads).',

  installed() {
    const version = buildVersion();
    if (!existsSync(MAIN) || version === undefined) return { missing: `${MAIN} (npm run build)` };
    return { version };
  },

  async start(port: number, dir: string): Promise<Collector> {
    const s = await startSflowkit({ sflowPort: port, dir });
    let before: AnalyzerStatus;
    try {
      for (const [name, spec] of Object.entries(FLOWS)) await s.put(`/flow/${name}/json`, spec);
      for (const [name, spec] of Object.entries(THRESHOLDS)) await s.put(`/threshold/${name}/json`, spec);
      before = await warmUp(s, port);
    } catch (e) {
      await s.stop();
      throw e;
    }
    return {
      pid: s.pid,
      async count() {
        // The harness has waited for the socket to empty; the queue behind it may still hold datagrams.
        const until = performance.now() + 30_000;
        while ((await s.analyzer()).sFlowQueueWaiting > 0 && performance.now() < until) await sleep(50);
        const samples = await settledCount(async () => (await s.analyzer()).sFlowFlowSamples);
        const a = await s.analyzer();
        console.log(
          `  sflowkit: ${int(a.sFlowDatagramsReceived - before.sFlowDatagramsReceived)} datagrams taken in ` +
            `after ${int(before.sFlowDatagramsReceived)} of warm-up, queue high water ` +
            `${int(a.sFlowQueueHighWater)}, queue drops ${int(a.sFlowQueueDrops)}, socket drops ` +
            `${int(a.sFlowSocketDrops)}, ${a.sFlowQueueWaiting} waiting`,
        );
        return samples - before.sFlowFlowSamples;
      },
      stop: s.stop,
    };
  },
};

/** Sends the warm-up and waits until the analyzer has taken it all in (or lost some); returns its counts then. */
async function warmUp(s: Sflowkit, port: number): Promise<AnalyzerStatus> {
  let sent = 0;
  if (WARMUP > 0) {
    warmupTraffic ??= benchTraffic(Math.min(WARMUP, 2000));
    const seconds = WARMUP / WARMUP_RATE;
    sent = (await sendPaced({ port, payloads: warmupTraffic, rate: WARMUP_RATE, seconds })).sent;
  }
  const until = performance.now() + 10_000;
  for (;;) {
    const a = await s.analyzer();
    const seen = a.sFlowDatagramsReceived + a.sFlowSocketDrops + a.sFlowQueueDrops;
    if ((seen >= sent && a.sFlowQueueWaiting === 0) || performance.now() > until) return a;
    await sleep(20);
  }
}
