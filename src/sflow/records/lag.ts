/** Counter records of the LAG structures: https://sflow.org/sflow_lag.txt */
import { fixed, mac, struct, u32 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_lag.txt';

/**
 * 0:7 lag_port_stats (IEEE8023-LAG-MIB). dot3adAggPortState holds four bytes in this order: actor admin,
 * actor oper, partner admin, partner oper state.
 */
export const LagPortStats = struct({
  dot3adAggPortActorSystemID: mac,
  dot3adAggPortPartnerOperSystemID: mac,
  dot3adAggPortAttachedAggID: u32,
  dot3adAggPortState: fixed(4),
  dot3adAggPortStatsLACPDUsRx: u32,
  dot3adAggPortStatsMarkerPDUsRx: u32,
  dot3adAggPortStatsMarkerResponsePDUsRx: u32,
  dot3adAggPortStatsUnknownRx: u32,
  dot3adAggPortStatsIllegalRx: u32,
  dot3adAggPortStatsLACPDUsTx: u32,
  dot3adAggPortStatsMarkerPDUsTx: u32,
  dot3adAggPortStatsMarkerResponsePDUsTx: u32,
});

export const flowRecords = {};

export const counterRecords = {
  lag_port_stats: record(0, 7, LagPortStats, SPEC),
};
