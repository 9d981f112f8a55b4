/** Counter records of the OpenFlow structures: https://sflow.org/sflow_openflow.txt */
import { string, struct, u32, u64 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_openflow.txt';

/**
 * 0:1017 extended_openflow_v1 (deprecated): defined by an early draft of the OpenFlow structures, dropped from
 * the final document; the registry still lists it. flow_match and flow_actions are OpenFlow 1.0 bit arrays
 * (ofp_match wildcards, ofp_action_type bit positions).
 */
export const ExtendedOpenflowV1 = struct({ flowCookie: u64, flowMatch: u32, flowActions: u32 });

/** 0:1004 of_port (reserved ports use OpenFlow 1.1 numbering, e.g. 0xfffffffe for OFPP_LOCAL) */
export const OfPort = struct({ datapathId: u64, portNo: u32 });

/** 0:1005 port_name: the OpenFlow port name without its NUL (at most 15 bytes), or the ifName */
export const PortName = struct({ name: string(255) });

export const flowRecords = {
  extended_openflow_v1: record(0, 1017, ExtendedOpenflowV1, 'https://sflow.org/developers/structures.php'),
};

export const counterRecords = {
  of_port: record(0, 1004, OfPort, SPEC),
  port_name: record(0, 1005, PortName, SPEC),
};
