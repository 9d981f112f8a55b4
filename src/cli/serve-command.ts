/**
 * `sflowkit serve`: the analyzer. This thread reads sFlow from the UDP socket and hands it on in batches
 * (datagram-batcher.ts) to the analyzer's worker thread (analyzer.ts: engine, REST API, apps, state), so
 * that reading never waits for analysis and the two use both cores; with --demo the generator's steady data
 * center sends to it so there is something to see.
 */
import { Worker } from 'node:worker_threads';
import { chooseAgentAddress } from '../agent/host/agent-address.js';
import { HostAgent } from '../agent/host/host-agent.js';
import { DatagramBatcher } from '../collector/datagram-batcher.js';
import { UdpListener } from '../collector/udp-listener.js';
import { ConfigError, loadConfig, type ServeConfig, serveHelp } from '../common/config.js';
import { createLogger } from '../common/logger.js';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC } from '../generator/fabric.js';
import type { WorkerInput, WorkerMessage } from './analyzer-worker.js';
import { toUdp } from './udp-sender.js';
import { VERSION } from './version.js';

export async function serveCommand(args: string[]): Promise<number> {
  let config: ServeConfig;
  try {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(serveHelp());
      return 0;
    }
    config = loadConfig(args, process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`sflowkit serve: ${e.message}\n(sflowkit serve --help lists the settings)\n`);
    return 2;
  }
  const server = await startServer(config);
  const signalled = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      server.log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  try {
    await Promise.race([signalled, server.failed]);
  } catch {
    return 1;
  }
  await server.stop();
  return 0;
}

export interface RunningServer {
  sflowPort: number;
  httpPort: number;
  log: ReturnType<typeof createLogger>;
  /** Rejects if the analyzer's thread fails (it should not): the server can do nothing more. */
  failed: Promise<never>;
  stop(): Promise<void>;
}

/** How often the socket's thread tells the analyzer its queue counts when no batch carries them. */
const COUNTS_MS = 200;

/**
 * Starts everything `config` asks for: the socket here, the analyzer in its worker thread. Rejects, having
 * released what it took, if a port cannot be had.
 */
export async function startServer(config: ServeConfig): Promise<RunningServer> {
  const log = createLogger(config.logLevel);
  let batcher: DatagramBatcher | undefined;
  let early = 0;
  const listener = await UdpListener.open(
    { port: config.sflowPort, families: config.sflowListen },
    (d) => (batcher === undefined ? early++ : batcher.push(d)),
    (e) => log.error({ err: e }, 'sFlow socket error'),
  );
  const input: WorkerInput = { config, sflowPort: listener.port };
  const worker = new Worker(new URL('./analyzer-worker.js', import.meta.url), { workerData: input });
  const first = await new Promise<WorkerMessage>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (e) => resolve({ type: 'failed', message: e.message }));
  });
  if (first.type !== 'ready') {
    listener.close();
    await worker.terminate();
    const e = new Error(
      first.type === 'failed' ? first.message : 'the analyzer did not start',
    ) as NodeJS.ErrnoException;
    if (first.type === 'failed' && first.code) e.code = first.code;
    throw e;
  }
  const ready = new DatagramBatcher(config.queueSize, (batch, transfer) =>
    worker.postMessage(batch, transfer),
  );
  // Datagrams that came before the analyzer was ready could not be taken: they count as queue drops.
  ready.dropped(early);
  batcher = ready;
  let stopped: (() => void) | undefined;
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'done') ready.done(m.n);
    else if (m.type === 'stopped') stopped?.();
  });
  const counts = setInterval(() => worker.postMessage({ type: 'counts', counts: ready.stats() }), COUNTS_MS);
  let demo: AbortController | undefined;
  const failed = new Promise<never>((_, reject) =>
    worker.on('error', (e) => {
      // The analyzer is gone: nothing here can do its work, so say so and let the command end.
      log.fatal({ err: e }, 'the analyzer thread failed');
      clearInterval(counts);
      demo?.abort();
      listener.close();
      reject(e);
    }),
  );
  failed.catch(() => {});
  const { httpPort } = first;
  log.info(
    { sflowPort: listener.port, httpPort, httpHost: config.httpHost, version: VERSION },
    `sflowkit serve: sFlow on UDP ${listener.port}, REST API on http://${hostForUrl(config.httpHost)}:${httpPort}/`,
  );
  if (config.demo) demo = startDemo(listener.port, log);
  const agent = config.agent ? startAgent(listener.port, config.sflowListen, log) : undefined;
  return {
    sflowPort: listener.port,
    httpPort,
    log,
    failed,
    async stop() {
      demo?.abort();
      await agent?.stop();
      listener.close();
      ready.flush();
      clearInterval(counts);
      await new Promise<void>((resolve) => {
        stopped = resolve;
        worker.postMessage({ type: 'stop' });
      });
      await worker.terminate();
    },
  };
}

function hostForUrl(host: string): string {
  if (host === '::' || host === '0.0.0.0') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Polling of the in-process host agent: shorter than hsflowd's 30 s, so that a newcomer's machine shows soon. */
const SELF_POLLING_S = 10;

/** The Host sFlow agent of this machine, in process, sending to our own port (`--agent`). */
function startAgent(port: number, listen: string, log: ReturnType<typeof createLogger>): HostAgent {
  const agent = new HostAgent({
    settings: {
      agentAddress: chooseAgentAddress(undefined, undefined).address,
      collectors: [{ address: listen === 'v6' ? '::1' : '127.0.0.1', port }],
      polling: SELF_POLLING_S,
      datagramBytes: 1400,
    },
    onError: (e) => log.warn({ err: e }, 'the host agent could not read its counters'),
  });
  agent.start();
  log.info(`--agent: this host's counters every ${SELF_POLLING_S} s, as agent ${agent.address}`);
  return agent;
}

/** The generator's steady data center sending to our own port in real time, an hour at a time. */
function startDemo(port: number, log: ReturnType<typeof createLogger>): AbortController {
  const stop = new AbortController();
  (async () => {
    for (let seed = 1; !stop.signal.aborted; seed++) {
      const dc = new DataCenter({
        fabric: DEFAULT_FABRIC,
        scenario: 'steady',
        seed,
        duration: 3600,
        flows: 400,
      });
      await toUdp(dc, { address: '127.0.0.1', port, family: 4 }, undefined, undefined, stop.signal);
    }
  })().catch((e) => log.error({ err: e }, 'the demo data center stopped'));
  log.info(
    "--demo: the generator's steady data center sends to this analyzer; try /activeflows/ALL/... after defining a flow",
  );
  return stop;
}
