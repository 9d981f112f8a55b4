/**
 * sFlow-RT's key functions over text (see key-functions.ts for the list): prefix:, suffix:, first: and
 * concat: on delimited tokens, uri: on URLs, oui: on MAC addresses. Token scans use indexOf and startsWith,
 * not split, so that only the result is a new string.
 */
import { arity, integer, type KeyFunction, nonEmpty } from './key-function-args.js';
import { URI_PARTS, type UriPart, uriPart } from './uri-parts.js';

/** The offset of the end of the first `n` tokens of s (separated by delim), or s.length if it has fewer. */
function prefixEnd(s: string, delim: string, n: number): number {
  let at = -delim.length;
  for (let i = 0; i < n; i++) {
    at = s.indexOf(delim, at + delim.length);
    if (at < 0) return s.length;
  }
  return at;
}

/** The offset of the start of the last `n` tokens of s, or 0 if it has fewer. */
function suffixStart(s: string, delim: string, n: number): number {
  let at = s.length;
  for (let i = 0; i < n; i++) {
    if (at === 0) return 0;
    at = s.lastIndexOf(delim, at - 1);
    if (at < 0) return 0;
  }
  return at + delim.length;
}

export const TEXT_FUNCTIONS: Record<string, KeyFunction> = {
  prefix(call, scope) {
    arity(call, scope, 3, 3, 'a key, a separator and a token count, like prefix:stack:.:2');
    const get = scope.key(call.args[0]).fn;
    const delim = nonEmpty(call.args[1], scope, 'separator');
    const n = integer(call.args[2], scope, 1, 1024);
    return {
      fn: (ctx) => {
        const s = get(ctx);
        if (s === undefined) return undefined;
        const end = prefixEnd(s, delim, n);
        return end === s.length ? s : s.slice(0, end);
      },
    };
  },

  suffix(call, scope) {
    arity(call, scope, 3, 3, 'a key, a separator and a token count, like suffix:dnsqname:.:2');
    const get = scope.key(call.args[0]).fn;
    const delim = nonEmpty(call.args[1], scope, 'separator');
    const n = integer(call.args[2], scope, 1, 1024);
    return {
      fn: (ctx) => {
        const s = get(ctx);
        if (s === undefined) return undefined;
        const start = suffixStart(s, delim, n);
        return start === 0 ? s : s.slice(start);
      },
    };
  },

  first(call, scope) {
    arity(call, scope, 3, 64, 'a key, a separator and the tokens to look for, like first:stack:.:ip:ip6');
    const get = scope.key(call.args[0]).fn;
    const delim = nonEmpty(call.args[1], scope, 'separator');
    const tokens = call.args.slice(2).map((a) => a.text);
    const find = (s: string): string | undefined => {
      for (let start = 0; start <= s.length; ) {
        let end = s.indexOf(delim, start);
        if (end < 0) end = s.length;
        for (let i = 0; i < tokens.length; i++) {
          const t = tokens[i];
          if (t.length === end - start && s.startsWith(t, start)) return t;
        }
        start = end + delim.length;
      }
      return undefined;
    };
    // Its usual input, the stack, takes few values: remember the answers (null for none), boundedly.
    const memo = new Map<string, string | null>();
    return {
      fn: (ctx) => {
        const s = get(ctx);
        if (s === undefined) return undefined;
        let t = memo.get(s);
        if (t === undefined) {
          t = find(s) ?? null;
          if (memo.size >= 1024) memo.clear();
          memo.set(s, t);
        }
        return t ?? undefined;
      },
    };
  },

  concat(call, scope) {
    arity(call, scope, 3, 64, 'a separator and two or more keys, like concat:-:ipsource:ipdestination');
    const sep = call.args[0].text;
    const fns = call.args.slice(1).map((a) => scope.key(a).fn);
    return {
      fn: (ctx) => {
        let out = '';
        for (let i = 0; i < fns.length; i++) {
          const v = fns[i](ctx);
          if (v === undefined) return undefined;
          out = i === 0 ? v : out + sep + v;
        }
        return out;
      },
    };
  },

  uri(call, scope) {
    arity(call, scope, 2, 2, `a URL key and a part (${URI_PARTS.join(', ')}), like uri:httpurl:path`);
    const get = scope.key(call.args[0]).fn;
    const part = call.args[1].text as UriPart;
    if (!URI_PARTS.includes(part))
      throw scope.error(`'${call.args[1].text}' is not a URI part`, call.args[1].at);
    return {
      fn: (ctx) => {
        const u = get(ctx);
        return u === undefined ? undefined : uriPart(u, part);
      },
    };
  },

  oui(call, scope) {
    arity(call, scope, 1, 2, 'a MAC address key, like oui:macsource');
    const form = call.args[1]?.text ?? 'number';
    if (form === 'name')
      throw scope.error(
        'vendor names need the IEEE OUI registry, which sflowkit does not have',
        call.args[1].at,
      );
    if (form !== 'number') throw scope.error(`'${form}' is not 'number' or 'name'`, call.args[1].at);
    const get = scope.key(call.args[0]).fn;
    return {
      fn: (ctx) => {
        const m = get(ctx);
        return m === undefined || m.length !== 12 ? undefined : m.slice(0, 6);
      },
    };
  },
};
