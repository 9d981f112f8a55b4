/**
 * The leading fields of a structure that runs past the end of its datagram. sflowtool prints each field as it
 * reads it and stops at the first that is not there; to print the same lines we need the fields before it.
 */
import type { Codec } from '../sflow/schema.js';
import type { XdrReader } from '../xdr/reader.js';

export function decodePartial(codec: Codec<unknown>, r: XdrReader): Record<string, unknown> {
  const partial: Record<string, unknown> = {};
  if (codec.shape.kind !== 'struct') return partial;
  try {
    for (const [name, field] of Object.entries(codec.shape.fields)) partial[name] = field.decode(r);
  } catch {
    // What was read so far is the answer.
  }
  return partial;
}
