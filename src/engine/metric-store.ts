/**
 * The metrics of every agent and data source, from their counter samples: each sample becomes metrics with
 * sFlow-RT's names (counter-metrics.ts), rates taken over the interval since the data source's previous
 * sample by the agent's own clock (its uptime), or by arrival time when the agent restarted.
 */
import type { CountersSample } from '../sflow/model.js';
import { counterMetrics } from './counter-metrics.js';
import { dataSourceName } from './flow-context.js';
import type { Metrics } from './interface-metrics.js';

/** One metric of one data source. */
export interface MetricPoint {
  agent: string;
  dataSource: string;
  name: string;
  value: number | string;
  /** When it was last updated, milliseconds since the epoch. */
  updated: number;
}

interface Source {
  metrics: Metrics;
  updated: number;
  sample: CountersSample;
  uptime: number;
}

export class MetricStore {
  private readonly agents = new Map<string, Map<string, Source>>();
  private readonly seen = new Map<string, number>();

  /** A counter sample of `agent` whose datagram carried `uptime` (ms), arrived at `now`; returns its metrics. */
  counters(agent: string, uptime: number, sample: CountersSample, now: number): Metrics {
    let sources = this.agents.get(agent);
    if (sources === undefined) {
      sources = new Map();
      this.agents.set(agent, sources);
    }
    const ds = dataSourceName(sample.sourceIdType, sample.sourceIdIndex);
    const before = sources.get(ds);
    let seconds: number | undefined;
    if (before !== undefined) {
      const byUptime = (uptime - before.uptime) / 1000;
      seconds = byUptime > 0 ? byUptime : (now - before.updated) / 1000;
    }
    const metrics = counterMetrics(sample, before?.sample, seconds);
    // Rates the new sample cannot give (the first after a reset) keep their last value rather than vanish.
    const merged = before === undefined ? metrics : { ...before.metrics, ...metrics };
    sources.set(ds, { metrics: merged, updated: now, sample, uptime });
    for (const name in metrics) this.seen.set(name, now);
    return merged;
  }

  /** The metrics of one data source. */
  source(agent: string, dataSource: string): Metrics | undefined {
    return this.agents.get(agent)?.get(dataSource)?.metrics;
  }

  /** Every value of metric `name` (every metric when undefined), over `agents` (all when undefined). */
  *points(name: string | undefined, agents?: ReadonlySet<string>): Generator<MetricPoint> {
    for (const [agent, sources] of this.agents) {
      if (agents !== undefined && !agents.has(agent)) continue;
      for (const [dataSource, s] of sources) {
        if (name === undefined) {
          for (const n in s.metrics)
            yield { agent, dataSource, name: n, value: s.metrics[n], updated: s.updated };
        } else if (name in s.metrics) {
          yield { agent, dataSource, name, value: s.metrics[name], updated: s.updated };
        }
      }
    }
  }

  /** The metric names seen, and when each was last updated. */
  names(): ReadonlyMap<string, number> {
    return this.seen;
  }

  /** The data sources of `agent`. */
  dataSources(agent: string): string[] {
    return [...(this.agents.get(agent)?.keys() ?? [])];
  }

  /** Forgets an agent (it was lost). */
  forget(agent: string): void {
    this.agents.delete(agent);
  }

  /** Forgets data sources not updated since `before`. */
  expire(before: number): void {
    for (const [agent, sources] of this.agents) {
      for (const [ds, s] of sources) if (s.updated < before) sources.delete(ds);
      if (sources.size === 0) this.agents.delete(agent);
    }
  }
}
