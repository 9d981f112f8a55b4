/**
 * Thresholds and the events they raise, as sFlow-RT's (https://sflow-rt.com/reference.php, setThreshold):
 * a threshold watches a metric (a counter metric or a flow definition's name) and raises an event when a value
 * goes above it: one per agent and data source, or, with byFlow, one per flow key. Having fired, a threshold
 * re-arms for that agent, data source or flow once the value is back at or below it and `timeout` seconds have
 * passed since the event, so a flow that stays large raises one event, not one per sample.
 */

import { checkName } from './flow-definition.js';
import type { Metrics } from './interface-metrics.js';
import { SpecError } from './spec-error.js';

export interface ThresholdSpec {
  metric: string;
  value: number;
  byFlow: boolean;
  /** Seconds before a fired threshold may re-arm. */
  timeout: number;
  /** Only where each named metric (or agent, dataSource) has one of the listed values. */
  filter?: Record<string, (string | number)[]>;
}

export interface ThresholdEvent {
  eventID: number;
  thresholdID: string;
  metric: string;
  value: number;
  threshold: number;
  agent: string;
  dataSource: string;
  flowKey?: string;
  timestamp: number;
}

/** Where a value was seen: what the filter checks, and the metrics of that data source (read only if needed). */
export interface Place {
  agent: string;
  dataSource: string;
  metrics: () => Metrics | undefined;
}

export interface Fired {
  at: number;
  agent: string;
  dataSource: string;
  flowKey?: string;
}

interface Watching {
  id: string;
  spec: ThresholdSpec;
  /** What fired and has not re-armed: by flow ("agent dataSource key") or by "agent dataSource". */
  fired: Map<string, Fired>;
}

const FIELDS = new Set(['metric', 'value', 'byFlow', 'timeout', 'filter']);

export function parseThreshold(name: string, body: unknown): ThresholdSpec {
  checkName('threshold', name);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SpecError('a threshold is a JSON object, like {"metric":"load_one","value":5}');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!FIELDS.has(k)) throw new SpecError(`unknown threshold option '${k}'`);
  if (typeof b.metric !== 'string' || b.metric === '')
    throw new SpecError("'metric' must be a metric or flow name");
  if (typeof b.value !== 'number' || !Number.isFinite(b.value))
    throw new SpecError("'value' must be a number");
  if (b.byFlow !== undefined && typeof b.byFlow !== 'boolean')
    throw new SpecError("'byFlow' must be true or false");
  const timeout = b.timeout ?? 60;
  if (typeof timeout !== 'number' || !(timeout >= 0))
    throw new SpecError("'timeout' must be seconds, 0 or more");
  const spec: ThresholdSpec = { metric: b.metric, value: b.value, byFlow: b.byFlow === true, timeout };
  if (b.filter !== undefined) spec.filter = parseFilter(b.filter);
  return spec;
}

function parseFilter(f: unknown): Record<string, (string | number)[]> {
  if (typeof f !== 'object' || f === null || Array.isArray(f))
    throw new SpecError(
      '\'filter\' must be an object of metric names to values, like {"ifspeed":[1000000000]}',
    );
  const out: Record<string, (string | number)[]> = {};
  for (const [k, v] of Object.entries(f)) {
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x) => typeof x === 'string' || typeof x === 'number'))
      throw new SpecError(`filter '${k}' must list strings or numbers`);
    out[k] = list as (string | number)[];
  }
  return out;
}

/** Whether `place` passes the threshold's filter. String values may use * as a wildcard. */
function passes(filter: ThresholdSpec['filter'], place: Place): boolean {
  if (filter === undefined) return true;
  for (const [name, allowed] of Object.entries(filter)) {
    const v =
      name === 'agent' ? place.agent : name === 'dataSource' ? place.dataSource : place.metrics()?.[name];
    if (v === undefined) return false;
    if (!allowed.some((a) => matches(a, v))) return false;
  }
  return true;
}

function matches(allowed: string | number, v: string | number): boolean {
  if (typeof allowed === 'number') return Number(v) === allowed;
  if (!allowed.includes('*')) return String(v) === allowed;
  const re = new RegExp(`^${allowed.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(String(v));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Thresholds {
  private readonly watching = new Map<string, Watching>();
  /** Thresholds by the metric they watch, for the per-sample check. */
  private byMetric = new Map<string, Watching[]>();
  private floors = new Map<string, number>();

  /** `emit` logs an event, giving it its id. */
  constructor(private readonly emit: (make: (eventID: number) => ThresholdEvent) => void) {}

  set(id: string, body: unknown): ThresholdSpec {
    const spec = parseThreshold(id, body);
    this.watching.set(id, { id, spec, fired: new Map() });
    this.index();
    return spec;
  }

  get(id: string): ThresholdSpec | undefined {
    return this.watching.get(id)?.spec;
  }

  delete(id: string): boolean {
    const had = this.watching.delete(id);
    this.index();
    return had;
  }

  specs(): Record<string, ThresholdSpec> {
    return Object.fromEntries([...this.watching].map(([id, w]) => [id, w.spec]));
  }

  /** Whether any threshold watches `metric` (a cheap test before building a Place). */
  watches(metric: string): boolean {
    return this.byMetric.has(metric);
  }

  /**
   * The lowest threshold on `metric` (Infinity when none): a value at or below it can fire nothing, which the
   * per-sample path tests before anything else.
   */
  floor(metric: string): number {
    return this.floors.get(metric) ?? Number.POSITIVE_INFINITY;
  }

  /**
   * A new value of `metric` at `place`: a flow's value when `flowKey` is given, and `flowId` ("agent dataSource
   * key", which the caller may keep from sample to sample).
   */
  check(metric: string, value: number, place: Place, now: number, flowKey?: string, flowId?: string): void {
    const list = this.byMetric.get(metric);
    if (list === undefined) return;
    for (const w of list) {
      if (value <= w.spec.value) continue;
      const byFlow = w.spec.byFlow && flowKey !== undefined;
      const id = byFlow
        ? (flowId ?? `${place.agent} ${place.dataSource} ${flowKey}`)
        : `${place.agent} ${place.dataSource}`;
      if (w.fired.has(id) || !passes(w.spec.filter, place)) continue;
      w.fired.set(id, {
        at: now,
        agent: place.agent,
        dataSource: place.dataSource,
        flowKey: byFlow ? flowKey : undefined,
      });
      this.emit((eventID) => ({
        eventID,
        thresholdID: w.id,
        metric,
        value,
        threshold: w.spec.value,
        agent: place.agent,
        dataSource: place.dataSource,
        ...(byFlow ? { flowKey } : {}),
        timestamp: now,
      }));
    }
  }

  /**
   * Re-arms what fired at least `timeout` ago and whose value, read now through `current`, is back at or below
   * the threshold.
   */
  rearm(now: number, current: (metric: string, f: Fired) => number | undefined): void {
    for (const w of this.watching.values()) {
      for (const [id, f] of w.fired) {
        if (now - f.at < w.spec.timeout * 1000) continue;
        const v = current(w.spec.metric, f);
        if (v === undefined || v <= w.spec.value) w.fired.delete(id);
      }
    }
  }

  private index(): void {
    const m = new Map<string, Watching[]>();
    for (const w of this.watching.values()) m.set(w.spec.metric, [...(m.get(w.spec.metric) ?? []), w]);
    this.byMetric = m;
    this.floors = new Map(
      [...m].map(([metric, list]) => [metric, Math.min(...list.map((w) => w.spec.value))]),
    );
  }
}
