/**
 * Named sets of address groups, as sFlow-RT's setGroups and /group/{name}/json take them (e.g. ddos-protect's
 * {external:['0.0.0.0/0'], private:['10.0.0.0/8', …]}): `group:ipsource:<set>` gives the name of the group with
 * the longest prefix holding the address, so a catch-all 0.0.0.0/0 group and narrower ones can overlap. A
 * lookup tries one map per prefix length present, longest first; results are cached per address, since
 * sampled traffic repeats its addresses, and the cache is bounded.
 */

import { parseIpv6 } from '../xdr/address-text.js';
import { parseCidr } from './cidr.js';
import { ipv4Number } from './key-format.js';
import { SpecError } from './spec-error.js';

/** One set: its definition as given, and its prefixes by length. */
class GroupSet {
  /** Prefix lengths present, longest first, with the network (as a number) → group name of each. */
  private readonly v4: { length: number; networks: Map<number, string> }[] = [];
  private readonly v6: { length: number; networks: Map<bigint, string> }[] = [];
  private readonly cache = new Map<string, string | null>();

  constructor(readonly definition: Record<string, string[]>) {
    const v4 = new Map<number, Map<number, string>>();
    const v6 = new Map<number, Map<bigint, string>>();
    for (const [group, blocks] of Object.entries(definition)) {
      for (const text of blocks) {
        const c = parseCidr(text);
        // The first group to name a block keeps it: definitions are read in order.
        if (c.bytes.length === 4) {
          let m = v4.get(c.prefix);
          if (m === undefined) {
            m = new Map();
            v4.set(c.prefix, m);
          }
          const net = maskV4(bytesToNumber(c.bytes), c.prefix);
          if (!m.has(net)) m.set(net, group);
        } else {
          let m = v6.get(c.prefix);
          if (m === undefined) {
            m = new Map();
            v6.set(c.prefix, m);
          }
          const net = maskV6(bytesToBigint(c.bytes), c.prefix);
          if (!m.has(net)) m.set(net, group);
        }
      }
    }
    for (const [length, networks] of [...v4].sort((a, b) => b[0] - a[0])) this.v4.push({ length, networks });
    for (const [length, networks] of [...v6].sort((a, b) => b[0] - a[0])) this.v6.push({ length, networks });
  }

  lookup(address: string): string | undefined {
    const hit = this.cache.get(address);
    if (hit !== undefined) return hit ?? undefined;
    const g = this.find(address);
    if (this.cache.size >= CACHE_SIZE) this.cache.clear();
    this.cache.set(address, g ?? null);
    return g;
  }

  private find(address: string): string | undefined {
    const a4 = ipv4Number(address);
    if (a4 >= 0) {
      for (const { length, networks } of this.v4) {
        const g = networks.get(maskV4(a4, length));
        if (g !== undefined) return g;
      }
      return undefined;
    }
    if (this.v6.length === 0 || !address.includes(':')) return undefined;
    let a6: bigint;
    try {
      a6 = bytesToBigint(parseIpv6(address));
    } catch {
      return undefined;
    }
    for (const { length, networks } of this.v6) {
      const g = networks.get(maskV6(a6, length));
      if (g !== undefined) return g;
    }
    return undefined;
  }
}

/** Addresses whose group is remembered per set before the cache starts over. */
const CACHE_SIZE = 65536;

function bytesToNumber(b: Uint8Array): number {
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

function bytesToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function maskV4(a: number, length: number): number {
  return length === 0 ? 0 : (a & (-1 << (32 - length))) >>> 0;
}

const ALL_128 = (1n << 128n) - 1n;

function maskV6(a: bigint, length: number): bigint {
  return a & (ALL_128 ^ ((1n << BigInt(128 - length)) - 1n));
}

/** Checks and compiles one set's definition. */
function compileSet(name: string, groups: unknown): GroupSet {
  if (typeof name !== 'string' || name === '') throw new SpecError('a group set needs a name');
  if (typeof groups !== 'object' || groups === null || Array.isArray(groups))
    throw new SpecError(
      `group set '${name}' must map group names to address blocks, like {"internal":["10.0.0.0/8"]}`,
    );
  const copy: Record<string, string[]> = {};
  for (const [group, blocks] of Object.entries(groups)) {
    if (group === '') throw new SpecError(`group set '${name}' has a group with an empty name`);
    if (!Array.isArray(blocks))
      throw new SpecError(`group '${group}' of set '${name}' must be a list of address blocks`);
    for (const b of blocks) {
      if (typeof b !== 'string')
        throw new SpecError(`group '${group}' of set '${name}': ${JSON.stringify(b)} is not text`);
      try {
        parseCidr(b.trim());
      } catch (e) {
        throw new SpecError(`group '${group}' of set '${name}': ${(e as Error).message}`);
      }
    }
    copy[group] = blocks.map((b: string) => b.trim());
  }
  return new GroupSet(copy);
}

export class Groups {
  private readonly sets = new Map<string, GroupSet>();

  /** Defines (or redefines) set `name`; throws SpecError naming the group and block that is wrong. */
  set(name: string, groups: unknown): void {
    this.sets.set(name, compileSet(name, groups));
  }

  /** Replaces every set by those of `all` ({set: {group: [blocks]}}), all checked before any is changed. */
  replace(all: unknown): void {
    if (typeof all !== 'object' || all === null || Array.isArray(all))
      throw new SpecError('group sets must be an object of sets, like {"site":{"internal":["10.0.0.0/8"]}}');
    const sets = Object.entries(all).map(([name, groups]) => [name, compileSet(name, groups)] as const);
    this.sets.clear();
    for (const [name, set] of sets) this.sets.set(name, set);
  }

  /** The definition of set `name`, as given. */
  get(name: string): Record<string, string[]> | undefined {
    return this.sets.get(name)?.definition;
  }

  delete(name: string): boolean {
    return this.sets.delete(name);
  }

  all(): Record<string, Record<string, string[]>> {
    return Object.fromEntries([...this.sets].map(([n, s]) => [n, s.definition]));
  }

  /** The group of set `setName` whose longest prefix holds `address`; undefined if none (or no such set). */
  lookup(setName: string, address: string): string | undefined {
    return this.sets.get(setName)?.lookup(address);
  }
}
