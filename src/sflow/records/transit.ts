/** Flow records of the sFlow Transit Delay Structures: https://sflow.org/sflow_transit.txt */
import { struct, u32 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_transit.txt';

/** 0:1039 extended_transit: transit delay in ns (0xFFFFFFFF = that or more) */
export const ExtendedTransit = struct({ delay: u32 });

/** 0:1040 extended_queue: queue depth in bytes (comes with an extended_egress_queue) */
export const ExtendedQueue = struct({ depth: u32 });

export const flowRecords = {
  extended_transit: record(0, 1039, ExtendedTransit, SPEC),
  extended_queue: record(0, 1040, ExtendedQueue, SPEC),
};

export const counterRecords = {};
