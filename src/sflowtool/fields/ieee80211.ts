/** sflowtool's names for the structures of records/ieee80211.ts (stub: to be filled in). */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';

export const flowFields: FlowFieldTable = {};
export const counterFields: CounterFieldTable = {};
