/**
 * Addresses in the page: which group a host falls in (its /24 or /64 by default, else the longest prefix of a
 * group set from GET /group/json, as the server's `group:` key function decides), for the cluster's scope and
 * the application map, and a numeric order so that the map's hosts keep their places around their circle.
 */

/** An address as bytes: 4 for IPv4, 16 for IPv6; undefined when the text is neither. */
export function parseIp(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return Uint8Array.from(parts, Number);
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (s: string) => (s === '' ? [] : s.split(':'));
  const head = words(halves[0]);
  const tail = halves.length === 2 ? words(halves[1]) : [];
  // A dotted IPv4 tail (::ffff:10.0.0.1) stands for the last two words.
  const last = (tail.length > 0 ? tail : head).at(-1);
  const v4 = last?.includes('.') ? parseIpv4(last) : undefined;
  if (last?.includes('.')) {
    if (v4 === undefined) return undefined;
    (tail.length > 0 ? tail : head).splice(
      -1,
      1,
      ((v4[0] << 8) | v4[1]).toString(16),
      ((v4[2] << 8) | v4[3]).toString(16),
    );
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((w) => !/^[0-9a-f]{1,4}$/i.test(w))) return undefined;
  const bytes = new Uint8Array(16);
  for (const [i, w] of all.entries()) {
    const n = Number.parseInt(w, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  }
  return bytes;
}

/** Bytes back to text: dotted IPv4, or IPv6 with its longest run of zero words (two or more) as `::`. */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (best < 0) return hex(words);
  return `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLength))}`;
}

/** Keeps the first `length` bits. */
function masked(bytes: Uint8Array, length: number): Uint8Array {
  return bytes.map((b, i) => {
    const bits = length - 8 * i;
    return bits >= 8 ? b : bits <= 0 ? 0 : b & (0xff << (8 - bits));
  });
}

/** The default grouping: an IPv4 host's /24, an IPv6 host's /64 (a subnet as most sites number them). */
export function subnetOf(address: string): string {
  const bytes = parseIp(address);
  if (bytes === undefined) return OTHER;
  const length = bytes.length === 4 ? 24 : 64;
  return `${formatIp(masked(bytes, length))}/${length}`;
}

/** The group of hosts that are in none of a set's groups, or are not addresses at all. */
export const OTHER = 'other';

interface Block {
  group: string;
  length: number;
  network: Uint8Array;
}

/**
 * The group of each address in a set of groups ({group: [CIDR…]}): the longest prefix holding it wins, and
 * between equal prefixes the group named first, as on the server (src/engine/groups.ts).
 */
export function groupMatcher(set: Record<string, string[]>): (address: string) => string {
  const blocks: Block[] = [];
  for (const [group, cidrs] of Object.entries(set))
    for (const cidr of cidrs) {
      const [text, len] = cidr.split('/');
      const bytes = parseIp(text.trim());
      if (bytes === undefined) continue;
      const length = len === undefined ? bytes.length * 8 : Number(len);
      if (!(length >= 0 && length <= bytes.length * 8)) continue;
      blocks.push({ group, length, network: masked(bytes, length) });
    }
  // A stable sort keeps definition order among equal lengths.
  blocks.sort((a, b) => b.length - a.length);
  return (address) => {
    const bytes = parseIp(address);
    if (bytes === undefined) return OTHER;
    const block = blocks.find(
      (b) => b.network.length === bytes.length && equal(masked(bytes, b.length), b.network),
    );
    return block?.group ?? OTHER;
  };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.every((x, i) => x === b[i]);
}

/** IPv4 before IPv6, each in numeric order; anything else after, by its text. */
export function compareAddresses(a: string, b: string): number {
  const [x, y] = [sortKey(a), sortKey(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

const keys = new Map<string, string>();

function sortKey(address: string): string {
  let key = keys.get(address);
  if (key === undefined) {
    const bytes = parseIp(address);
    key =
      bytes === undefined
        ? `9${address}`
        : `${bytes.length === 4 ? 4 : 6}${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    // Bounded: the map holds at most a few hundred hosts at a time, but an open page runs for days.
    if (keys.size > 10_000) keys.clear();
    keys.set(address, key);
  }
  return key;
}

/** Groups in a stable order: subnets and group names numerically, "other" last. */
export function compareGroups(a: string, b: string): number {
  if (a === OTHER || b === OTHER) return (a === OTHER ? 1 : 0) - (b === OTHER ? 1 : 0);
  const [x, y] = [a.split('/')[0], b.split('/')[0]];
  if (parseIp(x) && parseIp(y)) return compareAddresses(x, y);
  return a.localeCompare(b, undefined, { numeric: true });
}

/** The end of an address that tells hosts of one group apart: ".7" of 10.1.2.7, "::a" of fd00:1:2::a. */
export function shortName(address: string): string {
  if (address.includes(':')) return `:${address.slice(address.lastIndexOf(':'))}`;
  const dot = address.lastIndexOf('.');
  return dot < 0 ? address : address.slice(dot);
}
