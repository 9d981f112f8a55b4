/**
 * The API a controller app sees, with sFlow-RT's names and semantics (https://sflow-rt.com/reference.php,
 * "JavaScript API"), so that sFlow-RT scripts such as the seed's clmark.js run unchanged. Script apps (.js,
 * .ts) get these as globals; module apps (.mjs) as the argument of their default export. docs/apps.md has
 * examples. One difference is forced by Node: http() cannot block, so it returns a Promise of the body.
 */
import type { EngineEvent } from '../engine/engine.js';
import type { ActiveFlow, CompletedFlow } from '../engine/flows.js';

export interface FlowSpecInput {
  keys?: string;
  value?: string;
  filter?: string;
  t?: number;
  n?: number;
  fs?: string;
  log?: boolean;
  flowStart?: boolean;
  activeTimeout?: number;
}

export interface ThresholdSpecInput {
  metric: string;
  value: number;
  byFlow?: boolean;
  timeout?: number;
  filter?: Record<string, (string | number)[] | string | number>;
}

/** A flow of activeFlows(): as GET /activeflows answers. */
export type AppActiveFlow = ActiveFlow;

/** A completed flow, as setFlowHandler's handler gets it: as GET /flows/json answers. */
export type AppCompletedFlow = CompletedFlow;

/** An event as handlers get it: a threshold's, an agent found or lost, or one an app raised. */
export type AppEvent = EngineEvent;

export interface AppHttpRequest {
  method: string;
  /** The path after /app/{name}/, split at '/'. */
  path: string[];
  query: Record<string, string | string[]>;
  body: unknown;
}

export interface AppApi {
  /** Defines (or redefines) a flow: keys, value, filter, t, n, fs, log, flowStart, activeTimeout. */
  setFlow(name: string, spec: FlowSpecInput): void;
  clearFlow(name: string): void;
  /** The largest flows of `name` at `agent` (ALL, an address, or a;b): as GET /activeflows. */
  activeFlows(
    agent: string,
    name: string,
    maxFlows?: number,
    minValue?: number,
    aggMode?: 'max' | 'sum',
  ): AppActiveFlow[];
  /** One flow's value: `dataSourceAndFlow` is "dataSource.flowName" (as clmark.js writes it); 0 when absent. */
  flowValue(agent: string, dataSourceAndFlow: string, flowKey: string): number;
  setThreshold(name: string, spec: ThresholdSpecInput): void;
  clearThreshold(name: string): void;
  /** `fn` gets each event, or only those of the listed thresholds. */
  setEventHandler(fn: (event: AppEvent) => unknown, thresholdIDs?: string[]): void;
  /** `fn` runs every `seconds` (1). */
  setIntervalHandler(fn: () => unknown, seconds?: number): void;
  /** `fn` gets each completed flow of definitions with log:true, or only of the listed ones. */
  setFlowHandler(fn: (flow: AppCompletedFlow) => unknown, flowNames?: string[]): void;
  /** `fn` answers requests to /app/{name}/…: its result is sent as JSON (a string as text). */
  setHttpHandler(fn: (request: AppHttpRequest) => unknown): void;
  /** Metric values with optional aggregates (max:, sum:, …): as GET /metric/{agent}/{metrics}/json. */
  metric(agent: string, metrics: string): unknown[];
  /** Every value of `metric` (ALL: every metric) per agent and data source: as GET /dump. */
  dump(agent: string, metric: string): unknown[];
  /** The agents heard from: as GET /agents/json. */
  agents(): Record<string, unknown>;
  /** Named address groups for the group: key function. */
  setGroups(name: string, groups: Record<string, string[]>): void;
  /**
   * An HTTP request (keep-alive): resolves to the response body; rejects on a network error or a status of 400
   * or more. sFlow-RT's http() blocks; here it cannot, and callers that ignore the result need not change.
   */
  http(
    url: string,
    method?: string,
    type?: string,
    body?: string,
    user?: string,
    password?: string,
  ): Promise<string>;
  /** A value kept for this app across restarts (with --state-file). */
  storeGet(key: string): unknown;
  storeSet(key: string, value: unknown): void;
  logInfo(message: string): void;
  logWarning(message: string): void;
  logSevere(message: string): void;
  /** Runs another script file in this app's context; extras/json2.js (old JSON polyfill) is a no-op. */
  include(file: string): void;
  /**
   * Not in sFlow-RT: raises an event of this app in /events/json (thresholdID `type`, metric "app"), which
   * event handlers get too.
   */
  raiseEvent(type: string, message: string, agent?: string): void;
  /** Not in sFlow-RT: what /app/{name}/json shows as this app's state (its fail-safe mode, for one). */
  setState(state: unknown): void;
}
