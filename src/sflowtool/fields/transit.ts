/** sflowtool's names for the structures of records/transit.ts (readExtendedTransitDelay, readExtendedQueueDepth). */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';

export const flowFields: FlowFieldTable = {
  extended_transit: [
    ['extendedType', () => 'transit_delay'],
    ['transit_delay_nS', 'delay'],
  ],
  extended_queue: [
    ['extendedType', () => 'queue_depth'],
    ['queue_depth_bytes', 'depth'],
  ],
};

export const counterFields: CounterFieldTable = {};
