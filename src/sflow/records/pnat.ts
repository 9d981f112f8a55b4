/** Flow record of the sFlow Port NAT Structure: https://sflow.org/sflow_pnat.txt */
import { struct, u32 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_pnat.txt';

/**
 * 0:1020 extended_nat_port: layer 4 ports after translation (the sampled header has them as seen at the data
 * source); sent only when a port was translated, alongside extended_nat.
 */
export const ExtendedNatPort = struct({ srcPort: u32, dstPort: u32 });

export const flowRecords = {
  extended_nat_port: record(0, 1020, ExtendedNatPort, SPEC),
};

export const counterRecords = {};
