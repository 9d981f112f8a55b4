/** sflowtool's names for the structure of records/pnat.ts (readExtendedNatPort). */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';

export const flowFields: FlowFieldTable = {
  extended_nat_port: [
    ['extendedType', () => 'NAT PORT'],
    ['nat_src_port', 'srcPort'],
    ['nat_dst_port', 'dstPort'],
  ],
};

export const counterFields: CounterFieldTable = {};
