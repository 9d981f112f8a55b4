/**
 * Typings of sflowkit's controller app API as globals, for script apps written in TypeScript:
 *
 *   /// <reference types="sflowkit/app" />
 *   setFlow('pair', { keys: 'ipsource,ipdestination', value: 'bytes' });
 *
 * Module apps (.mjs) take the same API as their default export's argument: `import type { AppApi } from
 * 'sflowkit/app'`. docs/apps.md documents each function.
 */
import type { AppApi } from '../dist/src/apps/app-api.js';

export type {
  AppActiveFlow,
  AppApi,
  AppCompletedFlow,
  AppEvent,
  AppHttpRequest,
  FlowSpecInput,
  ThresholdSpecInput,
} from '../dist/src/apps/app-api.js';

declare global {
  const setFlow: AppApi['setFlow'];
  const clearFlow: AppApi['clearFlow'];
  const activeFlows: AppApi['activeFlows'];
  const flowValue: AppApi['flowValue'];
  const setThreshold: AppApi['setThreshold'];
  const clearThreshold: AppApi['clearThreshold'];
  const setEventHandler: AppApi['setEventHandler'];
  const setIntervalHandler: AppApi['setIntervalHandler'];
  const setFlowHandler: AppApi['setFlowHandler'];
  const setHttpHandler: AppApi['setHttpHandler'];
  const metric: AppApi['metric'];
  const dump: AppApi['dump'];
  const agents: AppApi['agents'];
  const setGroups: AppApi['setGroups'];
  const http: AppApi['http'];
  const storeGet: AppApi['storeGet'];
  const storeSet: AppApi['storeSet'];
  const logInfo: AppApi['logInfo'];
  const logWarning: AppApi['logWarning'];
  const logSevere: AppApi['logSevere'];
  const include: AppApi['include'];
  const raiseEvent: AppApi['raiseEvent'];
  const setState: AppApi['setState'];
}
