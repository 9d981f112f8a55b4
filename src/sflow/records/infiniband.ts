/** Counter records of the InfiniBand structures: https://sflow.org/draft_sflow_infiniband_2.txt */
import { struct, u32, u64 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/draft_sflow_infiniband_2.txt';

/** 0:9 ib_counters (IB PortCounters; the packet counts are the 64-bit extended ones, over all VLs) */
export const IbCounters = struct({
  portXmitPkts: u64,
  portRcvPkts: u64,
  symbolErrorCounter: u32,
  linkErrorRecoveryCounter: u32,
  linkDownedCounter: u32,
  portRcvErrors: u32,
  portRcvRemotePhysicalErrors: u32,
  portRcvSwitchRelayErrors: u32,
  portXmitDiscards: u32,
  portXmitConstraintErrors: u32,
  portRcvConstraintErrors: u32,
  localLinkIntegrityErrors: u32,
  excessiveBufferOverrunErrors: u32,
  vl15Dropped: u32,
});

export const flowRecords = {};

export const counterRecords = {
  ib_counters: record(0, 9, IbCounters, SPEC),
};
