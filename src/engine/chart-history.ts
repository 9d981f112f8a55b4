/**
 * What the dashboard charts, kept for the last hour (history.ts bounds it): each agent's charted metrics as
 * its counter samples bring them; once a second, their cluster aggregates (over all agents, and per group of
 * every group set), the analyzer's intake rates, and the top flows of every flow definition. All read back as
 * columns (times, then one array per series, null where a series has no point): what a chart plots.
 */
import { SUMMED_FLOWS } from './dashboard-flows.js';
import type { Engine } from './engine.js';
import { History } from './history.js';
import type { Metrics } from './interface-metrics.js';

/** The metrics charted per host and across the cluster. */
export const CHARTED_METRICS = [
  'cpu_utilization',
  'cpu_user',
  'cpu_system',
  'cpu_wio',
  'cpu_idle',
  'load_one',
  'mem_utilization',
  'disk_utilization',
  'bytes_read',
  'bytes_written',
  'bytes_in',
  'bytes_out',
  'http_requests',
  'memcache_cmd_get',
  'memcache_cmd_set',
  'memcache_get_hits',
  'memcache_get_misses',
] as const;

const CHARTED = new Set<string>(CHARTED_METRICS);

export const CLUSTER_AGGREGATES = ['avg', 'min', 'max', 'sum', 'count'] as const;
export type ClusterAggregate = (typeof CLUSTER_AGGREGATES)[number];

/** Rates of the analyzer's intake, per second. */
export const ANALYZER_SERIES = ['datagrams', 'flowSamples', 'counterSamples', 'agents'] as const;

/** Top flows kept per definition each second, and the most keys a flow chart shows. */
const FLOWS_PER_SNAPSHOT = 20;

export interface Columns {
  times: number[];
  series: Record<string, (number | null)[]>;
}

interface Snapshot {
  time: number;
  keys: string[];
  values: number[];
}

/** The top flows of one definition, a snapshot a second, oldest first. */
class FlowSnapshots {
  private readonly ring: Snapshot[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  push(s: Snapshot): void {
    if (this.ring.length < this.capacity) this.ring.push(s);
    else {
      this.ring[this.head] = s;
      this.head = (this.head + 1) % this.capacity;
    }
  }

  *since(time: number): Generator<Snapshot> {
    for (let k = 0; k < this.ring.length; k++) {
      const s = this.ring[(this.head + k) % this.ring.length];
      if (s.time >= time) yield s;
    }
  }
}

export class ChartHistory {
  readonly history: History;
  private readonly flows = new Map<string, FlowSnapshots>();
  private last?: { time: number; datagrams: number; flowSamples: number; counterSamples: number };
  private swept = 0;

  constructor(history = new History()) {
    this.history = history;
  }

  /** An agent's new counter metrics. Several data sources of one agent with the same metric: the last wins. */
  counters(agent: string, metrics: Metrics, now: number): void {
    for (const name in metrics) {
      const v = metrics[name];
      if (typeof v === 'number' && CHARTED.has(name)) this.history.record(`m|${agent}|${name}`, now, v);
    }
  }

  /** Once a second: cluster aggregates, intake rates and top flows. */
  sample(engine: Engine, now: number): void {
    this.sampleCluster(engine, now);
    this.sampleAnalyzer(engine, now);
    this.sampleFlows(engine, now);
    if (now - this.swept >= 60_000) {
      this.swept = now;
      this.history.sweep(now);
      for (const name of this.flows.keys()) if (!engine.flows.has(name)) this.flows.delete(name);
    }
  }

  /** Metrics of one agent. */
  agent(agent: string, metrics: readonly string[], since: number): Columns {
    return align(metrics.map((m) => [m, this.history.window(`m|${agent}|${m}`, since)]));
  }

  /** Cluster aggregates ("avg:cpu_user"), over all agents or over group `group` of set `set`. */
  cluster(
    specs: readonly { aggregate: ClusterAggregate; name: string }[],
    scope: string,
    since: number,
  ): Columns {
    return align(
      specs.map((s) => [
        `${s.aggregate}:${s.name}`,
        this.history.window(`c|${scope}|${s.name}|${s.aggregate}`, since),
      ]),
    );
  }

  analyzer(since: number): Columns {
    return align(ANALYZER_SERIES.map((n) => [n, this.history.window(`a|${n}`, since)]));
  }

  /** The `top` keys of flow definition `name` over the window (by their sum), a column each. */
  flow(name: string, since: number, top: number): Columns {
    const snapshots = [...(this.flows.get(name)?.since(since) ?? [])];
    const totals = new Map<string, number>();
    for (const s of snapshots)
      for (const [i, k] of s.keys.entries()) totals.set(k, (totals.get(k) ?? 0) + s.values[i]);
    const keys = [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k]) => k);
    const series: Columns['series'] = {};
    for (const k of keys)
      series[k] = snapshots.map((s) => {
        const i = s.keys.indexOf(k);
        return i < 0 ? null : s.values[i];
      });
    return { times: snapshots.map((s) => s.time), series };
  }

  /** The scopes cluster aggregates are kept for: "" (all agents), and "set/group" for each group. */
  static scope(set?: string, group?: string): string {
    return set === undefined || group === undefined ? '' : `${set}/${group}`;
  }

  private sampleCluster(engine: Engine, now: number): void {
    const sets = Object.keys(engine.groups.all());
    for (const name of CHARTED_METRICS) {
      const acc = new Map<string, number[]>();
      const add = (scope: string, v: number) => {
        let a = acc.get(scope);
        if (a === undefined) {
          a = [0, Infinity, -Infinity, 0];
          acc.set(scope, a);
        }
        a[0] += v;
        a[1] = Math.min(a[1], v);
        a[2] = Math.max(a[2], v);
        a[3]++;
      };
      for (const p of engine.metrics.points(name)) {
        if (typeof p.value !== 'number') continue;
        add('', p.value);
        for (const set of sets) {
          const g = engine.groups.lookup(set, p.agent);
          if (g !== undefined) add(`${set}/${g}`, p.value);
        }
      }
      for (const [scope, [sum, min, max, count]] of acc) {
        const values: Record<ClusterAggregate, number> = { avg: sum / count, min, max, sum, count };
        for (const agg of CLUSTER_AGGREGATES)
          this.history.record(`c|${scope}|${name}|${agg}`, now, values[agg]);
      }
    }
  }

  private sampleAnalyzer(engine: Engine, now: number): void {
    const { datagrams, flowSamples, counterSamples } = engine.counts;
    const last = this.last;
    this.last = { time: now, datagrams, flowSamples, counterSamples };
    const agents = engine.agents.list().filter((a) => a.present).length;
    this.history.record('a|agents', now, agents);
    if (last === undefined || now <= last.time) return;
    const per = 1000 / (now - last.time);
    this.history.record('a|datagrams', now, (datagrams - last.datagrams) * per);
    this.history.record('a|flowSamples', now, (flowSamples - last.flowSamples) * per);
    this.history.record('a|counterSamples', now, (counterSamples - last.counterSamples) * per);
  }

  private sampleFlows(engine: Engine, now: number): void {
    const capacity = Math.ceil(this.history.spanMs / this.history.resolutionMs);
    for (const name of Object.keys(engine.flows.specs())) {
      const aggMode = SUMMED_FLOWS.has(name) ? 'sum' : 'max';
      const top = engine.flows.active(name, { maxFlows: FLOWS_PER_SNAPSHOT, aggMode }, now) ?? [];
      let s = this.flows.get(name);
      if (s === undefined) {
        s = new FlowSnapshots(capacity);
        this.flows.set(name, s);
      }
      s.push({ time: now, keys: top.map((f) => f.key), values: top.map((f) => f.value) });
    }
  }
}

/** Series with their own times, as columns on the union of their times. */
function align(named: [string, { times: number[]; values: number[] }][]): Columns {
  const times = [...new Set(named.flatMap(([, w]) => w.times))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const series: Columns['series'] = {};
  for (const [name, w] of named) {
    const column: (number | null)[] = new Array(times.length).fill(null);
    for (const [i, t] of w.times.entries()) column[index.get(t) as number] = w.values[i];
    series[name] = column;
  }
  return { times, series };
}
