/**
 * The engine's state in sFlow-RT's JSON shapes, shared by the REST API and the controller apps' API (which
 * sFlow-RT gives the same answers): the agents, and every value of some metrics.
 */
import type { Engine } from './engine.js';
import { metricPoints } from './metric-query.js';

/** GET /agents/json, and the apps' agents(): each agent heard from, `wanted` only when given. */
export function agentsView(
  engine: Engine,
  now: number,
  wanted: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of engine.agents.list()) {
    if (wanted.length > 0 && !wanted.includes(a.address)) continue;
    out[a.address] = {
      present: a.present,
      firstSeen: now - a.firstSeen,
      lastSeen: now - a.lastSeen,
      sFlowDatagramsReceived: a.datagrams,
      sFlowSamples: a.samples,
      sFlowDatagramsLost: a.lost,
      sFlowAgentRestarts: a.restarts,
      sFlowParseErrors: a.decodeErrors,
      ...(a.pollingMs !== undefined ? { pollingInterval: a.pollingMs / 1000 } : {}),
      dataSources: engine.metrics.dataSources(a.address),
    };
  }
  return out;
}

/** GET /dump/{agent}/{metric}/json, and the apps' dump(): every value of `names` (undefined: of every metric). */
export function dumpView(
  engine: Engine,
  agents: ReadonlySet<string> | undefined,
  names: readonly string[] | undefined,
  now: number,
): unknown[] {
  return (names ?? [undefined]).flatMap((name) =>
    [...metricPoints(engine, name, agents, now)].map((p) => ({
      agent: p.agent,
      dataSource: p.dataSource,
      metricName: p.name,
      metricValue: p.value,
      lastUpdate: now - p.updated,
      ...(p.topKeys ? { topKeys: p.topKeys } : {}),
    })),
  );
}
