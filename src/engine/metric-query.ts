/**
 * Metric queries as sFlow-RT answers them: a list of metric names, each with an optional aggregate prefix
 * (max: by default), over a set of agents. A flow definition's name is a metric too: at each agent and data
 * source, its largest flow's value, with its top flows as topKeys.
 */
import { type Aggregate, aggregate, isAggregate, picksOne } from './aggregate.js';
import type { Engine } from './engine.js';
import type { MetricPoint } from './metric-store.js';
import { SpecError } from './spec-error.js';

export interface MetricSpec {
  aggregate: Aggregate;
  name: string;
}

interface Point extends MetricPoint {
  topKeys?: { key: string; value: number; lastUpdate: number }[];
}

/** One answer of /metric/{agent}/{metric}/json. */
export interface MetricResult {
  metricName: string;
  metricN: number;
  agent?: string;
  dataSource?: string;
  metricValue?: number | string;
  lastUpdate?: number;
  lastUpdateMax?: number;
  lastUpdateMin?: number;
  topKeys?: { key: string; value: number; lastUpdate: number }[];
}

const METRIC_NAME = /^[A-Za-z0-9_.-]+$/;

/** "max:load_one,load_five" → specs; throws SpecError naming a bad prefix or name. */
export function parseMetricList(text: string): MetricSpec[] {
  return text.split(',').map((item) => {
    const colon = item.indexOf(':');
    const prefix = colon < 0 ? 'max' : item.slice(0, colon);
    const name = colon < 0 ? item : item.slice(colon + 1);
    if (!isAggregate(prefix))
      throw new SpecError(
        `'${prefix}:' is not an aggregate (max, min, sum, avg, var, sdev, med, q1, q2, q3, iqr, any)`,
      );
    if (!METRIC_NAME.test(name)) throw new SpecError(`'${name}' is not a metric name`);
    return { aggregate: prefix, name };
  });
}

/** Every value of metric `name` (counter metrics and flow definitions) over `agents` (all when undefined). */
export function* metricPoints(
  engine: Engine,
  name: string | undefined,
  agents: ReadonlySet<string> | undefined,
  now: number,
): Generator<Point> {
  yield* engine.metrics.points(name, agents);
  if (name !== undefined && !engine.flows.has(name)) return;
  for (const m of engine.flows.metrics(now)) {
    if ((name !== undefined && m.name !== name) || (agents !== undefined && !agents.has(m.agent))) continue;
    yield {
      agent: m.agent,
      dataSource: m.dataSource,
      name: m.name,
      value: m.value,
      updated: m.updated,
      topKeys: m.top,
    };
  }
}

export function queryMetric(
  engine: Engine,
  agents: ReadonlySet<string> | undefined,
  specs: MetricSpec[],
  now: number,
): MetricResult[] {
  return specs.map((spec) => {
    const points = [...metricPoints(engine, spec.name, agents, now)];
    const numeric = points.filter((p) => typeof p.value === 'number');
    const used = numeric.length > 0 ? numeric : picksOne(spec.aggregate) ? points : [];
    const result: MetricResult = { metricName: spec.name, metricN: used.length };
    if (used.length === 0) return result;
    const ages = used.map((p) => now - p.updated);
    result.lastUpdateMax = Math.max(...ages);
    result.lastUpdateMin = Math.min(...ages);
    if (picksOne(spec.aggregate)) {
      const chosen = pick(spec.aggregate, used);
      Object.assign(result, {
        agent: chosen.agent,
        dataSource: chosen.dataSource,
        metricValue: chosen.value,
        lastUpdate: now - chosen.updated,
        ...(chosen.topKeys ? { topKeys: chosen.topKeys } : {}),
      });
    } else {
      result.metricValue = aggregate(
        spec.aggregate,
        used.map((p) => p.value as number),
      );
      result.lastUpdate = result.lastUpdateMin;
    }
    return result;
  });
}

function pick(a: Aggregate, points: Point[]): Point {
  if (a === 'any') return points[0];
  const sign = a === 'max' ? 1 : -1;
  return points.reduce((best, p) => (compare(p.value, best.value) * sign > 0 ? p : best));
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
