/**
 * Broadcom switch ASIC structures: peak buffer utilization, https://sflow.org/bv-sflow.txt, and table
 * utilization, https://sflow.org/sflow_broadcom_tables.txt (enterprise 4413).
 */
import { array, i32, struct, u32 } from '../schema.js';
import { record } from './define.js';

const BUFFERS = 'https://sflow.org/bv-sflow.txt';
const TABLES = 'https://sflow.org/sflow_broadcom_tables.txt';

/** percentage: an int in hundredths of a percent (100 = 1%), -1 when unknown (sflow_version_5.txt). */
const percentage = i32;

/** 4413:1 extended_bst_egress_queue: the egress queue selected for the sampled packet */
export const ExtendedBstEgressQueue = struct({ queue: u32 });

/** 4413:1 bst_device_buffers: peak utilization since the last export */
export const BstDeviceBuffers = struct({ ucPc: percentage, mcPc: percentage });

/** 4413:2 bst_port_buffers: peak utilization since the last export, per port and per egress queue */
export const BstPortBuffers = struct({
  ingressUcPc: percentage,
  ingressMcPc: percentage,
  egressUcPc: percentage,
  egressMcPc: percentage,
  egressQueueUcPc: array(percentage, 8),
  egressQueueMcPc: array(percentage, 8),
});

/**
 * 4413:3 hw_tables. The spec names the eighth field ipv6_ipv6_entries_max, a slip for ipv4_ipv6_entries_max
 * (hsflowd and sflowtool call it that); the name here stays the spec's.
 */
export const HwTables = struct({
  hostEntries: u32,
  hostEntriesMax: u32,
  ipv4Entries: u32,
  ipv4EntriesMax: u32,
  ipv6Entries: u32,
  ipv6EntriesMax: u32,
  ipv4Ipv6Entries: u32,
  ipv6Ipv6EntriesMax: u32,
  longIpv6Entries: u32,
  longIpv6EntriesMax: u32,
  totalRoutes: u32,
  totalRoutesMax: u32,
  ecmpNexthops: u32,
  ecmpNexthopsMax: u32,
  macEntries: u32,
  macEntriesMax: u32,
  ipv4Neighbors: u32,
  ipv6Neighbors: u32,
  ipv4Routes: u32,
  ipv6Routes: u32,
  aclIngressEntries: u32,
  aclIngressEntriesMax: u32,
  aclIngressCounters: u32,
  aclIngressCountersMax: u32,
  aclIngressMeters: u32,
  aclIngressMetersMax: u32,
  aclIngressSlices: u32,
  aclIngressSlicesMax: u32,
  aclEgressEntries: u32,
  aclEgressEntriesMax: u32,
  aclEgressCounters: u32,
  aclEgressCountersMax: u32,
  aclEgressMeters: u32,
  aclEgressMetersMax: u32,
  aclEgressSlices: u32,
  aclEgressSlicesMax: u32,
});

export const flowRecords = {
  extended_bst_egress_queue: record(4413, 1, ExtendedBstEgressQueue, BUFFERS),
};

export const counterRecords = {
  bst_device_buffers: record(4413, 1, BstDeviceBuffers, BUFFERS),
  bst_port_buffers: record(4413, 2, BstPortBuffers, BUFFERS),
  hw_tables: record(4413, 3, HwTables, TABLES),
};
