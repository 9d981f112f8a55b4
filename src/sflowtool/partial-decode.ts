/**
 * The leading fields of a structure that runs past the end of its datagram. sflowtool prints each field as it
 * reads it and stops at the first that is not there; to print the same lines we need the fields before it:
 * within nested structures and lists too, down to the last element begun.
 */
import type { Codec } from '../sflow/schema.js';
import type { XdrReader } from '../xdr/reader.js';
import { XdrError } from '../xdr/xdr-error.js';
import { CutShort } from './format.js';

interface Partial {
  /** undefined when not even the start of it was there. */
  value: unknown;
  complete: boolean;
}

function partialOf(codec: Codec<unknown>, r: XdrReader): Partial {
  const shape = codec.shape;
  if (shape.kind === 'struct') {
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(shape.fields)) {
      const p = partialOf(field, r);
      if (p.value !== undefined) out[name] = p.value;
      if (!p.complete) return { value: out, complete: false };
    }
    return { value: out, complete: true };
  }
  if (shape.kind === 'array') {
    const list: unknown[] = [];
    const count = partialOf({ ...codec, shape: { kind: 'u32' }, decode: (x) => x.u32() }, r);
    if (!count.complete) return { value: undefined, complete: false };
    for (let i = 0; i < (count.value as number); i++) {
      const p = partialOf(shape.of, r);
      if (p.value !== undefined) list.push(p.value);
      if (!p.complete) return { value: list, complete: false };
    }
    return { value: list, complete: true };
  }
  const start = r.pos;
  try {
    return { value: codec.decode(r), complete: true };
  } catch (e) {
    if (!(e instanceof XdrError)) throw e;
    if (shape.kind === 'opaque' && r.end - start >= 4) {
      r.pos = start;
      return { value: new CutShort(r.u32()), complete: false };
    }
    return { value: undefined, complete: false };
  }
}

export function decodePartial(codec: Codec<unknown>, r: XdrReader): Record<string, unknown> {
  return (partialOf(codec, r).value as Record<string, unknown> | undefined) ?? {};
}
