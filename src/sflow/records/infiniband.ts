/** Flow and counter records of the InfiniBand structures: https://sflow.org/draft_sflow_infiniband_2.txt */
import { fixed, struct, u32, u64 } from '../schema.js';
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

/** 0:1031 extended_ib_lrh (Local Route Header of the source and destination) */
export const ExtendedIbLrh = struct({
  srcVl: u32,
  srcSl: u32,
  srcDlid: u32,
  srcSlid: u32,
  srcLnh: u32,
  dstVl: u32,
  dstSl: u32,
  dstDlid: u32,
  dstSlid: u32,
  dstLnh: u32,
});

/** 0:1032 extended_ib_grh (Global Route Header; gid is a 128-bit InfiniBand global identifier) */
export const ExtendedIbGrh = struct({
  flowLabel: u32,
  tc: u32,
  sGid: fixed(16),
  dGid: fixed(16),
  nextHeader: u32,
  length: u32,
});

/** 0:1033 extended_ib_bth (Base Transport Header) */
export const ExtendedIbBth = struct({ pkey: u32, dstQp: u32, opcode: u32 });

export const flowRecords = {
  extended_ib_lrh: record(0, 1031, ExtendedIbLrh, SPEC),
  extended_ib_grh: record(0, 1032, ExtendedIbGrh, SPEC),
  extended_ib_bth: record(0, 1033, ExtendedIbBth, SPEC),
};

export const counterRecords = {
  ib_counters: record(0, 9, IbCounters, SPEC),
};
