/**
 * Address text for the per-sample hot path: exactly the text of macText, ipv4Text and ipv6Text in
 * ../xdr/address-text.ts (a property test holds them equal), made cheaply. Making strings costs more than
 * the rest of the decode (Node 20, bench-header.ts): a MAC from macText's 11-part template ~200 ns, from one
 * String.fromCharCode call ~65 ns; a dotted quad ~80–130 ns; ipv6Text's arrays, slice and join several
 * hundred. Once address-text.ts is that cheap, formatMac and formatIpv6 here can go; the caches stay. Sampled traffic repeats its
 * addresses heavily (a switch port sees few MACs, a flow many packets), so each kind of address has a small
 * direct-mapped cache of the strings it made: a hit is a few array reads. An address is kept only when seen
 * a second time in its slot: keeping every one made misses twice as slow (each kept string outlives a
 * young-generation GC and gets copied and promoted), and one-off addresses gain nothing from being kept.
 * Strings are immutable, so sharing them is safe; memory is bounded by the table sizes.
 */
import { ipv4Text } from '../xdr/address-text.js';

const BITS = 12;
const SIZE = 1 << BITS;
const SHIFT = 32 - BITS;

/** Fibonacci hashing (Knuth): the top bits of key × 2^32/φ spread nearby keys over the table. */
function slot(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> SHIFT;
}

// ---- MAC ----------------------------------------------------------------------------------------------

const HEX_HI = Uint16Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').charCodeAt(0));
const HEX_LO = Uint16Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').charCodeAt(1));
const COLON = 0x3a;

/** Colon-separated lower-case hex, as macText, made as one flat string (no intermediate concatenations). */
export function formatMac(b: Uint8Array, at: number): string {
  const b0 = b[at];
  const b1 = b[at + 1];
  const b2 = b[at + 2];
  const b3 = b[at + 3];
  const b4 = b[at + 4];
  const b5 = b[at + 5];
  return String.fromCharCode(
    HEX_HI[b0],
    HEX_LO[b0],
    COLON,
    HEX_HI[b1],
    HEX_LO[b1],
    COLON,
    HEX_HI[b2],
    HEX_LO[b2],
    COLON,
    HEX_HI[b3],
    HEX_LO[b3],
    COLON,
    HEX_HI[b4],
    HEX_LO[b4],
    COLON,
    HEX_HI[b5],
    HEX_LO[b5],
  );
}

const macHigh = new Int32Array(SIZE);
/** The low 16 bits of the MAC; -1 marks an empty entry. */
const macLow = new Int32Array(SIZE).fill(-1);
const macStrings: string[] = new Array<string>(SIZE).fill('');

export function macString(b: Uint8Array, at: number): string {
  const high = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
  const low = (b[at + 4] << 8) | b[at + 5];
  const i = slot(high ^ Math.imul(low, 0x85ebca6b));
  if (macLow[i] === low && macHigh[i] === high) {
    const cached = macStrings[i];
    if (cached !== '') return cached;
    const text = formatMac(b, at);
    macStrings[i] = text;
    return text;
  }
  macHigh[i] = high;
  macLow[i] = low;
  macStrings[i] = '';
  return formatMac(b, at);
}

// ---- IPv4 ---------------------------------------------------------------------------------------------

const ipv4Keys = new Int32Array(SIZE);
/** '' marks an empty entry (key 0 is a real address). */
const ipv4Strings: string[] = new Array<string>(SIZE).fill('');

export function ipv4String(b: Uint8Array, at: number): string {
  const key = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
  const i = slot(key);
  if (ipv4Keys[i] === key) {
    const cached = ipv4Strings[i];
    if (cached !== '') return cached;
    const text = ipv4Text(b, at);
    ipv4Strings[i] = text;
    return text;
  }
  ipv4Keys[i] = key;
  ipv4Strings[i] = '';
  return ipv4Text(b, at);
}

// ---- IPv6 ---------------------------------------------------------------------------------------------

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Hex of a byte without leading zeros. */
const HEX1 = Array.from({ length: 256 }, (_, i) => i.toString(16));

/** The 16-bit word `i` of the address at `at`, as hex without leading zeros. */
function wordText(b: Uint8Array, at: number, i: number): string {
  const hi = b[at + 2 * i];
  const lo = b[at + 2 * i + 1];
  return hi === 0 ? HEX1[lo] : HEX1[hi] + HEX2[lo];
}

function isZeroWord(b: Uint8Array, at: number, i: number): boolean {
  return b[at + 2 * i] === 0 && b[at + 2 * i + 1] === 0;
}

/** RFC 5952 text, as ipv6Text (and inet_ntop): IPv4-mapped and -compatible addresses keep a dotted quad. */
export function formatIpv6(b: Uint8Array, at: number): string {
  let zeroHead = 0;
  while (zeroHead < 5 && isZeroWord(b, at, zeroHead)) zeroHead++;
  if (zeroHead === 5) {
    if (b[at + 10] === 0xff && b[at + 11] === 0xff) return `::ffff:${ipv4Text(b, at + 12)}`;
    if (isZeroWord(b, at, 5) && !isZeroWord(b, at, 6)) return `::${ipv4Text(b, at + 12)}`;
  }
  // The longest run of two or more zero words becomes '::' (the first such run on a tie).
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (!isZeroWord(b, at, i)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < 8 && isZeroWord(b, at, j)) j++;
    if (j - i > bestLength) {
      bestAt = i;
      bestLength = j - i;
    }
    i = j;
  }
  let s = '';
  if (bestAt < 0) {
    for (let i = 0; i < 8; i++) s += i === 0 ? wordText(b, at, i) : `:${wordText(b, at, i)}`;
    return s;
  }
  for (let i = 0; i < bestAt; i++) s += i === 0 ? wordText(b, at, i) : `:${wordText(b, at, i)}`;
  s += '::';
  const after = bestAt + bestLength;
  for (let i = after; i < 8; i++) s += i === after ? wordText(b, at, i) : `:${wordText(b, at, i)}`;
  return s;
}

/** The address as four 32-bit words, entry `i` at 4i … 4i+3; '' in ipv6Strings marks an empty entry. */
const ipv6Keys = new Int32Array(SIZE * 4);
const ipv6Strings: string[] = new Array<string>(SIZE).fill('');

function word32(b: Uint8Array, at: number): number {
  return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

export function ipv6String(b: Uint8Array, at: number): string {
  const w0 = word32(b, at);
  const w1 = word32(b, at + 4);
  const w2 = word32(b, at + 8);
  const w3 = word32(b, at + 12);
  const i = slot(w0 ^ Math.imul(w1, 0x85ebca6b) ^ Math.imul(w2, 0xc2b2ae35) ^ Math.imul(w3, 0x27d4eb2f));
  const k = 4 * i;
  if (ipv6Keys[k + 3] === w3 && ipv6Keys[k + 2] === w2 && ipv6Keys[k + 1] === w1 && ipv6Keys[k] === w0) {
    const cached = ipv6Strings[i];
    if (cached !== '') return cached;
    const text = formatIpv6(b, at);
    ipv6Strings[i] = text;
    return text;
  }
  ipv6Keys[k] = w0;
  ipv6Keys[k + 1] = w1;
  ipv6Keys[k + 2] = w2;
  ipv6Keys[k + 3] = w3;
  ipv6Strings[i] = '';
  return formatIpv6(b, at);
}
