/** /version, /analyzer/json and /agents/json: what the analyzer took in, and from which agents. */
import { agentsView } from '../engine/views.js';
import type { ApiOptions, Routes } from './server.js';

export function statusRoutes(routes: Routes, o: ApiOptions): void {
  const { engine } = o;
  routes.add('/version', {
    GET: async (_req, reply) => reply.type('text/plain').send(o.version),
  });
  routes.add('/analyzer/json', {
    GET: async () => {
      const c = engine.counts;
      const flows = engine.flows.stats();
      const mem = process.memoryUsage();
      return {
        sFlowDatagramsReceived: c.datagrams,
        sFlowBytesReceived: c.bytes,
        sFlowFlowSamples: c.flowSamples,
        sFlowCounterSamples: c.counterSamples,
        sFlowDiscardSamples: c.discardSamples,
        sFlowOtherSamples: c.otherSamples,
        sFlowParseErrors: Object.values(c.decodeErrors).reduce((s, n) => s + n, 0),
        sFlowParseErrorsByCode: c.decodeErrors,
        sFlowDatagramsRefused: engine.agents.refused,
        ...o.collectorCounts?.(),
        agents: engine.agents.list().filter((a) => a.present).length,
        flowDefinitions: Object.keys(engine.flows.specs()).length,
        flowsHeld: flows.held,
        flowsEvicted: flows.evicted,
        thresholds: Object.keys(engine.thresholds.specs()).length,
        uptime: Date.now() - engine.started,
        memRSS: mem.rss,
        memHeapUsed: mem.heapUsed,
      };
    },
  });
  routes.add('/agents/json', {
    GET: async (req) => {
      const wanted = [(req.query as Record<string, string | string[] | undefined>).agent ?? []].flat();
      return agentsView(engine, Date.now(), wanted);
    },
  });
}
