/** sflowtool's names for the structures of records/lag.ts (readCounters_LACP). */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { macPlain } from '../format.js';

export const flowFields: FlowFieldTable = {};

export const counterFields: CounterFieldTable = {
  lag_port_stats: [
    ['actorSystemID', (v) => macPlain(v.dot3adAggPortActorSystemID)],
    ['partnerSystemID', (v) => macPlain(v.dot3adAggPortPartnerOperSystemID)],
    ['attachedAggID', 'dot3adAggPortAttachedAggID'],
    ['actorAdminPortState', (v) => v.dot3adAggPortState[0]],
    ['actorOperPortState', (v) => v.dot3adAggPortState[1]],
    ['partnerAdminPortState', (v) => v.dot3adAggPortState[2]],
    ['partnerOperPortState', (v) => v.dot3adAggPortState[3]],
    ['LACPDUsRx', 'dot3adAggPortStatsLACPDUsRx'],
    ['markerPDUsRx', 'dot3adAggPortStatsMarkerPDUsRx'],
    ['markerResponsePDUsRx', 'dot3adAggPortStatsMarkerResponsePDUsRx'],
    ['unknownRx', 'dot3adAggPortStatsUnknownRx'],
    ['illegalRx', 'dot3adAggPortStatsIllegalRx'],
    ['LACPDUsTx', 'dot3adAggPortStatsLACPDUsTx'],
    ['markerPDUsTx', 'dot3adAggPortStatsMarkerPDUsTx'],
    ['markerResponsePDUsTx', 'dot3adAggPortStatsMarkerResponsePDUsTx'],
  ],
};
