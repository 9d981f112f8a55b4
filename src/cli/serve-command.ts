/**
 * `sflowkit serve`: the analyzer. sFlow in on UDP (the collector's socket hands datagrams to a queue, the
 * engine works the queue off behind it), the REST API and Prometheus endpoints on HTTP, state saved across
 * restarts, and with --demo the generator's steady data center sending to it so there is something to see.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server.js';
import { AppHost } from '../apps/app-host.js';
import { appRoutes } from '../apps/app-routes.js';
import { AppStore } from '../apps/app-store.js';
import { IngestQueue } from '../collector/ingest-queue.js';
import { readKernelUdpCounters, socketDrops } from '../collector/kernel-drops.js';
import { UdpListener } from '../collector/udp-listener.js';
import { ConfigError, loadConfig, type ServeConfig, serveHelp } from '../common/config.js';
import { createLogger } from '../common/logger.js';
import { readState, StateSaver } from '../common/state-file.js';
import { parseCidr } from '../engine/cidr.js';
import { Engine } from '../engine/engine.js';
import { restore, snapshot } from '../engine/engine-state.js';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC } from '../generator/fabric.js';
import { toUdp } from './udp-sender.js';

export const VERSION: string = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
).version;

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
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      server.log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await server.stop();
  return 0;
}

export interface RunningServer {
  engine: Engine;
  api: FastifyInstance;
  apps: AppHost;
  sflowPort: number;
  httpPort: number;
  log: ReturnType<typeof createLogger>;
  stop(): Promise<void>;
}

/** Starts everything `config` asks for; rejects (having released what it took) if a port cannot be had. */
export async function startServer(config: ServeConfig): Promise<RunningServer> {
  const log = createLogger(config.logLevel);
  const engine = new Engine({
    maxFlows: config.maxFlows,
    agents: {
      lostIntervals: config.agentLostIntervals,
      minLostMs: config.agentLostMinSeconds * 1000,
      ...(config.allow.length > 0 ? { allow: config.allow.map(parseCidr) } : {}),
    },
  });
  let saver: StateSaver | undefined;
  if (config.stateFile !== undefined) {
    const state = await readState(config.stateFile);
    if (state !== undefined) restore(engine, state);
    saver = new StateSaver(
      config.stateFile,
      () => snapshot(engine),
      (e) => log.error({ err: e, file: config.stateFile }, 'cannot save the state'),
    );
  }
  const queue = new IngestQueue(
    config.queueSize,
    (d) => engine.receive(d.bytes, d.address, d.receivedAt),
    (e) => log.error({ err: e }, 'datagram handling failed'),
  );
  const listener = await UdpListener.open(
    { port: config.sflowPort, families: config.sflowListen },
    (d) => queue.push(d),
    (e) => log.error({ err: e }, 'sFlow socket error'),
  );
  const kernelAtStart = readKernelUdpCounters();
  const collectorCounts = () => {
    const q = queue.stats();
    const k = readKernelUdpCounters();
    return {
      sFlowQueueDrops: q.dropped,
      sFlowQueueWaiting: q.waiting,
      sFlowQueueHighWater: q.highWater,
      sFlowSocketDrops: socketDrops(listener.port),
      udpRcvbufErrors: k.rcvbufErrors - kernelAtStart.rcvbufErrors,
    };
  };
  // Apps' storeSet values beside the engine's state, when there is a state file.
  const store = new AppStore(config.stateFile && `${config.stateFile}.apps.json`, (e) =>
    log.error({ err: e }, "cannot save the apps' store"),
  );
  const apps = new AppHost({ engine, log, store, onChange: () => saver?.changed() });
  let api: FastifyInstance;
  try {
    api = await buildApi({
      extraRoutes: [(routes) => appRoutes(routes, apps)],
      engine,
      logger: log,
      version: VERSION,
      collectorCounts,
      ...(config.apiToken !== undefined ? { apiToken: config.apiToken } : {}),
      onChange: () => saver?.changed(),
    });
    await api.listen({ port: config.httpPort, host: config.httpHost });
  } catch (e) {
    listener.close();
    throw e;
  }
  const httpPort = (api.server.address() as { port: number }).port;
  const ticker = setInterval(() => {
    const before = engine.events.lastId;
    engine.tick(Date.now());
    for (const e of engine.events.since(before))
      if ('thresholdID' in e && e.metric === 'agent') log.info(e, e.thresholdID);
  }, 1000);
  log.info(
    { sflowPort: listener.port, httpPort, httpHost: config.httpHost, version: VERSION },
    `sflowkit serve: sFlow on UDP ${listener.port}, REST API on http://${hostForUrl(config.httpHost)}:${httpPort}/`,
  );
  const appOptions = config.appConfig === undefined ? {} : readAppConfig(config.appConfig);
  for (const file of config.apps) await apps.load(file, appOptions[appName(file)] ?? {});
  const demo = config.demo ? startDemo(listener.port, log) : undefined;
  return {
    engine,
    api,
    apps,
    sflowPort: listener.port,
    httpPort,
    log,
    async stop() {
      demo?.abort();
      apps.stop();
      clearInterval(ticker);
      listener.close();
      engine.events.close();
      engine.flows.completed.close();
      await api.close();
      await saver?.flushed();
      await store.flushed();
    },
  };
}

/** The options of module apps: a JSON object, each app's under its name. */
function readAppConfig(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  const o = JSON.parse(text) as unknown;
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    throw new Error(`--app-config ${file}: a JSON object of app names to their options`);
  return o as Record<string, unknown>;
}

function appName(file: string): string {
  return file.startsWith('builtin:') ? file.slice(8) : basename(file, extname(file));
}

function hostForUrl(host: string): string {
  if (host === '::' || host === '0.0.0.0') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
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
