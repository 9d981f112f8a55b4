/**
 * Flow key values as sFlow-RT writes them, made without garbage on the per-sample path: numbers in decimal,
 * bit fields as strings of binary digits (`tcpflags~.......1.` tests SYN in sFlow-RT's flow-trend app; ipflags
 * `001` and ipecn `11` in its ddos-protect and ai-metrics apps), MAC addresses as 12 upper-case hex digits
 * (`macdestination=FFFFFFFFFFFF` in flow-trend), booleans as `true`/`false`. Sampled traffic repeats its values
 * (ports, protocols, the few MACs a port sees), so the texts are made once and kept.
 */

import { ipv6Text, parseIpv6 } from '../xdr/address-text.js';

const SMALL = 65536;
const decimals: (string | undefined)[] = new Array(SMALL);

/** A non-negative integer (or any number) in decimal; those below 65536 made once. */
export function decimal(n: number): string {
  if (n >= 0 && n < SMALL && Number.isInteger(n)) {
    const s = decimals[n];
    if (s !== undefined) return s;
    const made = String(n);
    decimals[n] = made;
    return made;
  }
  return String(n);
}

function binaryTable(bits: number): string[] {
  return Array.from({ length: 1 << bits }, (_, i) => i.toString(2).padStart(bits, '0'));
}

const BINARY: Record<number, string[]> = {
  2: binaryTable(2),
  3: binaryTable(3),
  8: binaryTable(8),
  9: binaryTable(9),
};

/** The low `bits` of `n` as binary digits, most significant first (bits is 2, 3, 8 or 9). */
export function binary(n: number, bits: 2 | 3 | 8 | 9): string {
  return BINARY[bits][n & ((1 << bits) - 1)];
}

export function bool(b: boolean): string {
  return b ? 'true' : 'false';
}

/** Colon MAC text to sFlow-RT's; a bounded cache of the few thousand MACs a collector sees again and again. */
const macs = new Map<string, string>();
const MAX_MACS = 16384;

export function rtMac(colon: string): string {
  let s = macs.get(colon);
  if (s === undefined) {
    s = colon.replace(/[:-]/g, '').toUpperCase();
    if (macs.size >= MAX_MACS) macs.clear();
    macs.set(colon, s);
  }
  return s;
}

/** A MAC as a user may write it (`ff:ff:ff:ff:ff:ff`, `ff-ff-…`, `ffffffffffff`) in sFlow-RT's form; else as is. */
export function normalizeMac(text: string): string {
  const bare = text.replace(/[:-]/g, '');
  return /^[0-9A-Fa-f]{12}$/.test(bare) ? bare.toUpperCase() : text;
}

/** IANA DSCP registry names (https://www.iana.org/assignments/dscp-registry), else the number. */
const DSCP_NAMES: Record<number, string> = {
  0: 'CS0',
  1: 'LE',
  8: 'CS1',
  10: 'AF11',
  12: 'AF12',
  14: 'AF13',
  16: 'CS2',
  18: 'AF21',
  20: 'AF22',
  22: 'AF23',
  24: 'CS3',
  26: 'AF31',
  28: 'AF32',
  30: 'AF33',
  32: 'CS4',
  34: 'AF41',
  36: 'AF42',
  38: 'AF43',
  40: 'CS5',
  44: 'VOICE-ADMIT',
  46: 'EF',
  48: 'CS6',
  56: 'CS7',
};

export function dscpName(dscp: number): string {
  return DSCP_NAMES[dscp] ?? decimal(dscp);
}

const decoder = new TextDecoder();

/** An XDR string (text, or its bytes when they were not UTF-8) as text. */
export function text(s: string | Uint8Array): string {
  return typeof s === 'string' ? s : decoder.decode(s);
}

/** An IPv4 address text as a 32-bit number, or -1 when it is not one; no allocation. */
export function ipv4Number(s: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      part = part * 10 + (c - 0x30);
      if (part > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

/** An IPv6 address as a user may write it (`2001:DB8:0::1`) in the decoder's RFC 5952 form; else as is. */
export function normalizeIpv6(address: string): string {
  try {
    return ipv6Text(parseIpv6(address));
  } catch {
    return address;
  }
}
