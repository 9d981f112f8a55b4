/**
 * The XDR schema language in which every sFlow structure is declared once. From one declaration come the
 * decoder, the encoder, the TypeScript type of the value (`Infer`), the generator that the property tests use
 * and the field list in docs/structures.md, so that no field name is ever typed twice.
 */
import { ipv4Text, ipv6Text, macText, parseIpv4, parseIpv6, parseMac } from '../xdr/address-text.js';
import type { XdrReader, XdrString } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import { XdrError } from '../xdr/xdr-error.js';

/** What a codec is, for generators and documentation. */
export type Shape =
  | { kind: 'u32' | 'i32' | 'u64' | 'i64' | 'f32' | 'f64' | 'ipv4' | 'ipv6' | 'mac' | 'address' }
  | { kind: 'enum'; values: Readonly<Record<number, string>> }
  | { kind: 'string' | 'opaque'; max?: number }
  | { kind: 'fixed'; size: number }
  | { kind: 'array'; of: Codec<unknown>; max?: number }
  | { kind: 'struct'; fields: Readonly<Record<string, Codec<unknown>>> }
  | { kind: 'optional'; of: Codec<unknown> }
  | { kind: 'union'; arms: Readonly<Record<number, Codec<unknown>>> }
  | { kind: 'custom'; name: string };

export interface Codec<T> {
  readonly shape: Shape;
  /** The fewest bytes an encoded value takes: bounds element counts read from the wire. */
  readonly minSize: number;
  decode(r: XdrReader): T;
  encode(w: XdrWriter, v: T): void;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

function prim<T>(kind: 'u32' | 'i32' | 'u64' | 'i64' | 'f32' | 'f64', size: number): Codec<T> {
  return {
    shape: { kind },
    minSize: size,
    decode: (r) => (r[kind] as () => T)(),
    encode: (w, v) => (w[kind] as (v: T) => void)(v),
  };
}

/** unsigned int, counter32, gauge32 */
export const u32: Codec<number> = prim('u32', 4);
/** int */
export const i32: Codec<number> = prim('i32', 4);
/** unsigned hyper, counter64, gauge64 */
export const u64: Codec<bigint> = prim('u64', 8);
/** hyper */
export const i64: Codec<bigint> = prim('i64', 8);
/** float */
export const f32: Codec<number> = prim('f32', 4);
/** double */
export const f64: Codec<number> = prim('f64', 8);

/** An enumeration sent as unsigned int; the value stays a number (unknown values are kept), names are for docs. */
export function enumOf(values: Readonly<Record<number, string>>): Codec<number> {
  return { ...u32, shape: { kind: 'enum', values } };
}

/** ip_v4: opaque[4], as dotted text. */
export const ipv4: Codec<string> = {
  shape: { kind: 'ipv4' },
  minSize: 4,
  decode: (r) => ipv4Text(r.fixed(4)),
  encode: (w, v) => w.fixed(parseIpv4(v)),
};

/** ip_v6: opaque[16], as RFC 5952 text. */
export const ipv6: Codec<string> = {
  shape: { kind: 'ipv6' },
  minSize: 16,
  decode: (r) => ipv6Text(r.fixed(16)),
  encode: (w, v) => w.fixed(parseIpv6(v)),
};

/** mac: opaque[6] (8 bytes with padding), as colon hex. */
export const mac: Codec<string> = {
  shape: { kind: 'mac' },
  minSize: 8,
  decode: (r) => macText(r.fixed(6)),
  encode: (w, v) => w.fixed(parseMac(v)),
};

/** address: a union on type 0 (unknown, no bytes), 1 (IPv4), 2 (IPv6); null for unknown. */
export const address: Codec<string | null> = {
  shape: { kind: 'address' },
  minSize: 4,
  decode(r) {
    const at = r.pos;
    const type = r.u32();
    if (type === 1) return ipv4Text(r.fixed(4));
    if (type === 2) return ipv6Text(r.fixed(16));
    if (type === 0) return null;
    throw new XdrError('BAD_UNION', at, `address type ${type}`);
  },
  encode(w, v) {
    if (v === null) return w.u32(0);
    if (v.includes(':')) {
      w.u32(2);
      w.fixed(parseIpv6(v));
    } else {
      w.u32(1);
      w.fixed(parseIpv4(v));
    }
  },
};

/** string<max>: the maximum is documented and respected by generators, not enforced on decode. */
export function string(max?: number): Codec<XdrString> {
  return {
    shape: { kind: 'string', max },
    minSize: 4,
    decode: (r) => r.string(),
    encode: (w, v) => w.string(v),
  };
}

/** opaque<max>: a view into the datagram. */
export function opaque(max?: number): Codec<Uint8Array> {
  return {
    shape: { kind: 'opaque', max },
    minSize: 4,
    decode: (r) => r.opaque(),
    encode: (w, v) => w.opaque(v),
  };
}

/** opaque[size] */
export function fixed(size: number): Codec<Uint8Array> {
  return {
    shape: { kind: 'fixed', size },
    minSize: (size + 3) & ~3,
    decode: (r) => r.fixed(size),
    encode: (w, v) => w.fixed(v, size),
  };
}

/** T list<max>: a u32 count then the elements; the count is bounded by the bytes left. */
export function array<T>(of: Codec<T>, max?: number): Codec<T[]> {
  const min = Math.max(of.minSize, 1);
  return {
    shape: { kind: 'array', of: of as Codec<unknown>, max },
    minSize: 4,
    decode(r) {
      const n = r.count(min);
      const out: T[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = of.decode(r);
      return out;
    },
    encode(w, v) {
      w.u32(v.length);
      for (const e of v) of.encode(w, e);
    },
  };
}

/**
 * A trailing field that older producers leave out: decoded only while the element has bytes left, encoded
 * only when present. Only valid at the end of a struct.
 */
export function optional<T>(of: Codec<T>): Codec<T | undefined> {
  return {
    shape: { kind: 'optional', of: of as Codec<unknown> },
    minSize: 0,
    decode: (r) => (r.remaining > 0 ? of.decode(r) : undefined),
    encode: (w, v) => {
      if (v !== undefined) of.encode(w, v);
    },
  };
}

/** A discriminated union on a u32: `{ type, value }`, with one codec per arm. */
export function union<A extends Record<number, Codec<unknown>>>(
  arms: A,
): Codec<
  { [K in keyof A]: { type: K extends `${infer N extends number}` ? N : K; value: Infer<A[K]> } }[keyof A]
> {
  type V = { type: number; value: unknown };
  const codec: Codec<V> = {
    shape: { kind: 'union', arms },
    minSize: 4,
    decode(r) {
      const at = r.pos;
      const type = r.u32();
      const arm = arms[type];
      if (!arm) throw new XdrError('BAD_UNION', at, `type ${type}`);
      return { type, value: arm.decode(r) };
    },
    encode(w, v) {
      const arm = arms[v.type];
      if (!arm) throw new RangeError(`union has no arm ${v.type}`);
      w.u32(v.type);
      arm.encode(w, v.value);
    },
  };
  return codec as never;
}

type Fields = Record<string, Codec<unknown>>;
type StructOf<F extends Fields> = { [K in keyof F]: Infer<F[K]> };

const INLINE = new Set(['u32', 'i32', 'u64', 'i64', 'f32', 'f64']);

/**
 * struct { ... } in spec order. The decoder and encoder are generated once per structure, with reader calls
 * inlined and one object literal per value: every value of a structure then shares one hidden class, which
 * keeps the per-datagram path fast (see docs/benchmarks.md).
 */
export function struct<F extends Fields>(fields: F): Codec<StructOf<F>> {
  const names = Object.keys(fields);
  for (const n of names) if (!/^[A-Za-z_$][\w$]*$/.test(n)) throw new Error(`bad field name ${n}`);
  const codecs = names.map((n) => fields[n]);
  const read = names.map((n, i) => {
    const k = codecs[i].shape.kind;
    return `${n}: ${INLINE.has(k) ? `r.${k}()` : `c[${i}].decode(r)`}`;
  });
  const write = names.map((n, i) => {
    const k = codecs[i].shape.kind;
    return INLINE.has(k) ? `w.${k}(v.${n});` : `c[${i}].encode(w, v.${n});`;
  });
  const decode = new Function('c', `return function decode(r) { return { ${read.join(', ')} }; }`)(codecs);
  const encode = new Function('c', `return function encode(w, v) { ${write.join(' ')} }`)(codecs);
  return {
    shape: { kind: 'struct', fields },
    minSize: codecs.reduce((s, c) => s + c.minSize, 0),
    decode,
    encode,
  };
}
