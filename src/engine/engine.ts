/**
 * The analytics engine: datagrams in, and everything sFlow-RT's REST API reads out. It decodes each datagram,
 * counts it against its agent, turns counter samples into metrics and flow samples into the flow definitions'
 * tables, checks thresholds as values change, and keeps the events. No sockets and no HTTP: the collector feeds
 * it and the API queries it, both through this class.
 */
import { decodeDatagram, SflowDecodeError } from '../sflow/index.js';
import type { CountersSample, Datagram } from '../sflow/model.js';
import { AgentTracker, type AgentTrackerOptions } from './agent-tracker.js';
import { ChartHistory } from './chart-history.js';
import { EventLog } from './event-log.js';
import { dataSourceName, FlowContext, SourceNames } from './flow-context.js';
import { Flows } from './flows.js';
import { Groups } from './groups.js';
import { MetricStore } from './metric-store.js';
import { type ThresholdEvent, Thresholds } from './thresholds.js';

export interface EngineOptions {
  /** The bound of each flow definition's table (10,000). */
  maxFlows?: number;
  agents?: AgentTrackerOptions;
}

/** An agent found or lost, in the same log as threshold events. */
export interface AgentEventRecord {
  eventID: number;
  thresholdID: 'agent_found' | 'agent_lost';
  metric: 'agent';
  agent: string;
  dataSource: '';
  timestamp: number;
}

/** An event a controller app raised (its fail-safe entering safe mode, for one). */
export interface AppEventRecord {
  eventID: number;
  thresholdID: string;
  metric: 'app';
  app: string;
  message: string;
  agent: string;
  dataSource: string;
  timestamp: number;
}

export type EngineEvent = ThresholdEvent | AgentEventRecord | AppEventRecord;

/** What the analyzer has taken in since it started (sFlow-RT's /analyzer/json). */
export interface AnalyzerCounts {
  datagrams: number;
  bytes: number;
  flowSamples: number;
  counterSamples: number;
  discardSamples: number;
  otherSamples: number;
  /** Datagrams that did not decode, by error code. */
  decodeErrors: Record<string, number>;
}

/** Data sources silent this long are forgotten, whatever their agent's state. */
const STALE_SOURCE_MS = 10 * 60_000;

export class Engine {
  readonly agents: AgentTracker;
  readonly metrics = new MetricStore();
  readonly groups = new Groups();
  readonly flows: Flows;
  readonly thresholds: Thresholds;
  readonly events = new EventLog<EngineEvent>(10_000);
  /** The last hour of what the dashboard charts. */
  readonly charts = new ChartHistory();
  readonly counts: AnalyzerCounts = {
    datagrams: 0,
    bytes: 0,
    flowSamples: 0,
    counterSamples: 0,
    discardSamples: 0,
    otherSamples: 0,
    decodeErrors: {},
  };
  readonly started = Date.now();
  private readonly sources = new SourceNames();

  constructor(options: EngineOptions = {}) {
    this.agents = new AgentTracker(options.agents);
    this.flows = new Flows({ groups: this.groups }, options.maxFlows ?? 10_000);
    this.thresholds = new Thresholds((make) => this.events.push(make));
    this.flows.listener = (name, e, value, now) => {
      if (!(value > this.thresholds.floor(name))) return;
      const place = {
        agent: e.agent,
        dataSource: e.dataSource,
        metrics: () => this.metrics.source(e.agent, e.dataSource),
      };
      // The flow's id outlives its table entry, so a flow that idles out and returns within the threshold's
      // timeout does not fire again.
      e.id ??= `${e.agent} ${e.dataSource} ${e.key}`;
      this.thresholds.check(name, value, place, now, e.key, e.id);
    };
  }

  /** One datagram's bytes from `source` (the sender's address), received at `now` (ms). */
  receive(bytes: Uint8Array, source: string, now: number): void {
    if (!this.agents.allowed(source)) return;
    this.counts.datagrams++;
    this.counts.bytes += bytes.length;
    let d: Datagram;
    try {
      d = decodeDatagram(bytes);
    } catch (e) {
      const code = e instanceof SflowDecodeError ? e.code : 'INTERNAL';
      this.counts.decodeErrors[code] = (this.counts.decodeErrors[code] ?? 0) + 1;
      this.agents.decodeError(source, code, now);
      return;
    }
    this.datagram(d, source, now);
  }

  /** A decoded datagram. */
  datagram(d: Datagram, source: string, now: number): void {
    this.agents.datagram(d, source, now);
    const agent = d.agentAddress ?? source;
    for (const s of d.samples) {
      switch (s.name) {
        case 'flow_sample':
        case 'flow_sample_expanded':
          this.counts.flowSamples++;
          this.flows.sample(
            new FlowContext(agent, s, now, this.sources.of(agent, s.sourceIdType, s.sourceIdIndex)),
          );
          break;
        case 'counters_sample':
        case 'counters_sample_expanded':
          this.counts.counterSamples++;
          this.counterSample(agent, d.uptime, s, now);
          break;
        case 'discarded_packet':
          // Drops go through the flow definitions too (each stands for one packet): keys such as reason
          // and inputifindex tell where and why traffic is lost.
          this.counts.discardSamples++;
          this.flows.sample(
            new FlowContext(agent, s, now, this.sources.of(agent, s.sourceIdType, s.sourceIdIndex)),
          );
          break;
        default:
          this.counts.otherSamples++;
      }
    }
  }

  private counterSample(agent: string, uptime: number, s: CountersSample, now: number): void {
    const metrics = this.metrics.counters(agent, uptime, s, now);
    this.charts.counters(agent, metrics, now);
    const place = {
      agent,
      dataSource: dataSourceName(s.sourceIdType, s.sourceIdIndex),
      metrics: () => metrics,
    };
    for (const name in metrics) {
      const v = metrics[name];
      if (typeof v === 'number' && this.thresholds.watches(name)) this.thresholds.check(name, v, place, now);
    }
  }

  /** Once a second or so: agents lost, flows expired, charts' history taken, thresholds re-armed. */
  tick(now: number): void {
    for (const e of this.agents.tick(now)) {
      if (e.type === 'agent_lost') {
        this.metrics.forget(e.agent);
        this.sources.forget(e.agent);
      }
      this.events.push((eventID) => ({
        eventID,
        thresholdID: e.type,
        metric: 'agent',
        agent: e.agent,
        dataSource: '',
        timestamp: e.time,
      }));
    }
    this.metrics.expire(now - STALE_SOURCE_MS);
    this.flows.tick(now);
    this.charts.sample(this, now);
    this.thresholds.rearm(now, (metric, f) => {
      if (f.flowKey !== undefined) return this.flows.value(f.agent, f.dataSource, metric, f.flowKey, now);
      if (this.flows.has(metric)) return this.flows.largest(metric, f.agent, f.dataSource, now);
      const v = this.metrics.source(f.agent, f.dataSource)?.[metric];
      return typeof v === 'number' ? v : undefined;
    });
  }
}
