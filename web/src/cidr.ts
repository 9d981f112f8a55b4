/** Which group of a group set (GET /group/json) an address falls in: the longest prefix wins, as on the server. */

export type GroupSet = Record<string, string[]>;

function parse(address: string): { v6: boolean; bits: bigint } | undefined {
  if (address.includes(':')) {
    const [head, tail = ''] = address.split('::');
    const words = (s: string) => (s === '' ? [] : s.split(':'));
    const h = words(head);
    const t = address.includes('::') ? words(tail) : [];
    const all = address.includes('::') ? [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t] : h;
    if (all.length !== 8) return undefined;
    let bits = 0n;
    for (const w of all) bits = (bits << 16n) | BigInt(Number.parseInt(w || '0', 16));
    return { v6: true, bits };
  }
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return undefined;
  return { v6: false, bits: parts.reduce((b, p) => (b << 8n) | BigInt(p), 0n) };
}

interface Block {
  group: string;
  v6: boolean;
  length: number;
  network: bigint;
}

/** A matcher for one group set; undefined for addresses in none of its groups. */
export function groupMatcher(set: GroupSet): (address: string) => string | undefined {
  const blocks: Block[] = [];
  for (const [group, cidrs] of Object.entries(set))
    for (const c of cidrs) {
      const [addr, len] = c.split('/');
      const a = parse(addr);
      if (a === undefined) continue;
      const length = len === undefined ? (a.v6 ? 128 : 32) : Number(len);
      blocks.push({ group, v6: a.v6, length, network: mask(a.bits, a.v6, length) });
    }
  blocks.sort((x, y) => y.length - x.length);
  return (address) => {
    const a = parse(address);
    if (a === undefined) return undefined;
    return blocks.find((b) => b.v6 === a.v6 && mask(a.bits, a.v6, b.length) === b.network)?.group;
  };
}

function mask(bits: bigint, v6: boolean, length: number): bigint {
  const width = v6 ? 128n : 32n;
  const host = width - BigInt(length);
  return (bits >> host) << host;
}
