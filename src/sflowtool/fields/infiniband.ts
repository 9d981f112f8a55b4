/**
 * Names for the structures of records/infiniband.ts. sflowtool does not decode ib_counters; like its other MIB
 * counter blocks (dot3Stats*, dot11*), the lines carry the counter names of the IB PortCounters attribute.
 */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { dashedHex } from '../format.js';

/** sflowtool does not decode the IB flow records either; these follow its extendedType + snake_case style. */
export const flowFields: FlowFieldTable = {
  extended_ib_lrh: [
    ['extendedType', () => 'IB_LRH'],
    ['ib_lrh_src_vl', 'srcVl'],
    ['ib_lrh_src_sl', 'srcSl'],
    ['ib_lrh_src_dlid', 'srcDlid'],
    ['ib_lrh_src_slid', 'srcSlid'],
    ['ib_lrh_src_lnh', 'srcLnh'],
    ['ib_lrh_dst_vl', 'dstVl'],
    ['ib_lrh_dst_sl', 'dstSl'],
    ['ib_lrh_dst_dlid', 'dstDlid'],
    ['ib_lrh_dst_slid', 'dstSlid'],
    ['ib_lrh_dst_lnh', 'dstLnh'],
  ],
  extended_ib_grh: [
    ['extendedType', () => 'IB_GRH'],
    ['ib_grh_flow_label', 'flowLabel'],
    ['ib_grh_tc', 'tc'],
    ['ib_grh_s_gid', (v) => dashedHex(v.sGid)],
    ['ib_grh_d_gid', (v) => dashedHex(v.dGid)],
    ['ib_grh_next_header', 'nextHeader'],
    ['ib_grh_length', 'length'],
  ],
  extended_ib_bth: [
    ['extendedType', () => 'IB_BTH'],
    ['ib_bth_pkey', 'pkey'],
    ['ib_bth_dst_qp', 'dstQp'],
    ['ib_bth_opcode', 'opcode'],
  ],
};

export const counterFields: CounterFieldTable = {
  ib_counters: [
    ['PortXmitPkts', 'portXmitPkts'],
    ['PortRcvPkts', 'portRcvPkts'],
    ['SymbolErrorCounter', 'symbolErrorCounter'],
    ['LinkErrorRecoveryCounter', 'linkErrorRecoveryCounter'],
    ['LinkDownedCounter', 'linkDownedCounter'],
    ['PortRcvErrors', 'portRcvErrors'],
    ['PortRcvRemotePhysicalErrors', 'portRcvRemotePhysicalErrors'],
    ['PortRcvSwitchRelayErrors', 'portRcvSwitchRelayErrors'],
    ['PortXmitDiscards', 'portXmitDiscards'],
    ['PortXmitConstraintErrors', 'portXmitConstraintErrors'],
    ['PortRcvConstraintErrors', 'portRcvConstraintErrors'],
    ['LocalLinkIntegrityErrors', 'localLinkIntegrityErrors'],
    ['ExcessiveBufferOverrunErrors', 'excessiveBufferOverrunErrors'],
    ['VL15Dropped', 'vl15Dropped'],
  ],
};
