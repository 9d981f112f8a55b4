/**
 * sflowkit's own analyzer, `sflowkit serve`, as one more peer of `npm run bench:peers`, and the way every bench
 * starts it: a child process of this build (dist/src/cli/main.js) on a UDP port of 127.0.0.1, its REST API on a
 * free TCP port of 127.0.0.1, spoken to with fetch. As a peer it works as it would in use, "with 3 flow
 * definitions and 1 threshold active" (the issue): flows by address pair, by TCP connection (filtered to TCP)
 * and by protocol stack, and a byFlow threshold on the TCP one. It counts the flow samples its engine took in
 * (sFlowFlowSamples of /analyzer/json), read once its queue is empty. A datagram dropped from a full queue is
 * lost to that count, as are the kernel's drops at the socket; each step's queue figures go to stdout.
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
    '(flow samples its engine took in) once its queue is empty. Its socket asks for a 2,000,000-byte receive ' +
    'buffer whatever BENCH_RCVBUF says (no setting); its queue holds 65,536 datagrams (--queue-size). One ' +
    'process (Node: the event loop, plus its GC and I/O threads).',

  installed() {
    const version = buildVersion();
    if (!existsSync(MAIN) || version === undefined) return { missing: `${MAIN} (npm run build)` };
    return { version };
  },

  async start(port: number, dir: string): Promise<Collector> {
    const s = await startSflowkit({ sflowPort: port, dir });
    try {
      for (const [name, spec] of Object.entries(FLOWS)) await s.put(`/flow/${name}/json`, spec);
      for (const [name, spec] of Object.entries(THRESHOLDS)) await s.put(`/threshold/${name}/json`, spec);
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
          `  sflowkit: ${int(a.sFlowDatagramsReceived)} datagrams taken in, queue high water ` +
            `${int(a.sFlowQueueHighWater)}, queue drops ${int(a.sFlowQueueDrops)}, socket drops ` +
            `${int(a.sFlowSocketDrops)}, ${a.sFlowQueueWaiting} waiting`,
        );
        return samples;
      },
      stop: s.stop,
    };
  },
};
