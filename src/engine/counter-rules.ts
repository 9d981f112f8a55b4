/**
 * How a counter record becomes metrics: a table of rules, one per metric, each naming the record field it
 * reads and how to read it (a gauge as it is, a counter as a rate per second, a millisecond counter as the
 * percent of the interval it covers, ...), plus a `derive` step for metrics made of several fields. The tables
 * live in host-metrics.ts, app-metrics.ts and switch-metrics.ts; docs/metrics.md lists the same names, and
 * counter-metrics.test.ts holds the two together.
 */
import { delta32, delta64 } from './counter-delta.js';
import type { Metrics } from './interface-metrics.js';

/**
 * - gauge: the value as it is (64-bit values as numbers).
 * - known: a gauge whose negative values mean unknown (hsflowd sends -1): left out when negative.
 * - hundredths: hundredths of a percent, as a percent; -1 (unknown) left out.
 * - counter: a monotonic counter, as its change per second between two polls.
 * - time: a counter of milliseconds, as the percent of the interval it covers (100 = one CPU, or one
 *   thread, busy throughout).
 * - text: a string metric.
 */
export type Kind = 'gauge' | 'known' | 'hundredths' | 'counter' | 'time' | 'text';

export type Rule<V> = readonly [metric: string, field: keyof V & string, kind: Kind];

export interface RecordMetrics<V> {
  readonly rules: readonly Rule<V>[];
  /** Metrics made of several fields or metrics; runs after the rules, on the metrics they gave. */
  readonly derive?: (m: Metrics, now: V, before: V | undefined, seconds: number | undefined) => void;
  /** The names `derive` can give, for docs/metrics.md and its check. */
  readonly derived?: readonly string[];
  /**
   * Prefix for every name when the sample's data source is a virtual machine or other logical entity (type
   * 3): sFlow-RT reports a VM's host_descr as vir_host_name and so on.
   */
  readonly virtualPrefix?: string;
}

/** The change of a 32-bit (number) or 64-bit (bigint) counter; undefined when absent or reset. */
export function change(before: unknown, now: unknown): number | undefined {
  if (typeof before === 'bigint' && typeof now === 'bigint') return delta64(before, now);
  if (typeof before === 'number' && typeof now === 'number') return delta32(before, now);
  return undefined;
}

/** Whether there is an interval to take rates over. */
export function hasInterval<V>(before: V | undefined, seconds: number | undefined): seconds is number {
  return before !== undefined && seconds !== undefined && seconds > 0;
}

/** `part` as a percent of `whole`; undefined when either is missing or `whole` is not positive. */
export function percent(part: number | undefined, whole: number | undefined): number | undefined {
  return part === undefined || whole === undefined || !(whole > 0) ? undefined : (100 * part) / whole;
}

/** A numeric metric already set, or undefined. */
export function num(m: Metrics, name: string): number | undefined {
  const v = m[name];
  return typeof v === 'number' ? v : undefined;
}

/** Sets `name` when `value` is a finite number. */
export function put(m: Metrics, name: string, value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value)) m[name] = value;
}

/** The metrics of one record value by its table; rates from `before`, taken `seconds` earlier. */
export function applyRules<V>(
  spec: RecordMetrics<V>,
  now: V,
  before: V | undefined,
  seconds: number | undefined,
): Metrics {
  const m: Metrics = {};
  const interval = hasInterval(before, seconds);
  for (const [name, field, kind] of spec.rules) {
    const v = now[field];
    if (v === undefined) continue; // an optional trailing field the agent left out
    switch (kind) {
      case 'text':
        m[name] = String(v);
        break;
      case 'gauge':
        put(m, name, Number(v));
        break;
      case 'known':
        if (Number(v) >= 0) put(m, name, Number(v));
        break;
      case 'hundredths': {
        // The spec's percentage is a signed int; the processor codec reads it unsigned, so -1 is 2^32 - 1.
        const n = typeof v === 'number' ? v | 0 : Number(v);
        if (n >= 0) put(m, name, n / 100);
        break;
      }
      case 'counter':
      case 'time': {
        if (!interval) break;
        const d = change((before as V)[field], v);
        if (d === undefined) break;
        // Milliseconds over the interval's milliseconds, in percent: written so because it gives, to the
        // last bit, the values of an sFlow-RT dump (counter-tables.test.ts).
        put(m, name, kind === 'counter' ? d / seconds : (d / (seconds * 1000)) * 100);
        break;
      }
    }
  }
  spec.derive?.(m, now, before, seconds);
  return m;
}

/** Every name a table can give, prefixed variants included. */
export function namesOf(spec: RecordMetrics<never>): string[] {
  const names = [...spec.rules.map(([name]) => name), ...(spec.derived ?? [])];
  const prefix = spec.virtualPrefix;
  return prefix ? [...names, ...names.map((n) => prefix + n)] : names;
}
