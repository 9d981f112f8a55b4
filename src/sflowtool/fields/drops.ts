/** sflowtool's names for the structures of records/drops.ts, and its discard reason names. */
import { DROP_REASONS } from '../../sflow/records/drops.js';
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { putText } from '../format.js';

/**
 * discardReason as sflowtool prints it (undefined where it prints NotFound): its copy of sflow_drop.h numbers
 * dev_hdr 33 and tc_egress 36 for 332 and 366 (see DROP_REASONS).
 */
export function sflowtoolDropReason(code: number): string | undefined {
  if (code === 33) return 'dev_hdr';
  if (code === 36) return 'tc_egress';
  if (code === 332 || code === 366) return undefined;
  return DROP_REASONS[code];
}

/** SFL_MAX_FUNCTION_SYMBOL_LEN */
const SYMBOL = 64;

export const flowFields: FlowFieldTable = {
  extended_egress_queue: [
    ['extendedType', () => 'egress_queue'],
    ['egress_queue_id', 'queue'],
  ],
  // sflowtool skips 0:1037; these names follow its style.
  extended_acl: (v, put) => {
    put('extendedType', 'acl');
    put('acl_number', v.number);
    putText(put, 'acl_name', v.name, 255);
    put('acl_direction', v.direction);
  },
  extended_function: (v, put) => {
    put('extendedType', 'function');
    putText(put, 'symbol', v.symbol, SYMBOL);
  },
};

export const counterFields: CounterFieldTable = {};
