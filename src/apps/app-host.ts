/**
 * Runs controller apps inside `sflowkit serve`. A script app (.js, .ts with its types stripped) runs in a
 * context of its own whose globals are the app API, as sFlow-RT runs its scripts; a module app (.mjs) gets
 * the API as the argument of its default export. Every call into an app (its top level, handlers, timers,
 * HTTP handler) is guarded: an app that throws is logged with its name and the error, counted, and keeps
 * running; it cannot stop the analyzer. Apps are trusted code chosen by the operator: the context keeps apps
 * apart, it is not a security sandbox.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createContext, Script } from 'node:vm';
import type { Logger } from 'pino';
import type { Engine, EngineEvent } from '../engine/engine.js';
import type { CompletedFlow } from '../engine/flows.js';
import { parseMetricList, queryMetric } from '../engine/metric-query.js';
import { agentsView, dumpView } from '../engine/views.js';
import type { AppApi, AppHttpRequest } from './app-api.js';
import type { AppStore } from './app-store.js';

export interface AppStatus {
  name: string;
  file: string;
  /** Whether its top level ran to the end. */
  loaded: boolean;
  /** Errors thrown by the app since it loaded, and the last one. */
  errors: number;
  lastError?: string;
  handlers: { events: number; flows: number; intervals: number; http: boolean };
  /** What the app itself reports (its fail-safe state, for one), set through the host. */
  state?: unknown;
}

interface RunningApp {
  status: AppStatus;
  http?: (request: AppHttpRequest) => unknown;
  stops: (() => void)[];
}

export interface AppHostOptions {
  engine: Engine;
  log: Logger;
  store: AppStore;
  /** Called after an app changed flows, thresholds or groups (to save the engine's state). */
  onChange?: () => void;
}

/** The message of what an app threw: its Errors come from its own context, so instanceof Error fails. */
function messageOf(e: unknown): string {
  const m = (e as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(e);
}

/**
 * A TypeScript script app as JavaScript: types gone, syntax kept (no module system: it is a script). The
 * compiler is loaded on the first TypeScript app only: it is large, and most analyzers run none.
 */
function stripTypes(source: string, fileName: string): string {
  const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Preserve, sourceMap: false },
  }).outputText;
}

/** An app's HTTP handler threw (the API answers 500 APP_ERROR). */
export class AppError extends Error {
  override name = 'AppError';
}

/** Names of the apps shipped in ./shipped/. */
const BUILTIN = /^[a-z][a-z-]*$/;

/** The sFlow-RT script library clmark.js includes: a JSON polyfill that every JavaScript engine now has. */
const NO_OP_INCLUDES = new Set(['extras/json2.js']);

export class AppHost {
  private readonly apps = new Map<string, RunningApp>();

  constructor(private readonly o: AppHostOptions) {}

  /**
   * Loads and starts the app in `file` (or `builtin:NAME`, an app shipped with sflowkit); its name is the file's
   * name without extension. A module app gets `options` as its second argument.
   */
  async load(file: string, options: unknown = {}): Promise<AppStatus> {
    const builtin = file.startsWith('builtin:') ? file.slice('builtin:'.length) : undefined;
    if (builtin !== undefined && !BUILTIN.test(builtin)) throw new Error(`${file}: no such built-in app`);
    const path = builtin ? fileURLToPath(new URL(`./shipped/${builtin}.js`, import.meta.url)) : resolve(file);
    const ext = builtin ? '.mjs' : extname(path);
    const name = builtin ?? basename(path, ext);
    if (this.apps.has(name)) throw new Error(`an app named '${name}' is already loaded`);
    if (!['.js', '.mjs', '.ts'].includes(ext)) throw new Error(`${file}: an app is a .js, .mjs or .ts file`);
    const app: RunningApp = {
      status: {
        name,
        file: path,
        loaded: false,
        errors: 0,
        handlers: { events: 0, flows: 0, intervals: 0, http: false },
      },
      stops: [],
    };
    this.apps.set(name, app);
    const api = this.api(app);
    try {
      if (ext === '.mjs') {
        const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
        if (typeof mod.default !== 'function')
          throw new Error('a module app must export default a function taking the app API');
        await mod.default(api, options);
      } else {
        const context = createContext({ ...api, console });
        // include() runs further scripts in the same context, relative to the app's directory.
        context.include = (f: string) => {
          if (NO_OP_INCLUDES.has(f)) return;
          this.runScript(resolve(dirname(path), f), context);
        };
        this.runScript(path, context);
      }
      app.status.loaded = true;
      this.o.log.info({ app: name, file: path }, 'app loaded');
    } catch (e) {
      this.failed(app, e, 'loading');
    }
    return app.status;
  }

  private runScript(path: string, context: object): void {
    const source = readFileSync(path, 'utf8');
    const code = path.endsWith('.ts') ? stripTypes(source, path) : source;
    new Script(code, { filename: path }).runInContext(context);
  }

  /** The status of app `name`, or undefined. */
  status(name: string): AppStatus | undefined {
    return this.apps.get(name)?.status;
  }

  list(): AppStatus[] {
    return [...this.apps.values()].map((a) => a.status);
  }

  /** Hands a request for /app/{name}/… to the app's HTTP handler; undefined when it has none. */
  async request(name: string, request: AppHttpRequest): Promise<{ handled: boolean; result?: unknown }> {
    const app = this.apps.get(name);
    if (app?.http === undefined) return { handled: false };
    try {
      return { handled: true, result: await app.http(request) };
    } catch (e) {
      this.failed(app, e, 'http handler');
      throw new AppError(`app ${name}: ${messageOf(e)}`);
    }
  }

  /** Stops every app's handlers and timers. */
  stop(): void {
    for (const app of this.apps.values()) for (const stop of app.stops.splice(0)) stop();
  }

  private failed(app: RunningApp, e: unknown, during: string): void {
    app.status.errors++;
    app.status.lastError = `${during}: ${messageOf(e)}`;
    this.o.log.error({ app: app.status.name, err: e, during }, `app ${app.status.name} threw`);
  }

  /** Calls into the app, catching what it throws, synchronously or in a returned Promise. */
  private guard<A extends unknown[]>(app: RunningApp, during: string, fn: (...args: A) => unknown) {
    return (...args: A): unknown => {
      try {
        const r = fn(...args);
        if (r instanceof Promise) return r.catch((e) => this.failed(app, e, during));
        return r;
      } catch (e) {
        this.failed(app, e, during);
        return undefined;
      }
    };
  }

  private api(app: RunningApp): AppApi {
    const { engine, log, store } = this.o;
    const name = app.status.name;
    const changed = () => this.o.onChange?.();
    const agents = (text: string) =>
      text === 'ALL' ? undefined : new Set(text.split(';').filter((a) => a !== ''));
    return {
      setFlow: (flow, spec) => {
        engine.flows.set(flow, spec);
        changed();
      },
      clearFlow: (flow) => {
        if (engine.flows.delete(flow)) changed();
      },
      activeFlows: (agent, flow, maxFlows = 100, minValue = 0, aggMode = 'max') =>
        engine.flows.active(flow, { agents: agents(agent), maxFlows, minValue, aggMode }, Date.now()) ?? [],
      flowValue: (agent, dataSourceAndFlow, flowKey) => {
        const dot = dataSourceAndFlow.lastIndexOf('.');
        const flow = dataSourceAndFlow.slice(dot + 1);
        const dataSource = dot < 0 ? '' : dataSourceAndFlow.slice(0, dot);
        return engine.flows.value(agent, dataSource, flow, flowKey, Date.now()) ?? 0;
      },
      setThreshold: (id, spec) => {
        engine.thresholds.set(id, spec);
        changed();
      },
      clearThreshold: (id) => {
        if (engine.thresholds.delete(id)) changed();
      },
      setEventHandler: (fn, ids) => {
        const wanted = ids === undefined ? undefined : new Set(ids);
        const call = this.guard(app, 'event handler', fn);
        app.stops.push(
          engine.events.subscribe((e: EngineEvent) => {
            if (wanted === undefined || wanted.has(e.thresholdID)) call(e);
          }),
        );
        app.status.handlers.events++;
      },
      setIntervalHandler: (fn, seconds = 1) => {
        const timer = setInterval(this.guard(app, 'interval handler', fn), Math.max(0.05, seconds) * 1000);
        app.stops.push(() => clearInterval(timer));
        app.status.handlers.intervals++;
      },
      setFlowHandler: (fn, names) => {
        const wanted = names === undefined ? undefined : new Set(names);
        const call = this.guard(app, 'flow handler', fn);
        app.stops.push(
          engine.flows.completed.subscribe((f: CompletedFlow) => {
            if (wanted === undefined || wanted.has(f.name)) call(f);
          }),
        );
        app.status.handlers.flows++;
      },
      setHttpHandler: (fn) => {
        app.http = fn;
        app.status.handlers.http = true;
      },
      metric: (agent, metrics) => queryMetric(engine, agents(agent), parseMetricList(metrics), Date.now()),
      dump: (agent, metric) =>
        dumpView(engine, agents(agent), metric === 'ALL' ? undefined : metric.split(','), Date.now()),
      agents: () => agentsView(engine, Date.now()),
      setGroups: (set, groups) => {
        engine.groups.set(set, groups);
        changed();
      },
      http: (url, method = 'GET', type, body, user, password) => {
        const headers: Record<string, string> = {};
        if (type !== undefined) headers['content-type'] = type;
        if (user !== undefined)
          headers.authorization = `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`;
        const p = fetch(url, {
          method: method.toUpperCase(),
          headers,
          ...(body !== undefined ? { body } : {}),
        }).then(async (res) => {
          const text = await res.text();
          if (res.status >= 400) throw new Error(`${method.toUpperCase()} ${url}: ${res.status} ${text}`);
          return text;
        });
        // A script that ignores the result (as sFlow-RT scripts do) must not leave an unhandled rejection.
        p.catch((e: Error) => log.warn({ app: name, url, err: e.message }, 'app http() failed'));
        return p;
      },
      storeGet: (key) => store.get(name, key),
      storeSet: (key, value) => store.set(name, key, value),
      logInfo: (message) => log.info({ app: name }, String(message)),
      logWarning: (message) => log.warn({ app: name }, String(message)),
      logSevere: (message) => log.error({ app: name }, String(message)),
      include: () => {},
      raiseEvent: (type, message, agent = '') => {
        engine.events.push((eventID) => ({
          eventID,
          thresholdID: type,
          metric: 'app' as const,
          app: name,
          message,
          agent,
          dataSource: '',
          timestamp: Date.now(),
        }));
        log.warn({ app: name, event: type, agent }, message);
      },
      setState: (state) => {
        app.status.state = state;
      },
    };
  }
}
