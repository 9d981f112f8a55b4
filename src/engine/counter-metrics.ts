/**
 * All metrics of one counter sample, with sFlow-RT's names: each record by its table (host-metrics.ts,
 * app-metrics.ts, switch-metrics.ts; if_counters by interface-metrics.ts), its rates taken against the same
 * record in the data source's previous sample. Records with no table, unknown or invalid, give nothing.
 */
import type { CountersSample, KnownCounterRecord } from '../sflow/model.js';
import type { CounterRecordName, CounterRecordValue } from '../sflow/registry.js';
import { APP_METRICS } from './app-metrics.js';
import { applyRules, namesOf, type RecordMetrics } from './counter-rules.js';
import { HOST_METRICS } from './host-metrics.js';
import { type IfCounters, interfaceMetrics, type Metrics } from './interface-metrics.js';
import { SWITCH_METRICS } from './switch-metrics.js';

export type { Metrics } from './interface-metrics.js';

type MetricTable = { readonly [N in CounterRecordName]?: RecordMetrics<CounterRecordValue<N>> };

/** Every record type with metrics, by registry name. */
export const COUNTER_METRICS: MetricTable = { ...HOST_METRICS, ...APP_METRICS, ...SWITCH_METRICS };

/** sFlowDataSource type 3: a virtual machine or other logical entity (sflow_host.txt). */
const LOGICAL_ENTITY = 3;

/**
 * All metrics of `now` (one data source's counter sample), with rates from `before`, the same data source's
 * previous sample taken `seconds` earlier (absent on the first poll: gauges only).
 */
export function counterMetrics(
  now: CountersSample,
  before: CountersSample | undefined,
  seconds: number | undefined,
): Metrics {
  const m: Metrics = {};
  for (const r of now.records) {
    if (r.name === 'unknown' || r.name === 'invalid') continue;
    const prev = before?.records.find((p): p is KnownCounterRecord => p.name === r.name)?.value;
    if (r.name === 'if_counters') {
      Object.assign(m, interfaceMetrics(r.value, prev as IfCounters | undefined, seconds));
      continue;
    }
    // The table and the value are of the same record name; TypeScript cannot pair them through the union.
    const spec = COUNTER_METRICS[r.name] as RecordMetrics<unknown> | undefined;
    if (!spec) continue;
    const part = applyRules(spec, r.value, prev, seconds);
    const prefix = now.sourceIdType === LOGICAL_ENTITY ? (spec.virtualPrefix ?? '') : '';
    for (const [name, value] of Object.entries(part)) m[prefix + name] = value;
  }
  return m;
}

/** Every metric name the tables can give (if_counters' aside), for docs/metrics.md and its check. */
export function counterMetricNames(): string[] {
  return Object.values(COUNTER_METRICS).flatMap((spec) => namesOf(spec as RecordMetrics<never>));
}
