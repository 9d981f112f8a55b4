/**
 * The flow definitions at work: each sample goes through every definition (filter, key, value) into the
 * definition's bounded table; queries read the tables as sFlow-RT's do (activeflows per agent or across agents
 * with aggMode max or sum, a flow's value, a definition's top flows as a metric), and definitions with log:true
 * record their completed flows for /flows/json.
 */
import { EventLog } from './event-log.js';
import type { FlowContext } from './flow-context.js';
import { type FlowDefinition, type FlowSpec, parseFlowDefinition } from './flow-definition.js';
import { type KeyEnv, presentKeys } from './flow-keys.js';
import { type FlowEntry, FlowTable } from './flow-table.js';

export interface ActiveFlow {
  key: string;
  value: number;
  agent: string;
  dataSource: string;
}

/** A flow record of a definition with log:true, as /flows/json lists them. */
export interface CompletedFlow {
  flowID: number;
  name: string;
  flowKeys: string;
  /** The flow's total over the record, scaled (bytes, frames, …), or its average for avg: values. */
  value: number;
  start: number;
  end: number;
  agent: string;
  dataSource: string;
}

export interface ActiveFlowsQuery {
  /** Agent addresses; undefined for all. */
  agents?: ReadonlySet<string>;
  maxFlows?: number;
  minValue?: number;
  aggMode?: 'max' | 'sum';
}

/** A flow's value changed: the threshold checks run on this. */
export type FlowListener = (definition: string, e: FlowEntry, value: number, now: number) => void;

interface Running {
  def: FlowDefinition;
  table: FlowTable;
}

/**
 * A look at which keys a sample has (for /flowkeys/json) is taken every this many samples, or at the first
 * sample this many milliseconds after the last look, whichever comes first: cheap at high rates, prompt at low.
 */
const KEY_SURVEY_EVERY = 256;
const KEY_SURVEY_MS = 50;
/** A flow idle for this many time constants has decayed below e^-12 of its value: it is dropped. */
const IDLE_CONSTANTS = 12;

export class Flows {
  private readonly running = new Map<string, Running>();
  readonly completed = new EventLog<CompletedFlow>(10_000);
  private readonly keysSeen = new Map<string, number>();
  private survey = 0;
  private surveyed = 0;
  listener: FlowListener | undefined;

  constructor(
    private readonly env: KeyEnv,
    /** The bound of each definition's table. */
    private readonly maxFlows: number,
  ) {}

  /** Defines (or redefines) flow `name`; throws SpecError with the reason when `body` is not a definition. */
  set(name: string, body: unknown): FlowSpec {
    const def = parseFlowDefinition(name, body, this.env);
    const tMs = def.spec.t * 1000;
    const onRemove = def.spec.log ? (e: FlowEntry, now: number) => this.record(def, e, now) : undefined;
    const table = new FlowTable(tMs, this.maxFlows, def.value.kind, onRemove);
    this.running.set(name, { def, table });
    return def.spec;
  }

  get(name: string): FlowSpec | undefined {
    return this.running.get(name)?.def.spec;
  }

  delete(name: string): boolean {
    return this.running.delete(name);
  }

  specs(): Record<string, FlowSpec> {
    return Object.fromEntries([...this.running].map(([n, r]) => [n, r.def.spec]));
  }

  has(name: string): boolean {
    return this.running.has(name);
  }

  /** One flow sample through every definition. */
  sample(ctx: FlowContext): void {
    if (++this.survey >= KEY_SURVEY_EVERY || ctx.time - this.surveyed >= KEY_SURVEY_MS) {
      this.survey = 0;
      this.surveyed = ctx.time;
      for (const k of presentKeys(ctx)) this.keysSeen.set(k, ctx.time);
    }
    for (const r of this.running.values()) {
      const def = r.def;
      if (def.filter !== undefined && !def.filter(ctx)) continue;
      const key = def.keyOf(ctx);
      if (key === undefined) continue;
      const v = def.value(ctx);
      if (v === undefined) continue;
      const amount = def.value.scaled ? v * ctx.scale : v;
      const distinct = def.value.key === undefined ? undefined : def.value.key(ctx);
      const e = r.table.add(ctx.source, ctx.agent, ctx.dataSource, key, amount, ctx.time, distinct);
      if (def.spec.flowStart && def.spec.log && r.table.created === e) this.record(def, e, ctx.time);
      this.listener?.(def.name, e, e.value, ctx.time);
    }
  }

  /** The flows of `name` now, largest first (undefined when there is no such definition). */
  active(name: string, q: ActiveFlowsQuery, now: number): ActiveFlow[] | undefined {
    const r = this.running.get(name);
    if (r === undefined) return undefined;
    // Per flow key: the running value, and the largest single part (whose agent and data source a sum reports).
    const byKey = new Map<string, { flow: ActiveFlow; part: number }>();
    const sum = q.aggMode === 'sum';
    for (const e of r.table.entries()) {
      if (q.agents !== undefined && !q.agents.has(e.agent)) continue;
      const value = r.table.valueAt(e, now);
      const seen = byKey.get(e.key);
      if (seen === undefined) {
        byKey.set(e.key, {
          flow: { key: e.key, value, agent: e.agent, dataSource: e.dataSource },
          part: value,
        });
        continue;
      }
      if (value > seen.part) {
        seen.part = value;
        seen.flow.agent = e.agent;
        seen.flow.dataSource = e.dataSource;
      }
      seen.flow.value = sum ? seen.flow.value + value : seen.part;
    }
    const minValue = q.minValue ?? 0;
    const out = [...byKey.values()].map((s) => s.flow).filter((f) => f.value >= minValue && f.value > 0);
    out.sort((a, b) => b.value - a.value);
    return out.slice(0, q.maxFlows ?? 100);
  }

  /** The value of one flow at one agent and data source (0 when it has none), as sFlow-RT's flowValue. */
  value(agent: string, dataSource: string, name: string, key: string, now: number): number | undefined {
    const r = this.running.get(name);
    if (r === undefined) return undefined;
    const e = r.table.get(agent, dataSource, key);
    return e === undefined ? 0 : r.table.valueAt(e, now);
  }

  /** The largest flow's value of definition `name` at one agent and data source (0 when none). */
  largest(name: string, agent: string, dataSource: string, now: number): number | undefined {
    const r = this.running.get(name);
    if (r === undefined) return undefined;
    let max = 0;
    for (const e of r.table.at(agent, dataSource)) max = Math.max(max, r.table.valueAt(e, now));
    return max;
  }

  /**
   * Each definition as a metric per agent and data source: the largest flow's value, and the definition's n
   * top flows there.
   */
  *metrics(now: number): Generator<FlowMetric> {
    for (const [name, r] of this.running) {
      const by = new Map<string, FlowMetric>();
      for (const e of r.table.entries()) {
        const value = r.table.valueAt(e, now);
        const id = `${e.agent} ${e.dataSource}`;
        let m = by.get(id);
        if (m === undefined) {
          m = { name, agent: e.agent, dataSource: e.dataSource, value: 0, top: [], updated: e.updated };
          by.set(id, m);
        }
        m.updated = Math.max(m.updated, e.updated);
        m.top.push({ key: e.key, value, lastUpdate: now - e.updated });
        if (value > m.value) m.value = value;
      }
      for (const m of by.values()) {
        m.top.sort((a, b) => b.value - a.value);
        m.top.length = Math.min(m.top.length, r.def.spec.n);
        yield m;
      }
    }
  }

  /** The flow key names seen in samples, and when each was last seen. */
  keys(): ReadonlyMap<string, number> {
    return this.keysSeen;
  }

  /** Drops idle flows; logged flows past their active timeout are recorded and started again. */
  tick(now: number): void {
    for (const r of this.running.values()) {
      const s = r.def.spec;
      r.table.expire(now, IDLE_CONSTANTS * s.t * 1000, s.log ? s.activeTimeout * 1000 : undefined);
    }
  }

  /** Flows evicted from the tables to keep them bounded, and flows held, over all definitions. */
  stats(): { evicted: number; held: number } {
    let evicted = 0;
    let held = 0;
    for (const r of this.running.values()) {
      evicted += r.table.evicted;
      held += r.table.size;
    }
    return { evicted, held };
  }

  private record(def: FlowDefinition, e: FlowEntry, end: number): void {
    // A record's value: the total of a sum, the mean of an avg:, and the last value of the other kinds.
    const value =
      def.value.kind === 'sum'
        ? e.total
        : def.value.kind === 'avg'
          ? e.total / Math.max(1, e.count)
          : e.value;
    this.completed.push((flowID) => ({
      flowID,
      name: def.name,
      flowKeys: e.key,
      value,
      start: e.start,
      end,
      agent: e.agent,
      dataSource: e.dataSource,
    }));
  }
}

export interface FlowMetric {
  name: string;
  agent: string;
  dataSource: string;
  value: number;
  top: { key: string; value: number; lastUpdate: number }[];
  updated: number;
}
