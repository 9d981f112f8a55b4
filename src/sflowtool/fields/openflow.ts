/** sflowtool's names for the structures of records/openflow.ts (readCounters_OFPort, readCounters_portName). */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { text } from '../format.js';

/** A u64 as sflowtool's "%016" PRIx64. */
const hex16 = (x: bigint) => x.toString(16).padStart(16, '0');

/** getString's bufLen for port names (SFL_MAX_PORTNAME_LEN): at most 254 bytes print. */
const PORTNAME_BUFFER = 255;

export const flowFields: FlowFieldTable = {
  // Not decoded by sflowtool: named after its of_port lines.
  extended_openflow_v1: [
    ['extendedType', () => 'openflow_v1'],
    ['openflow_flow_cookie', (v) => hex16(v.flowCookie)],
    ['openflow_flow_match', 'flowMatch'],
    ['openflow_flow_actions', 'flowActions'],
  ],
};

export const counterFields: CounterFieldTable = {
  of_port: [
    ['openflow_datapath_id', (v) => hex16(v.datapathId)],
    ['openflow_port', 'portNo'],
  ],
  port_name: (v, put) => {
    if (v.name.length > 0) put('ifName', text(v.name, PORTNAME_BUFFER));
  },
};
