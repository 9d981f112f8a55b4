/**
 * sFlow-RT's key functions (https://sflow-rt.com/define_flow.php, "Key Functions"), `name:arg1:arg2…`, each
 * compiled once into a function of one sample. Their meaning comes from sFlow-RT's documentation and from how
 * its apps (github.com/sflow-rt) use them:
 *   or:k1:k2…            the first of the keys the sample has (or:tcpsourceport:udpsourceport)
 *   null:k[:v]           k, or v (default `null`) when the sample lacks k: flows with missing fields
 *   group:k:set1[:set2…] the address group (groups.ts) k falls in, sets tried in order until one matches
 *   mask:k:bits          an address with its host bits cleared (mask:ipsource:24 → 10.1.2.0)
 *   prefix:k:delim:n     the first n delim-separated tokens (prefix:stack:.:1 → eth)
 *   suffix:k:delim:n     the last n tokens (suffix:dnsqname:.:2)
 *   first:k:delim:t1…    the first token that is one of t1… (first:stack:.:ip:ip6 → the outer IP version)
 *   eq:k1:k2             `true` when the two keys are equal (eq:bgpsourceas:bgpas)
 *   range:k:lo[:hi]      `true` when lo ≤ k ≤ hi, no upper bound without hi (range:ipfragoffset:1)
 *   if:k:v:then:else     the key `then` when k is v, else the key `else`
 *   bucket:k:e1:e2…      sflowkit's own: which of the ranges the rising edges make k falls in, `<e1`, `e1-e2`,
 *                        …, `>=eN` (bucket:duration:1000:10000 → a response-time histogram's bins)
 *   concat:sep:k1:k2…    the keys joined by sep (concat:\::a:b joins with ':')
 *   bits:k:mask          k AND mask, in decimal (bits:ip6flowlabel:261884)
 *   uri:k:part           a part of a URL (uri-parts.ts)
 *   oui:k                a MAC address's OUI, 6 hex digits (its vendor name needs the IEEE registry)
 * Those needing data sflowkit does not have (GeoIP, ASN, DNS, topology, maps) are refused by name.
 */

import { ipv6Text, parseIpv6 } from '../xdr/address-text.js';
import type { KeyFn, NumFn } from './flow-keys.js';
import { bool, decimal, ipv4Number } from './key-format.js';
import { arity, bound, integer, type KeyFunction, nonEmpty, numberOf } from './key-function-args.js';
import { TEXT_FUNCTIONS } from './key-text-functions.js';

export type { FunctionScope, KeyFunction } from './key-function-args.js';

/** sFlow-RT functions sflowkit knows but cannot evaluate, and why. */
export const UNSUPPORTED_FUNCTIONS: Record<string, string> = {
  country: 'needs a GeoIP database, which sflowkit does not have',
  asn: 'needs an ASN database, which sflowkit does not have',
  dns: 'needs reverse DNS lookups, which sflowkit does not make',
  map: 'needs named maps (setMap), which sflowkit does not have',
  link: 'needs the network topology, which sflowkit does not have',
  node: 'needs the network topology, which sflowkit does not have',
  ifname: 'needs the network topology, which sflowkit does not have',
};

function maskAddress(address: string, bits: number): string | undefined {
  const v4 = ipv4Number(address);
  if (v4 >= 0) {
    if (bits > 32) return undefined;
    const m = bits === 0 ? 0 : (v4 & (-1 << (32 - bits))) >>> 0;
    return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}`;
  }
  if (!address.includes(':')) return undefined;
  let b: Uint8Array;
  try {
    b = parseIpv6(address);
  } catch {
    return undefined;
  }
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    b[i] &= (0xff00 >> keep) & 0xff;
  }
  return ipv6Text(b);
}

export const KEY_FUNCTIONS: Record<string, KeyFunction> = {
  or(call, scope) {
    arity(call, scope, 2, 64, 'two or more flow keys, like or:ipsource:ip6source');
    const keys = call.args.map((a) => scope.key(a));
    const fns = keys.map((k) => k.fn);
    const fn: KeyFn = (ctx) => {
      for (let i = 0; i < fns.length; i++) {
        const v = fns[i](ctx);
        if (v !== undefined) return v;
      }
      return undefined;
    };
    if (!keys.every((k) => k.num !== undefined)) return { fn };
    const nums = keys.map((k) => k.num as NumFn);
    const num: NumFn = (ctx) => {
      for (let i = 0; i < nums.length; i++) {
        const v = nums[i](ctx);
        if (v !== undefined) return v;
      }
      return undefined;
    };
    return { fn, num };
  },

  null(call, scope) {
    arity(call, scope, 1, 2, 'a flow key and the value for when it is missing, like null:vlan:undefined');
    const k = scope.key(call.args[0]);
    const missing = call.args[1]?.text ?? 'null';
    const get = k.fn;
    return { fn: (ctx) => get(ctx) ?? missing, ...(k.normalize ? { normalize: k.normalize } : {}) };
  },

  group(call, scope) {
    arity(call, scope, 2, 64, 'an address key and one or more group sets, like group:ipsource:internal');
    const get = scope.key(call.args[0]).fn;
    const sets = call.args.slice(1).map((a) => nonEmpty(a, scope, 'group set name'));
    const groups = scope.env.groups;
    if (sets.length === 1) {
      const set = sets[0];
      return {
        fn: (ctx) => {
          const a = get(ctx);
          return a === undefined ? undefined : groups.lookup(set, a);
        },
      };
    }
    return {
      fn: (ctx) => {
        const a = get(ctx);
        if (a === undefined) return undefined;
        for (let i = 0; i < sets.length; i++) {
          const g = groups.lookup(sets[i], a);
          if (g !== undefined) return g;
        }
        return undefined;
      },
    };
  },

  mask(call, scope) {
    arity(call, scope, 2, 2, 'an address key and a prefix length, like mask:ipsource:24');
    const get = scope.key(call.args[0]).fn;
    const bits = integer(call.args[1], scope, 0, 128);
    return {
      fn: (ctx) => {
        const a = get(ctx);
        return a === undefined ? undefined : maskAddress(a, bits);
      },
    };
  },

  eq(call, scope) {
    arity(call, scope, 2, 2, 'two flow keys, like eq:ipsource:ipdestination');
    const a = scope.key(call.args[0]).fn;
    const b = scope.key(call.args[1]).fn;
    return {
      fn: (ctx) => {
        const x = a(ctx);
        if (x === undefined) return undefined;
        const y = b(ctx);
        return y === undefined ? undefined : bool(x === y);
      },
    };
  },

  range(call, scope) {
    arity(call, scope, 2, 3, 'a numeric key and bounds, like range:tcpsourceport:0:1023');
    const value = numberOf(scope.key(call.args[0]));
    const lo = bound(call.args[1], scope, Number.NEGATIVE_INFINITY);
    const hi = bound(call.args[2], scope, Number.POSITIVE_INFINITY);
    return {
      fn: (ctx) => {
        const v = value(ctx);
        return v === undefined ? undefined : bool(v >= lo && v <= hi);
      },
    };
  },

  bucket(call, scope) {
    arity(call, scope, 2, 16, 'a numeric key and rising edges, like bucket:duration:1000:10000:100000');
    const value = numberOf(scope.key(call.args[0]));
    const edges = call.args.slice(1).map((a) => bound(a, scope, Number.NaN));
    for (const [i, e] of edges.entries())
      if (Number.isNaN(e) || (i > 0 && e <= edges[i - 1]))
        throw scope.error(
          `'${call.args[i + 1].text}' is not a number above the edge before it`,
          call.args[i + 1].at,
        );
    const labels = [`<${edges[0]}`, ...edges.slice(1).map((e, i) => `${edges[i]}-${e}`), `>=${edges.at(-1)}`];
    return {
      fn: (ctx) => {
        const v = value(ctx);
        if (v === undefined) return undefined;
        let i = 0;
        while (i < edges.length && v >= edges[i]) i++;
        return labels[i];
      },
    };
  },

  if(call, scope) {
    arity(
      call,
      scope,
      4,
      4,
      'a key, a value and two keys, like if:[first:stack:.:ip:ip6]:ip:ipsource:ip6source',
    );
    const test = scope.key(call.args[0]).fn;
    const expected = call.args[1].text;
    const then = scope.key(call.args[2]).fn;
    const otherwise = scope.key(call.args[3]).fn;
    return { fn: (ctx) => (test(ctx) === expected ? then(ctx) : otherwise(ctx)) };
  },

  bits(call, scope) {
    arity(call, scope, 2, 2, 'a numeric key and a mask, like bits:ip6flowlabel:261884');
    const value = numberOf(scope.key(call.args[0]));
    const mask = integer(call.args[1], scope, 0, 0xffffffff);
    const num: NumFn = (ctx) => {
      const v = value(ctx);
      return v === undefined ? undefined : (v & mask) >>> 0;
    };
    return {
      fn: (ctx) => {
        const v = num(ctx);
        return v === undefined ? undefined : decimal(v);
      },
      num,
    };
  },

  ...TEXT_FUNCTIONS,
};
