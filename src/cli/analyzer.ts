/**
 * The analyzer behind `sflowkit serve`'s socket: the engine, its state file, the controller apps, the REST API
 * and the once-a-second tick. It runs in a worker thread of its own (analyzer-worker.ts), so that decoding and
 * analysis never hold up the thread that reads the socket, and the two use both cores.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { dashboardFiles, dashboardRoutes } from '../api/dashboard-routes.js';
import { buildApi, type Routes } from '../api/server.js';
import { AppHost } from '../apps/app-host.js';
import { appRoutes } from '../apps/app-routes.js';
import { AppStore } from '../apps/app-store.js';
import type { ServeConfig } from '../common/config.js';
import { readState, StateSaver } from '../common/state-file.js';
import { parseCidr } from '../engine/cidr.js';
import { DASHBOARD_FLOWS } from '../engine/dashboard-flows.js';
import { Engine } from '../engine/engine.js';
import { restore, snapshot } from '../engine/engine-state.js';
import { VERSION } from './version.js';

export interface Analyzer {
  engine: Engine;
  api: FastifyInstance;
  apps: AppHost;
  httpPort: number;
  stop(): Promise<void>;
}

/**
 * Starts the analyzer `config` asks for; `collectorCounts` gives the socket side's counters for
 * /analyzer/json. Rejects, having released what it took, if the HTTP port cannot be had.
 */
export async function startAnalyzer(
  config: ServeConfig,
  log: Logger,
  collectorCounts: () => Record<string, number>,
): Promise<Analyzer> {
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
  if (config.dashboard)
    for (const [name, spec] of Object.entries(DASHBOARD_FLOWS))
      if (!engine.flows.has(name)) engine.flows.set(name, spec);
  // Apps' storeSet values beside the engine's state, when there is a state file.
  const store = new AppStore(config.stateFile && `${config.stateFile}.apps.json`, (e) =>
    log.error({ err: e }, "cannot save the apps' store"),
  );
  const apps = new AppHost({ engine, log, store, onChange: () => saver?.changed() });
  const api = await buildApi({
    extraRoutes: [
      (routes) => appRoutes(routes, apps),
      ...(config.dashboard ? [(routes: Routes) => dashboardRoutes(routes, dashboardFiles())] : []),
    ],
    engine,
    logger: log,
    version: VERSION,
    collectorCounts,
    ...(config.apiToken !== undefined ? { apiToken: config.apiToken } : {}),
    onChange: () => saver?.changed(),
  });
  await api.listen({ port: config.httpPort, host: config.httpHost });
  const httpPort = (api.server.address() as { port: number }).port;
  const ticker = setInterval(() => {
    const before = engine.events.lastId;
    engine.tick(Date.now());
    for (const e of engine.events.since(before))
      if ('thresholdID' in e && e.metric === 'agent') log.info(e, e.thresholdID);
  }, 1000);
  const appOptions = config.appConfig === undefined ? {} : readAppConfig(config.appConfig);
  for (const file of config.apps) await apps.load(file, appOptions[appName(file)] ?? {});
  return {
    engine,
    api,
    apps,
    httpPort,
    async stop() {
      apps.stop();
      clearInterval(ticker);
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
  const o = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    throw new Error(`--app-config ${file}: a JSON object of app names to their options`);
  return o as Record<string, unknown>;
}

function appName(file: string): string {
  return file.startsWith('builtin:') ? file.slice(8) : basename(file, extname(file));
}
