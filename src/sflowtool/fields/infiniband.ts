/**
 * Names for the structures of records/infiniband.ts. sflowtool does not decode ib_counters; like its other MIB
 * counter blocks (dot3Stats*, dot11*), the lines carry the counter names of the IB PortCounters attribute.
 */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';

export const flowFields: FlowFieldTable = {};

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
