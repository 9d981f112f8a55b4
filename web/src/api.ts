/**
 * The REST API from the page: the same routes any sFlow-RT client uses, plus sflowkit's /history. Errors carry
 * the API's message ({"error","message"}), which views show as they are.
 */

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    const message =
      (parsed as { message?: string } | undefined)?.message ?? `${res.status} ${res.statusText}`;
    throw new ApiFailure(res.status, message);
  }
  return parsed as T;
}

export const getJson = <T>(path: string) => request<T>('GET', path);
export const putJson = (path: string, body: unknown) => request<unknown>('PUT', path, body);
export const deleteJson = (path: string) => request<unknown>('DELETE', path);

/** Columns from /history/…: times in ms, and one array per series. */
export interface Columns {
  times: number[];
  series: Record<string, (number | null)[]>;
}

export interface AgentInfo {
  present: boolean;
  firstSeen: number;
  lastSeen: number;
  sFlowDatagramsReceived: number;
  sFlowSamples: number;
  sFlowDatagramsLost: number;
  sFlowAgentRestarts: number;
  sFlowParseErrors: Record<string, number>;
  pollingInterval?: number;
  dataSources: string[];
}

export interface ActiveFlow {
  key: string;
  value: number;
  agent: string;
  dataSource: string;
}

export interface DumpEntry {
  agent: string;
  dataSource: string;
  metricName: string;
  metricValue: number | string;
  lastUpdate: number;
}

export interface EngineEvent {
  eventID: number;
  thresholdID: string;
  metric: string;
  agent: string;
  dataSource: string;
  timestamp: number;
  value?: number;
  threshold?: number;
  flowKey?: string;
  message?: string;
}

/** Every value of some metrics, one entry per agent and data source; none while no agent has reported them. */
export async function dump(metrics: readonly string[], agent = 'ALL'): Promise<DumpEntry[]> {
  try {
    return await getJson<DumpEntry[]>(`/dump/${encodeURIComponent(agent)}/${metrics.join(',')}/json`);
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 404) return [];
    throw e;
  }
}

export const activeFlows = (name: string, maxFlows = 20, agent = 'ALL') =>
  getJson<ActiveFlow[]>(
    `/activeflows/${encodeURIComponent(agent)}/${encodeURIComponent(name)}/json?maxFlows=${maxFlows}`,
  );

export const flowHistory = (name: string, minutes: number, maxFlows = 10) =>
  getJson<Columns>(`/history/flow/${encodeURIComponent(name)}/json?minutes=${minutes}&maxFlows=${maxFlows}`);

export function clusterHistory(
  metrics: readonly string[],
  minutes: number,
  group?: { set: string; group: string },
) {
  const scope = group ? `&set=${encodeURIComponent(group.set)}&group=${encodeURIComponent(group.group)}` : '';
  return getJson<Columns>(`/history/cluster/${metrics.join(',')}/json?minutes=${minutes}${scope}`);
}

export const agentHistory = (agent: string, metrics: readonly string[], minutes: number) =>
  getJson<Columns>(
    `/history/agent/${encodeURIComponent(agent)}/${metrics.join(',')}/json?minutes=${minutes}`,
  );
