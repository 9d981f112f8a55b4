/**
 * Flows over REST, in sFlow-RT's shapes: the keys seen, the definitions (GET, PUT, DELETE), the active flows
 * of a definition at some agents, and the completed flows of logged definitions (a long poll).
 */
import type { Engine } from '../engine/engine.js';
import { ApiError } from './api-errors.js';
import { agentSet, clientGone, numberParam, type Routes } from './server.js';

export function flowRoutes(routes: Routes, engine: Engine, changed: () => void): void {
  const { flows } = engine;
  routes.add('/flowkeys/json', {
    GET: async () => {
      const now = Date.now();
      return Object.fromEntries(
        [...flows.keys()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, at]) => [k, now - at]),
      );
    },
  });
  routes.add('/flow/json', { GET: async () => flows.specs() });
  const put = async (req: { params: unknown; body: unknown }) => {
    const spec = flows.set((req.params as { name: string }).name, req.body);
    changed();
    return spec;
  };
  routes.add('/flow/:name/json', {
    GET: async (req) => {
      const { name } = req.params as { name: string };
      const spec = flows.get(name);
      if (spec === undefined) throw new ApiError('UNKNOWN_FLOW', `no flow '${name}'`);
      return spec;
    },
    PUT: put,
    POST: put,
    DELETE: async (req) => {
      const { name } = req.params as { name: string };
      if (!flows.delete(name)) throw new ApiError('UNKNOWN_FLOW', `no flow '${name}'`);
      changed();
      return {};
    },
  });
  routes.add('/activeflows/:agent/:name/json', {
    GET: async (req) => {
      const { agent, name } = req.params as { agent: string; name: string };
      const q = req.query as Record<string, string | undefined>;
      const aggMode = q.aggMode ?? 'max';
      if (aggMode !== 'max' && aggMode !== 'sum')
        throw new ApiError('BAD_PARAMETER', `aggMode=${aggMode}: expected max or sum`);
      const list = flows.active(
        name,
        {
          agents: agentSet(agent),
          maxFlows: numberParam(q, 'maxFlows', 100, 1),
          minValue: numberParam(q, 'minValue', 0),
          aggMode,
        },
        Date.now(),
      );
      if (list === undefined) throw new ApiError('UNKNOWN_FLOW', `no flow '${name}'`);
      return list;
    },
  });
  routes.add('/flows/json', {
    GET: async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const after = numberParam(q, 'flowID', -1, -1);
      const max = numberParam(q, 'maxFlows', 100, 1);
      const timeout = numberParam(q, 'timeout', 0);
      const name = q.name;
      const list = await flows.completed.wait(after, max, Math.min(timeout, 300) * 1000, clientGone(reply));
      return name === undefined ? list : list.filter((f) => f.name === name);
    },
  });
}
