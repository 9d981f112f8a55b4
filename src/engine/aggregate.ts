/**
 * sFlow-RT's cluster aggregates over one metric's values across agents and data sources: max (the default),
 * min, sum, avg, var, sdev, med, q1, q2, q3, iqr and any. Quartiles are linear interpolations between the
 * order statistics (the common "type 7" definition); var is the population variance.
 */
export const AGGREGATES = [
  'max',
  'min',
  'sum',
  'avg',
  'var',
  'sdev',
  'med',
  'q1',
  'q2',
  'q3',
  'iqr',
  'any',
] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export function isAggregate(s: string): s is Aggregate {
  return (AGGREGATES as readonly string[]).includes(s);
}

/** Whether the aggregate's value is one of the inputs, so that it has an agent and data source. */
export function picksOne(a: Aggregate): boolean {
  return a === 'max' || a === 'min' || a === 'any';
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The aggregate of `values` (at least one). */
export function aggregate(a: Aggregate, values: number[]): number {
  switch (a) {
    case 'max':
      return values.reduce((m, v) => Math.max(v, m), -Infinity);
    case 'min':
      return values.reduce((m, v) => Math.min(v, m), Infinity);
    case 'sum':
      return values.reduce((s, v) => s + v, 0);
    case 'avg':
      return values.reduce((s, v) => s + v, 0) / values.length;
    case 'var':
    case 'sdev': {
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
      return a === 'var' ? variance : Math.sqrt(variance);
    }
    case 'any':
      return values[0];
    default: {
      const sorted = [...values].sort((x, y) => x - y);
      if (a === 'q1') return quantile(sorted, 0.25);
      if (a === 'q3') return quantile(sorted, 0.75);
      if (a === 'iqr') return quantile(sorted, 0.75) - quantile(sorted, 0.25);
      return quantile(sorted, 0.5);
    }
  }
}
