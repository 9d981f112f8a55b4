/**
 * sFlow for Node's HTTP servers, as mod-sflow is for Apache (https://sflow.org/sflow_http.txt): every request
 * counts in its data source's http_counters (0:2201, sent every polling interval), and one in N, chosen at
 * random as sFlow samples, becomes a flow sample with its connection (0:2100/0:2101) and its http_request
 * (0:2206). A data source is a port the server listens on (3:80, as mod-sflow's). Sampling, polling and the
 * collectors come from the caller, else from the host agent's auto file (/etc/hsflowd.auto, read again every
 * polling interval), else defaults: 1 in 400 (mod-sflow's), 20 s, 127.0.0.1:6343.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { Collector, SflowExporter } from '../agent/exporter.js';
import {
  type CounterPageOptions,
  counterPageText,
  isCounterPage,
  isLoopback,
  serveCounterPage,
} from './http-counter-page.js';
import { type HttpCounters, HttpDataSource, type SamplingContext, zeroCounters } from './http-data-source.js';
import { closeTaps, openTaps } from './http-response-tap.js';
import { FollowedSettings, firstIpv4, type InstrumentSettings } from './instrument-settings.js';

export const DEFAULT_AUTO_FILE = '/etc/hsflowd.auto';

export interface HttpSflowOptions {
  /** Send with this exporter (its collectors and agent address), not one made from the settings. */
  exporter?: SflowExporter;
  collectors?: Collector[];
  /** The agent address the datagrams carry: the auto file's, else this host's first non-loopback IPv4. */
  agentAddress?: string;
  /** The host agent's published settings (/etc/hsflowd.auto); false: none. */
  autoFile?: string | false;
  /** One request in this many is sampled (sampling.http of the auto file, else its sampling, else 400); 0: none. */
  samplingRate?: number;
  /** Seconds between counter samples (the auto file's polling, else 20); 0: none. */
  pollingSeconds?: number;
  /** One data source for every port, with this index. */
  dataSource?: number;
  /** The datagrams' sub-agent id, which tells agents on one host apart (the process id). */
  subAgentId?: number;
  /** The counter page: true for /sflow, a path, or options; off by default. */
  counterPage?: boolean | string | CounterPageOptions;
  /** A random number in [0, 1): the sampling's coin (Math.random). */
  random?: () => number;
}

function pageOptions(o: HttpSflowOptions['counterPage']): Required<CounterPageOptions> | undefined {
  if (o === undefined || o === false) return undefined;
  const given = typeof o === 'string' ? { path: o } : o === true ? {} : o;
  return { path: given.path ?? '/sflow', allow: given.allow ?? isLoopback };
}

export class HttpSflow {
  private readonly sources = new Map<number, HttpDataSource>();
  private readonly context: SamplingContext;
  private readonly followed: FollowedSettings;
  private poller: NodeJS.Timeout | undefined;
  private closed = false;
  /** The counter page, when it is on. */
  readonly page: Required<CounterPageOptions> | undefined;

  constructor(private readonly o: HttpSflowOptions = {}) {
    const autoFile = o.autoFile === false ? undefined : (o.autoFile ?? DEFAULT_AUTO_FILE);
    this.followed = new FollowedSettings(
      'http',
      {
        sampling: o.samplingRate,
        polling: o.pollingSeconds,
        collectors: o.collectors,
        agentAddress: o.agentAddress,
        autoFile,
        autoFileNamed: typeof o.autoFile === 'string',
      },
      {
        sampling: 400,
        agentAddress: firstIpv4,
        subAgentId: o.subAgentId ?? process.pid,
        ...(o.exporter ? { exporter: o.exporter } : {}),
      },
      (now, before) => this.apply(now, before),
    );
    const s = this.followed.settings;
    this.context = { exporter: this.followed.exporter, rate: s.sampling, random: o.random ?? Math.random };
    this.page = pageOptions(o.counterPage);
    this.schedule(s.polling);
    this.followed.follow();
    openTaps();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The settings in force (from the options, the auto file and defaults). */
  get settings(): InstrumentSettings {
    return this.followed.settings;
  }

  get exporter(): SflowExporter {
    return this.context.exporter;
  }

  private apply(now: InstrumentSettings, before: InstrumentSettings): void {
    this.context.exporter = this.followed.exporter;
    if (now.sampling !== before.sampling) {
      this.context.rate = now.sampling;
      for (const s of this.sources.values()) s.resample();
    }
    if (now.polling !== before.polling) this.schedule(now.polling);
  }

  private schedule(polling: number): void {
    clearInterval(this.poller);
    this.poller = polling > 0 ? setInterval(() => this.poll(), polling * 1000).unref() : undefined;
  }

  /** The data source of `port` (or the one given in the options), made on first use. */
  dataSource(port: number): HttpDataSource {
    const index = this.o.dataSource ?? port;
    let source = this.sources.get(index);
    if (source === undefined) {
      source = new HttpDataSource(index, this.context);
      this.sources.set(index, source);
    }
    return source;
  }

  /**
   * One request: counted, perhaps sampled. Returns true when it was the counter page's and has been answered
   * here (the application must not answer it too).
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.closed) return false;
    const source = this.dataSource(req.socket.localPort ?? 0);
    if (this.page && isCounterPage(req.url, this.page.path)) {
      serveCounterPage(req, res, this.page, () =>
        counterPageText(source.counters(), hostname(), source.samplingRate),
      );
      return true;
    }
    source.request(req, res);
    return false;
  }

  /** The counters so far: of one data source, or summed over all. */
  counters(dataSource?: number): HttpCounters {
    const list = dataSource === undefined ? [...this.sources.values()] : [this.sources.get(dataSource)];
    const sum = zeroCounters();
    for (const s of list) {
      if (s === undefined) continue;
      for (const [k, v] of Object.entries(s.counters())) sum[k as keyof HttpCounters] += v;
    }
    return sum;
  }

  /** Sends every data source's counter sample now (as the polling timer does). */
  poll(): void {
    for (const s of this.sources.values()) s.poll();
  }

  /** Stops sampling and polling, and closes the exporter it made (not one it was given). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    closeTaps();
    clearInterval(this.poller);
    await this.followed.close();
  }

  /** close(), for a caller that does not wait. */
  stop(): void {
    void this.close();
  }
}

/**
 * Instruments `server` (node:http or node:https). The server's request listeners (the application) move behind
 * one listener of ours, rather than ours being added beside them: Node copies the list of listeners at every
 * event when there are several. So instrument after the application is attached (createServer(app) attaches
 * it); one attached later runs after ours as well, only not behind it (it would see the counter page's requests).
 */
export function instrumentHttp(server: Server, options: HttpSflowOptions | HttpSflow = {}): HttpSflow {
  const made = !(options instanceof HttpSflow);
  const sflow = options instanceof HttpSflow ? options : new HttpSflow(options);
  type Listener = (req: IncomingMessage, res: ServerResponse) => void;
  const app = server.listeners('request') as Listener[];
  const only = app.length === 1 ? app[0] : undefined;
  server.removeAllListeners('request');
  // One server listens on one port: its data source is found once, not at every request.
  let source: HttpDataSource | undefined;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (sflow.page) {
      if (sflow.handle(req, res)) return;
    } else if (!sflow.isClosed) {
      source ??= sflow.dataSource(req.socket.localPort ?? 0);
      source.request(req, res);
    }
    if (only) only.call(server, req, res);
    else for (const listener of app) listener.call(server, req, res);
  });
  if (made) server.once('close', () => sflow.stop());
  return sflow;
}
