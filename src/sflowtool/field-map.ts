/**
 * The mapping from our model to sflowtool's output: for each structure, the names sflowtool prints, in its
 * order, and the field (or formula) of ours each comes from. The conformance suite checks every field
 * sflowtool prints against it; the sflowtool-compatible renderers print from it.
 */
import type {
  CounterRecordName,
  CounterRecordValue,
  FlowRecordName,
  FlowRecordValue,
} from '../sflow/registry.js';

import type { DashedHex } from './format.js';

/** A value as the name table gives it; outputs turn it into text (String() for all of them). */
export type Printable = string | number | bigint | DashedHex;
export type Put = (name: string, value: Printable) => void;

/** [sflowtool name, our field name | formula]. */
export type Row<V> = readonly [string, (keyof V & string) | ((v: V) => Printable)];

/** Rows in print order, or a function for structures with repeated or conditional lines. */
export type FieldMap<V> = readonly Row<V>[] | ((v: V, put: Put) => void);

export type FlowFieldTable = { readonly [N in FlowRecordName]?: FieldMap<FlowRecordValue<N>> };
export type CounterFieldTable = { readonly [N in CounterRecordName]?: FieldMap<CounterRecordValue<N>> };

export function emit<V>(map: FieldMap<V>, v: V, put: Put): void {
  if (typeof map === 'function') {
    map(v, put);
    return;
  }
  for (const [name, from] of map) {
    put(name, typeof from === 'function' ? from(v) : (v[from] as Printable));
  }
}
