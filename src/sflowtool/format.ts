/** Value formats sflowtool uses in its text output. */
import { parseIpv6 } from '../xdr/address-text.js';
import type { XdrString } from '../xdr/reader.js';
import type { Put } from './field-map.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** MAC as 12 lowercase hex digits, no separators (sflowtool's printMAC). */
export function macPlain(colonMac: string): string {
  return colonMac.replaceAll(':', '');
}

const UPPER = new TextEncoder().encode('0123456789ABCDEF');

/** Bytes as upper-case hex pairs joined by '-' (headerBytes): the hottest line of the text form, so built in bytes. */
export function dashedHex(b: Uint8Array): string {
  if (b.length === 0) return '';
  const out = Buffer.allocUnsafe(b.length * 3 - 1);
  for (let i = 0, k = 0; i < b.length; i++) {
    if (i > 0) out[k++] = 45;
    out[k++] = UPPER[b[i] >> 4];
    out[k++] = UPPER[b[i] & 15];
  }
  return out.toString('latin1');
}

/**
 * Bytes to print as dashedHex, kept as bytes so that the text output can write them without making the
 * string (a sampled header is a third of the default text form).
 */
export class DashedHex {
  constructor(readonly bytes: Uint8Array) {}
  toString(): string {
    return dashedHex(this.bytes);
  }
}

/**
 * Opaque bytes of which only the length was in the datagram (partial-decode.ts): sflowtool prints the length
 * (headerLen) and stops at the bytes. Not array-like, so nothing mistakes it for the bytes.
 */
export class CutShort {
  constructor(readonly declaredLength: number) {}
}

/** The length of opaque bytes, or the length declared for those cut short. */
export function byteLength(b: Uint8Array | CutShort): number {
  return b instanceof CutShort ? b.declaredLength : b.length;
}

/** A string as sflowtool prints it: at most 254 bytes (its buffers hold 255 with the terminator). */
export function text(v: XdrString, max = 255): string {
  const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
  const cut = bytes.subarray(0, Math.min(bytes.length, max - 1));
  const nul = cut.indexOf(0);
  return (nul >= 0 ? cut.subarray(0, nul) : cut).toString('latin1');
}

/** A data format or sample type as `enterprise:format` (printTag). */
export function tagText(t: number): string {
  return `${t >>> 12}:${t & 0xfff}`;
}

/** 16 bytes at `at` as an IPv6 address in sflowtool's form: eight 4-digit groups, never abbreviated. */
export function ipv6Full(b: Uint8Array, at: number): string {
  let s = '';
  for (let k = 0; k < 16; k += 2) s += `${k ? ':' : ''}${HEX[b[at + k] ?? 0]}${HEX[b[at + k + 1] ?? 0]}`;
  return s;
}

/** An address as sflowtool prints it: IPv4 dotted, IPv6 as eight 4-digit groups, '-' for unknown. */
export function addressText(a: string | null): string {
  if (a === null) return '-';
  if (!a.includes(':')) return a;
  return ipv6Full(parseIpv6(a), 0);
}

/** A u32 list joined by '-' (AS paths, communities). */
export function dashed(list: readonly number[]): string {
  return list.join('-');
}

/**
 * sflowtool prints a string field only when its length word is not zero, cut to its buffer (`bufLen` - 1
 * bytes, see format.ts text); an empty value still prints when the string starts with a NUL.
 */
export function putText(put: Put, name: string, v: XdrString, bufLen: number): void {
  if (v.length > 0) put(name, text(v, bufLen));
}

/**
 * printf("%.<digits>f") of a double as glibc prints it. toFixed rounds the exact binary value too, but sends
 * exact ties away from zero where glibc sends them to even (0.0625 → "0.063" against "0.062"), and it switches
 * to exponents at 1e21.
 */
export function cFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return signBit(x) ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  if (a >= 1e21) return `${neg ? '-' : ''}${BigInt(a)}.${'0'.repeat(digits)}`;
  const scaled = a * 10 ** digits;
  const down = Math.floor(scaled);
  // A true tie makes `scaled` exact, so this cheap test lets every one through to the exact one.
  if (scaled - down === 0.5 && down % 2 === 0 && isTie(a, digits, down)) {
    const t = down.toString().padStart(digits + 1, '0');
    const even = digits > 0 ? `${t.slice(0, -digits)}.${t.slice(-digits)}` : t;
    return `${neg ? '-' : ''}${even}`;
  }
  return `${neg ? '-' : ''}${a.toFixed(digits)}`;
}

function bitsOf(x: number): bigint {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  return b.getBigUint64(0);
}

function signBit(x: number): boolean {
  return bitsOf(x) >> 63n === 1n;
}

/** Whether a (finite, not negative) is exactly (down + 0.5) / 10^digits, in exact integer arithmetic. */
function isTie(a: number, digits: number, down: number): boolean {
  if (!Number.isSafeInteger(down)) return false;
  const bits = bitsOf(a);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  // a = m * 2^e exactly
  const m = exp === 0 ? frac : frac | (1n << 52n);
  const e = exp === 0 ? -1074 : exp - 1075;
  const lhs = 2n * m * 10n ** BigInt(digits);
  const rhs = 2n * BigInt(down) + 1n;
  return e >= 0 ? lhs << BigInt(e) === rhs : lhs === rhs << BigInt(-e);
}

/** sf_log_nextFloat: a float printed "%.3f". */
export function float3(x: number): string {
  return cFixed(x, 3);
}

/**
 * sf_log_percentage: hundredths of a percent divided in single precision, printed "%.2f"; all ones (-1) is
 * "unknown".
 */
export function percentage(hundredths: number): string {
  const h = hundredths >>> 0;
  return h === 0xffffffff ? 'unknown' : cFixed(Math.fround(Math.fround(h) / 100), 2);
}

/** A UUID as 8-4-4-4-12 lowercase hex. */
export function uuidText(b: Uint8Array): string {
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
