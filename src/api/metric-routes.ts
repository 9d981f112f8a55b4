/**
 * Metrics over REST, in sFlow-RT's shapes: the names seen (/metrics/json), one agent's metrics, a metric list
 * with aggregates across agents (/metric), every value (/dump), a table by data source (/table), and the
 * Prometheus exposition of them all (sFlow-RT's /prometheus/metrics/{agent}/{metric}/txt, and /metrics), named
 * as sFlow-RT names them: sflow_ before the metric name, labels agent and datasource (src/api/prometheus.ts).
 */
import type { Engine } from '../engine/engine.js';
import { metricPoints, parseMetricList, queryMetric } from '../engine/metric-query.js';
import { SpecError } from '../engine/spec-error.js';
import { dumpView } from '../engine/views.js';
import { ApiError } from './api-errors.js';
import { PROMETHEUS_CONTENT_TYPE, prometheusText, SFLOW_RT_PREFIX } from './prometheus.js';
import { agentSet, type Routes } from './server.js';

interface Params {
  agent: string;
  metric: string;
}

export function metricRoutes(routes: Routes, engine: Engine): void {
  /** The metric names of a path ("ALL": every one), each known; an unknown one is a 404 naming it. */
  const names = (text: string): string[] | undefined => {
    if (text === 'ALL') return undefined;
    const list = specList(text).map((s) => s.name);
    for (const n of list) known(n);
    return list;
  };
  const known = (name: string) => {
    if (!engine.metrics.names().has(name) && !engine.flows.has(name))
      throw new ApiError(
        'UNKNOWN_METRIC',
        `no agent has reported metric '${name}', and no flow is called so`,
      );
  };

  routes.add('/metrics/json', {
    GET: async () => {
      const now = Date.now();
      const out: Record<string, number> = {};
      for (const [name, at] of engine.metrics.names()) out[name] = now - at;
      for (const m of engine.flows.metrics(now))
        out[m.name] = Math.min(out[m.name] ?? Infinity, now - m.updated);
      return out;
    },
  });
  routes.add('/metric/:agent/json', {
    GET: async (req) => {
      const { agent } = req.params as Params;
      const agents = agentSet(agent);
      const heard = new Set(engine.agents.list().map((a) => a.address));
      for (const a of agents ?? [])
        if (!heard.has(a)) throw new ApiError('UNKNOWN_AGENT', `no agent ${a} has been heard from`);
      const out: Record<string, number | string> = {};
      for (const p of metricPoints(engine, undefined, agents, Date.now()))
        out[`${p.dataSource}.${p.name}`] = p.value;
      return out;
    },
  });
  routes.add('/metric/:agent/:metric/json', {
    GET: async (req) => {
      const { agent, metric } = req.params as Params;
      const specs = specList(metric);
      for (const s of specs) known(s.name);
      return queryMetric(engine, agentSet(agent), specs, Date.now());
    },
  });
  routes.add('/dump/:agent/:metric/json', {
    GET: async (req) => {
      const { agent, metric } = req.params as Params;
      return dumpView(engine, agentSet(agent), names(metric), Date.now());
    },
  });
  routes.add('/table/:agent/:metric/json', {
    GET: async (req) => {
      const { agent, metric } = req.params as Params;
      const list = names(metric);
      if (list === undefined)
        throw new ApiError('BAD_PARAMETER', '/table needs a list of metric names, not ALL');
      const agents = agentSet(agent);
      const now = Date.now();
      const rows = new Map<string, Map<string, unknown>>();
      for (const name of list)
        for (const p of metricPoints(engine, name, agents, now)) {
          const id = `${p.agent} ${p.dataSource}`;
          if (!rows.has(id)) rows.set(id, new Map());
          rows.get(id)?.set(name, {
            agent: p.agent,
            dataSource: p.dataSource,
            metricName: name,
            metricValue: p.value,
            lastUpdate: now - p.updated,
          });
        }
      // A row is a data source that has every metric asked for, in the order asked.
      return [...rows.values()].filter((r) => r.size === list.length).map((r) => list.map((n) => r.get(n)));
    },
  });
  const prometheus = (agent: string, metric: string) => {
    const agents = agentSet(agent);
    const now = Date.now();
    const wanted = names(metric);
    const series = (wanted ?? [undefined]).flatMap((name) =>
      [...metricPoints(engine, name, agents, now)]
        .filter((p) => typeof p.value === 'number')
        .map((p) => ({
          name: SFLOW_RT_PREFIX + p.name,
          type: 'gauge' as const,
          labels: { agent: p.agent, datasource: p.dataSource },
          value: p.value as number,
        })),
    );
    return prometheusText(series);
  };
  routes.add('/prometheus/metrics/:agent/:metric/txt', {
    GET: async (req, reply) => {
      const { agent, metric } = req.params as Params;
      return reply.type(PROMETHEUS_CONTENT_TYPE).send(prometheus(agent, metric));
    },
  });
  routes.add('/metrics', {
    GET: async (_req, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(prometheus('ALL', 'ALL')),
  });
}

function specList(text: string) {
  try {
    return parseMetricList(text);
  } catch (e) {
    if (e instanceof SpecError) throw new ApiError('BAD_PARAMETER', e.message);
    throw e;
  }
}
