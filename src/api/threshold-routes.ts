/**
 * Thresholds, events and address groups over REST, in sFlow-RT's shapes: the thresholds (GET, PUT, DELETE),
 * the events after a given id (a long poll), and the groups that group: keys look addresses up in.
 */
import type { Engine } from '../engine/engine.js';
import { ApiError } from './api-errors.js';
import { clientGone, numberParam, type Routes } from './server.js';

export function thresholdRoutes(routes: Routes, engine: Engine, changed: () => void): void {
  const { thresholds } = engine;
  routes.add('/threshold/json', { GET: async () => thresholds.specs() });
  const put = async (req: { params: unknown; body: unknown }) => {
    const spec = thresholds.set((req.params as { name: string }).name, req.body);
    changed();
    return spec;
  };
  routes.add('/threshold/:name/json', {
    GET: async (req) => {
      const { name } = req.params as { name: string };
      const spec = thresholds.get(name);
      if (spec === undefined) throw new ApiError('UNKNOWN_THRESHOLD', `no threshold '${name}'`);
      return spec;
    },
    PUT: put,
    POST: put,
    DELETE: async (req) => {
      const { name } = req.params as { name: string };
      if (!thresholds.delete(name)) throw new ApiError('UNKNOWN_THRESHOLD', `no threshold '${name}'`);
      changed();
      return {};
    },
  });
  routes.add('/events/json', {
    GET: async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const after = numberParam(q, 'eventID', -1, -1);
      const max = numberParam(q, 'maxEvents', 100, 1);
      const timeout = numberParam(q, 'timeout', 0);
      return engine.events.wait(after, max, Math.min(timeout, 300) * 1000, clientGone(reply));
    },
  });
  const putGroups = async (req: { body: unknown }) => {
    engine.groups.replace(req.body);
    changed();
    return engine.groups.all();
  };
  routes.add('/group/json', { GET: async () => engine.groups.all(), PUT: putGroups, POST: putGroups });
}
