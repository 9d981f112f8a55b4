/**
 * The last hour of charted values (engine/chart-history.ts), sflowkit's own routes (sFlow-RT keeps no history):
 * what the dashboard draws its charts from. Every answer is columns: `times` (ms since the epoch) and `series`,
 * one array per series with null where it has no point. `minutes` (1 to 60, default 5) sets the window.
 */
import {
  CHARTED_METRICS,
  ChartHistory,
  CLUSTER_AGGREGATES,
  type ClusterAggregate,
} from '../engine/chart-history.js';
import type { Engine } from '../engine/engine.js';
import { ApiError } from './api-errors.js';
import { numberParam, type Routes } from './server.js';

const CHARTED = new Set<string>(CHARTED_METRICS);

function since(query: unknown): number {
  const minutes = numberParam(query, 'minutes', 5, 1);
  if (minutes > 60) throw new ApiError('BAD_PARAMETER', `minutes=${minutes}: the history holds 60 minutes`);
  return Date.now() - minutes * 60_000;
}

function charted(name: string): string {
  if (!CHARTED.has(name))
    throw new ApiError(
      'UNKNOWN_METRIC',
      `'${name}' has no history; the charted metrics are ${CHARTED_METRICS.join(', ')}`,
    );
  return name;
}

export function historyRoutes(routes: Routes, engine: Engine): void {
  const charts = engine.charts;

  routes.add('/history/agent/:agent/:metrics/json', {
    GET: async (req) => {
      const { agent, metrics } = req.params as { agent: string; metrics: string };
      return charts.agent(agent, metrics.split(',').map(charted), since(req.query));
    },
  });

  routes.add('/history/cluster/:metrics/json', {
    GET: async (req) => {
      const { metrics } = req.params as { metrics: string };
      const { set, group } = req.query as { set?: string; group?: string };
      if ((set === undefined) !== (group === undefined))
        throw new ApiError('BAD_PARAMETER', 'set and group go together: ?set=SET&group=GROUP');
      if (set !== undefined && engine.groups.get(set) === undefined)
        throw new ApiError('BAD_PARAMETER', `set=${set}: no such group set (GET /group/json lists them)`);
      const specs = metrics.split(',').map((item) => {
        const [aggregate, name] = item.includes(':') ? item.split(':', 2) : ['avg', item];
        if (!(CLUSTER_AGGREGATES as readonly string[]).includes(aggregate))
          throw new ApiError(
            'BAD_PARAMETER',
            `'${aggregate}:' is not one of ${CLUSTER_AGGREGATES.join(', ')}`,
          );
        return { aggregate: aggregate as ClusterAggregate, name: charted(name) };
      });
      return charts.cluster(specs, ChartHistory.scope(set, group), since(req.query));
    },
  });

  routes.add('/history/analyzer/json', {
    GET: async (req) => charts.analyzer(since(req.query)),
  });

  routes.add('/history/flow/:name/json', {
    GET: async (req) => {
      const { name } = req.params as { name: string };
      if (!engine.flows.has(name)) throw new ApiError('UNKNOWN_FLOW', `no flow definition '${name}'`);
      const top = numberParam(req.query, 'maxFlows', 10, 1);
      return charts.flow(name, since(req.query), Math.min(top, 20));
    },
  });
}
