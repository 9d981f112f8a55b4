/** Value formats sflowtool uses in its text output. */
import { parseIpv6 } from '../xdr/address-text.js';
import type { XdrString } from '../xdr/reader.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** MAC as 12 lowercase hex digits, no separators (sflowtool's printMAC). */
export function macPlain(colonMac: string): string {
  return colonMac.replaceAll(':', '');
}

/** Bytes as upper-case hex pairs joined by '-' (headerBytes). */
export function dashedHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? '-' : '') + HEX[b[i]].toUpperCase();
  return s;
}

/** A string as sflowtool prints it: at most 254 bytes (its buffers hold 255 with the terminator). */
export function text(v: XdrString, max = 255): string {
  const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
  const cut = bytes.subarray(0, Math.min(bytes.length, max - 1));
  const nul = cut.indexOf(0);
  return (nul >= 0 ? cut.subarray(0, nul) : cut).toString('latin1');
}

/** printf("%.3f") */
export function fixed3(x: number): string {
  return x.toFixed(3);
}

/** Hundredths of a percent printed as "%.2f", or "unknown" for 0xFFFFFFFF (sf_log_percentage). */
export function percent(hundredths: number): string {
  return hundredths === 0xffffffff ? 'unknown' : (hundredths / 100).toFixed(2);
}

/** An address as sflowtool prints it: IPv4 dotted, IPv6 as eight 4-digit groups, '-' for unknown. */
export function addressText(a: string | null): string {
  if (a === null) return '-';
  if (!a.includes(':')) return a;
  return Array.from(parseIpv6(a), (b, i) => (i % 2 === 0 ? HEX[b] : `${HEX[b]}:`))
    .join('')
    .slice(0, -1);
}

/** A u32 list joined by '-' (AS paths, communities). */
export function dashed(list: readonly number[]): string {
  return list.join('-');
}
