/**
 * One flow definition's table of flows: per agent, data source and flow key, a rate smoothed with time
 * constant t (an exponentially decaying sum: each sample adds amount / t, and the sum decays by e^(−Δt/t), so a
 * steady rate R settles at R). The table is bounded: when it is full, the flows whose smoothed value is in the
 * lower part are evicted, so a flood of new keys costs a bounded table while the heavy hitters, whose values
 * are far above the flood's, stay in it and stay exact.
 *
 * Values other than sums (flow-values.ts) are kept as their kind asks: avg: as a smoothed sum over a smoothed
 * count of samples, min: and max: as the extreme of the last t seconds, count: as the distinct values seen in
 * the last t seconds.
 */
import type { ValueKind } from './flow-values.js';

export interface FlowEntry {
  /** The flow key: the key values joined by the definition's separator. */
  key: string;
  agent: string;
  dataSource: string;
  /** The smoothed value at `updated`; read it through `valueAt`. */
  value: number;
  updated: number;
  /** When the flow was first seen (and, for logged flows, since when this record runs). */
  start: number;
  /** The unsmoothed total since `start`, for completed-flow records. */
  total: number;
  /** The number of samples behind `total`. */
  count: number;
  /** avg: the smoothed number of samples. */
  weight: number;
  /** min: and max: the samples that can still be the extreme of the window: times ascending, values monotone. */
  window: { times: number[]; values: number[] } | undefined;
  /** count: each distinct value, and when it was last seen, the oldest sighting first. */
  distinct: Map<string, number> | undefined;
  /** "agent dataSource key", made when a threshold first needs it. */
  id?: string;
}

/** The most distinct values a count: flow remembers. */
const MAX_DISTINCT = 100_000;

/** The share of the table kept when it is full: the rest, the smallest, is evicted at once. */
const KEEP = 0.75;

export class FlowTable {
  /** Flows by data source ("agent dataSource"), then flow key: one short key per lookup, no concatenation. */
  private readonly sources = new Map<string, Map<string, FlowEntry>>();
  private count = 0;
  /** Flows evicted to keep the bound. */
  evicted = 0;

  constructor(
    /** The smoothing time constant, in milliseconds. */
    private readonly tMs: number,
    /** The most flows kept. */
    private readonly capacity: number,
    private readonly kind: ValueKind = 'sum',
    /** Called with each flow that leaves the table (evicted, idle or timed out). */
    private readonly onRemove: ((e: FlowEntry, now: number) => void) | undefined,
  ) {}

  get size(): number {
    return this.count;
  }

  /**
   * The value of `e` at `now`: a sum decays; an average holds until its last sample leaves the window; min:
   * and max: are the extreme of the samples in the window; count: the distinct values seen in it.
   */
  valueAt(e: FlowEntry, now: number): number {
    if (now <= e.updated && this.kind !== 'min' && this.kind !== 'max' && this.kind !== 'count')
      return e.value;
    const since = now - this.tMs;
    switch (this.kind) {
      case 'sum':
        return e.value * Math.exp((e.updated - now) / this.tMs);
      case 'avg':
        return e.updated < since ? 0 : e.value;
      case 'min':
      case 'max': {
        const w = e.window;
        if (w === undefined) return 0;
        for (let i = 0; i < w.times.length; i++) if (w.times[i] >= since) return w.values[i];
        return 0;
      }
      case 'count': {
        if (e.distinct === undefined) return 0;
        let gone = 0;
        for (const at of e.distinct.values()) {
          if (at >= since) break;
          gone++;
        }
        return e.distinct.size - gone;
      }
    }
  }

  /** The flow `add` made last (undefined when it found the flow there), for flowStart records. */
  created: FlowEntry | undefined;

  /**
   * Adds one sample's `amount` (already scaled) to the flow, creating it; for count: values, `distinct` is the
   * sample's value of the counted key; `source` is sourceId(agent, dataSource). Returns the flow.
   */
  add(
    source: string,
    agent: string,
    dataSource: string,
    key: string,
    amount: number,
    now: number,
    distinct?: string,
  ): FlowEntry {
    let flows = this.sources.get(source);
    if (flows === undefined) {
      flows = new Map();
      this.sources.set(source, flows);
    }
    let e = flows.get(key);
    this.created = undefined;
    if (e === undefined) {
      if (this.count >= this.capacity) {
        this.evict(now);
        // Eviction may have emptied and dropped this data source's map.
        if (!this.sources.has(source)) this.sources.set(source, flows);
      }
      e = {
        key,
        agent,
        dataSource,
        value: 0,
        updated: now,
        start: now,
        total: 0,
        count: 0,
        weight: 0,
        window: undefined,
        distinct: undefined,
      };
      flows.set(key, e);
      this.count++;
      this.created = e;
    }
    this.update(e, amount, now, distinct);
    e.updated = now;
    e.total += amount;
    e.count++;
    return e;
  }

  private update(e: FlowEntry, amount: number, now: number, distinct: string | undefined): void {
    const decay = now <= e.updated ? 1 : Math.exp((e.updated - now) / this.tMs);
    switch (this.kind) {
      case 'sum':
        e.value = e.value * decay + (amount * 1000) / this.tMs;
        return;
      case 'avg': {
        // value = Σ/n with both decayed alike: the mean of the recent samples.
        const sum = e.value * e.weight * decay + amount;
        e.weight = e.weight * decay + 1;
        e.value = sum / e.weight;
        return;
      }
      case 'min':
      case 'max': {
        // A monotone queue: a sample outdone by a newer one can never be the window's extreme again.
        e.window ??= { times: [], values: [] };
        const { times, values } = e.window;
        const max = this.kind === 'max';
        while (
          values.length > 0 &&
          (max ? values[values.length - 1] <= amount : values[values.length - 1] >= amount)
        ) {
          values.pop();
          times.pop();
        }
        values.push(amount);
        times.push(now);
        let old = 0;
        while (old < times.length && times[old] < now - this.tMs) old++;
        if (old > 0) {
          times.splice(0, old);
          values.splice(0, old);
        }
        e.value = values[0];
        return;
      }
      case 'count': {
        if (distinct === undefined) return;
        e.distinct ??= new Map();
        e.distinct.delete(distinct);
        e.distinct.set(distinct, now);
        // Oldest first (re-inserted on each sighting): drop what left the window, and past the bound.
        for (const [v, at] of e.distinct) {
          if (now - at <= this.tMs && e.distinct.size <= MAX_DISTINCT) break;
          e.distinct.delete(v);
        }
        e.value = e.distinct.size;
      }
    }
  }

  get(agent: string, dataSource: string, key: string): FlowEntry | undefined {
    return this.sources.get(sourceId(agent, dataSource))?.get(key);
  }

  /** The flows of one agent and data source. */
  at(agent: string, dataSource: string): IterableIterator<FlowEntry> {
    return (this.sources.get(sourceId(agent, dataSource)) ?? new Map<string, FlowEntry>()).values();
  }

  /** Every flow; values through `valueAt`. */
  *entries(): Generator<FlowEntry> {
    for (const flows of this.sources.values()) yield* flows.values();
  }

  /** Removes the flows `drop` picks, telling `onRemove`. */
  private remove(drop: (e: FlowEntry) => boolean, now: number, evicting: boolean): void {
    for (const [source, flows] of this.sources) {
      for (const [key, e] of flows) {
        if (!drop(e)) continue;
        flows.delete(key);
        this.count--;
        if (evicting) this.evicted++;
        this.onRemove?.(e, now);
      }
      if (flows.size === 0) this.sources.delete(source);
    }
  }

  /**
   * Drops the flows idle for `idleMs` (their value has decayed to nothing that matters), and hands over the
   * ones running longer than `activeMs` as records, starting them again (activeTimeout).
   */
  expire(now: number, idleMs: number, activeMs?: number): void {
    this.remove((e) => now - e.updated > idleMs, now, false);
    if (activeMs === undefined) return;
    for (const e of this.entries()) {
      if (now - e.start < activeMs) continue;
      this.onRemove?.({ ...e }, now);
      e.start = now;
      e.total = 0;
      e.count = 0;
    }
  }

  /** Keeps the largest KEEP share of the table by smoothed value at `now`. */
  private evict(now: number): void {
    const values = new Float64Array(this.count);
    let i = 0;
    for (const e of this.entries()) values[i++] = this.valueAt(e, now);
    // The value below which flows go: the (1 − KEEP) quantile; ties at it go too, so the table always shrinks.
    const cut = nthSmallest(values, Math.floor(values.length * (1 - KEEP)));
    this.remove((e) => this.valueAt(e, now) <= cut, now, true);
  }

  clear(): void {
    this.sources.clear();
    this.count = 0;
  }
}

/** The n-th smallest of `a` (0-based), reordering `a`: Hoare's selection, linear on average. */
export function nthSmallest(a: Float64Array, n: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (n <= j) hi = j;
    else if (n >= i) lo = i;
    else return a[n];
  }
  return a[n];
}

/** The key of a data source in the table: agent and data source. */
export function sourceId(agent: string, dataSource: string): string {
  return `${agent} ${dataSource}`;
}
