/**
 * The last hour of what the dashboard charts, bounded in memory: a ring of points per series, at most one point
 * a second (a later point in the same second replaces the earlier), and no point older than the span. Series
 * that have had no point for a whole span are dropped by sweep(), and past `maxSeries` the series written to
 * longest ago gives way to a new one.
 */

/** One series over a window: times (ms since the epoch) and values, oldest first. */
export interface SeriesWindow {
  times: number[];
  values: number[];
}

const INITIAL_CAPACITY = 16;

export class Series {
  private times: Float64Array;
  private values: Float64Array;
  /** Index of the oldest point, and how many points are held. */
  private head = 0;
  private size = 0;

  constructor(private readonly maxPoints: number) {
    const n = Math.min(INITIAL_CAPACITY, maxPoints);
    this.times = new Float64Array(n);
    this.values = new Float64Array(n);
  }

  get length(): number {
    return this.size;
  }

  /** The time of the newest point, or -Infinity. */
  get last(): number {
    return this.size === 0 ? Number.NEGATIVE_INFINITY : this.times[this.at(this.size - 1)];
  }

  /** Adds a point at `time`, which should not be before the newest: time goes one way. */
  push(time: number, value: number, resolutionMs: number): void {
    if (this.size > 0 && Math.floor(time / resolutionMs) <= Math.floor(this.last / resolutionMs)) {
      const i = this.at(this.size - 1);
      this.times[i] = time;
      this.values[i] = value;
      return;
    }
    if (this.size === this.times.length) {
      if (this.size < this.maxPoints) this.grow();
      else {
        this.head = (this.head + 1) % this.times.length;
        this.size--;
      }
    }
    const i = this.at(this.size);
    this.times[i] = time;
    this.values[i] = value;
    this.size++;
  }

  /** The points at or after `since`. */
  since(since: number): SeriesWindow {
    const out: SeriesWindow = { times: [], values: [] };
    for (let k = 0; k < this.size; k++) {
      const i = this.at(k);
      if (this.times[i] < since) continue;
      out.times.push(this.times[i]);
      out.values.push(this.values[i]);
    }
    return out;
  }

  private at(k: number): number {
    return (this.head + k) % this.times.length;
  }

  private grow(): void {
    const n = Math.min(this.maxPoints, this.times.length * 2);
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    for (let k = 0; k < this.size; k++) {
      times[k] = this.times[this.at(k)];
      values[k] = this.values[this.at(k)];
    }
    this.times = times;
    this.values = values;
    this.head = 0;
  }
}

export interface HistoryOptions {
  /** How far back series go (one hour). */
  spanMs?: number;
  /** The finest spacing of points (one second). */
  resolutionMs?: number;
  /** The most series held (100,000: 1,000 agents with their host metrics, and room to spare). */
  maxSeries?: number;
}

export class History {
  readonly spanMs: number;
  readonly resolutionMs: number;
  private readonly maxSeries: number;
  /** Insertion order is the order of first write; a write moves a series to the end (least recent first). */
  private readonly series = new Map<string, Series>();

  constructor(options: HistoryOptions = {}) {
    this.spanMs = options.spanMs ?? 3_600_000;
    this.resolutionMs = options.resolutionMs ?? 1000;
    this.maxSeries = options.maxSeries ?? 100_000;
  }

  record(id: string, time: number, value: number): void {
    let s = this.series.get(id);
    if (s === undefined) {
      if (this.series.size >= this.maxSeries) {
        const oldest = this.series.keys().next().value;
        if (oldest !== undefined) this.series.delete(oldest);
      }
      s = new Series(Math.ceil(this.spanMs / this.resolutionMs) + 1);
    } else this.series.delete(id);
    this.series.set(id, s);
    s.push(time, value, this.resolutionMs);
  }

  /** The points of series `id` at or after `since` (none when there is no such series). */
  window(id: string, since: number): SeriesWindow {
    return this.series.get(id)?.since(since) ?? { times: [], values: [] };
  }

  has(id: string): boolean {
    return this.series.has(id);
  }

  /** Drops series with no point in the span before `now`. */
  sweep(now: number): void {
    for (const [id, s] of this.series) if (s.last < now - this.spanMs) this.series.delete(id);
  }

  get size(): number {
    return this.series.size;
  }
}
