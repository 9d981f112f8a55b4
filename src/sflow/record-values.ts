/**
 * Record values without spelling out every field: a structure's zero value, made from its schema, with the
 * fields that matter set on top. Counter structures have dozens of fields; the generator and the host agent
 * both build them.
 */
import type { Codec } from './schema.js';

export function zeroValue(codec: Codec<unknown>): unknown {
  const shape = codec.shape;
  switch (shape.kind) {
    case 'u32':
    case 'i32':
    case 'f32':
    case 'f64':
    case 'enum':
      return 0;
    case 'u64':
    case 'i64':
      return 0n;
    case 'ipv4':
      return '0.0.0.0';
    case 'ipv6':
      return '::';
    case 'mac':
      return '00:00:00:00:00:00';
    case 'address':
      return null;
    case 'string':
      return '';
    case 'opaque':
      return new Uint8Array(0);
    case 'fixed':
      return new Uint8Array(shape.size);
    case 'array':
      return [];
    case 'optional':
      return undefined;
    case 'struct':
      return Object.fromEntries(Object.entries(shape.fields).map(([k, c]) => [k, zeroValue(c)]));
    case 'union':
    case 'custom':
      throw new TypeError(`no zero value for a ${shape.kind}`);
  }
}

/** A value of `codec`'s structure: zero everywhere but `fields`. */
export function recordValue<T>(codec: Codec<T>, fields: Partial<T>): T {
  return { ...(zeroValue(codec as Codec<unknown>) as T), ...fields };
}
