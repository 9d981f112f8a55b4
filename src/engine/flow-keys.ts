/**
 * sFlow-RT's flow keys (https://sflow-rt.com/define_flow.php), compiled once into functions of one sample:
 * `compileKeys("ipsource,ipdestination,or:tcpsourceport:udpsourceport", env)` gives one KeyFn per key. A key
 * is a name from the tables in packet-keys.ts (the sampled header, with `.1`, `.2` for inner packets) and
 * record-keys.ts (the sample and its other records), or a key function (key-functions.ts) over keys.
 * A KeyFn returns the key's text as sFlow-RT writes it (key-format.ts), or undefined when the sample does not
 * have it: the sample then does not count for that flow.
 */
import { MAX_TUNNEL_DEPTH } from '../packet/index.js';
import type { FlowContext } from './flow-context.js';
import type { Groups } from './groups.js';
import { KEY_FUNCTIONS, UNSUPPORTED_FUNCTIONS } from './key-functions.js';
import { FlowSpecError, type KeyArg, type KeyExpr, parseKeyExpr, splitTop, trim } from './key-syntax.js';
import { PACKET_KEYS, type PacketKey } from './packet-keys.js';
import { SAMPLE_KEYS } from './record-keys.js';

export { FlowSpecError } from './key-syntax.js';

export type KeyFn = (ctx: FlowContext) => string | undefined;
/** The number behind a numeric key (ports, lengths, durations), for values and range:. */
export type NumFn = (ctx: FlowContext) => number | undefined;

export interface KeyEnv {
  groups: Groups;
}

/** A compiled key: its text, its number when it has one, and how to write a filter value in its form. */
export interface CompiledKey {
  fn: KeyFn;
  num?: NumFn;
  normalize?: (text: string) => string;
}

/** Every key name, without the `.N` depth forms the packet keys also take. */
export const FLOW_KEY_NAMES: readonly string[] = Object.freeze(
  [...Object.keys(PACKET_KEYS), ...Object.keys(SAMPLE_KEYS)].sort(),
);

/** Compiles a comma-separated list of keys; an empty list compiles to no keys (one flow for everything). */
export function compileKeys(spec: string, env: KeyEnv): KeyFn[] {
  const [a, b] = trim(spec, 0, spec.length);
  if (a === b) return [];
  return splitTop(spec, a, b, 0x2c).map(([s, e]) => compileKeyExpr(spec, parseKeyExpr(spec, s, e), env).fn);
}

/** Compiles one parsed key expression of `spec` (keys, a filter's left side, a value). */
export function compileKeyExpr(spec: string, expr: KeyExpr, env: KeyEnv): CompiledKey {
  if (expr.kind === 'name') {
    const k = keyNamed(expr.name);
    if (k === undefined) throw new FlowSpecError(unknownKey(expr.name), spec, expr.at);
    return k;
  }
  const unsupported = UNSUPPORTED_FUNCTIONS[expr.fn];
  if (unsupported !== undefined)
    throw new FlowSpecError(`key function '${expr.fn}:' ${unsupported}`, spec, expr.at);
  const compile = Object.hasOwn(KEY_FUNCTIONS, expr.fn) ? KEY_FUNCTIONS[expr.fn] : undefined;
  if (compile === undefined) throw new FlowSpecError(`unknown key function '${expr.fn}:'`, spec, expr.at);
  return compile(expr, {
    key: (arg: KeyArg) => compileKeyExpr(spec, arg.expr ?? parseKeyExpr(spec, arg.at, arg.end), env),
    error: (reason: string, at: number) => new FlowSpecError(`${expr.fn}: ${reason}`, spec, at),
    env,
  });
}

function unknownKey(name: string): string {
  const m = DEPTH.exec(name);
  if (m !== null && Object.hasOwn(PACKET_KEYS, m[1]))
    return `'${name}': packets nest at most ${MAX_TUNNEL_DEPTH} deep`;
  if (m !== null && Object.hasOwn(SAMPLE_KEYS, m[1]))
    return `'${m[1]}' is not a packet key: it has no '.N' form`;
  return `unknown flow key '${name}'`;
}

const DEPTH = /^(.+)\.(\d+)$/;
const compiled = new Map<string, CompiledKey>();

/** The key called `name` (`ipsource`, `ipsource.1`), or undefined; one closure per name, shared. */
function keyNamed(name: string): CompiledKey | undefined {
  let k = compiled.get(name);
  if (k !== undefined) return k;
  if (Object.hasOwn(SAMPLE_KEYS, name)) {
    k = SAMPLE_KEYS[name];
  } else {
    const m = DEPTH.exec(name);
    const base = m === null ? name : m[1];
    const depth = m === null ? 0 : Number(m[2]);
    if (!Object.hasOwn(PACKET_KEYS, base) || depth > MAX_TUNNEL_DEPTH) return undefined;
    k = packetKey(PACKET_KEYS[base], depth);
  }
  compiled.set(name, k);
  return k;
}

function packetKey(def: PacketKey, depth: number): CompiledKey {
  const k: CompiledKey = { fn: atDepth(def.get, depth, depth === 0 ? def.fallback : undefined) };
  if (def.num !== undefined) k.num = atDepth(def.num, depth, depth === 0 ? def.numFallback : undefined);
  if (def.normalize !== undefined) k.normalize = def.normalize;
  return k;
}

type Reader<T> = (p: NonNullable<ReturnType<FlowContext['packet']>>, ctx: FlowContext) => T | undefined;

/** `get` applied to the packet `depth` tunnels in; at depth 0, `fallback` when the sample has no header. */
function atDepth<T>(get: Reader<T>, depth: number, fallback?: (ctx: FlowContext) => T | undefined) {
  if (depth === 0) {
    if (fallback !== undefined)
      return (ctx: FlowContext): T | undefined => {
        const p = ctx.packet();
        return p === undefined ? fallback(ctx) : get(p, ctx);
      };
    return (ctx: FlowContext): T | undefined => {
      const p = ctx.packet();
      return p === undefined ? undefined : get(p, ctx);
    };
  }
  return (ctx: FlowContext): T | undefined => {
    let p = ctx.packet();
    for (let i = 0; i < depth && p !== undefined; i++) p = p.inner;
    return p === undefined ? undefined : get(p, ctx);
  };
}

const SAMPLE_ENTRIES = Object.entries(SAMPLE_KEYS);
const PACKET_ENTRIES = Object.entries(PACKET_KEYS);
/** `name.N` for each packet key and depth, made once. */
const DEPTH_NAMES = PACKET_ENTRIES.map(([name]) =>
  Array.from({ length: MAX_TUNNEL_DEPTH + 1 }, (_, d) => (d === 0 ? name : `${name}.${d}`)),
);

/** The key names that have a value in this sample (for /flowkeys/json): every table key read once. */
export function presentKeys(ctx: FlowContext): string[] {
  const out: string[] = [];
  for (const [name, k] of SAMPLE_ENTRIES) if (k.fn(ctx) !== undefined) out.push(name);
  const p = ctx.packet();
  if (p === undefined) {
    for (const [name, k] of PACKET_ENTRIES) if (k.fallback?.(ctx) !== undefined) out.push(name);
    return out;
  }
  let q: typeof p | undefined = p;
  for (let d = 0; q !== undefined && d <= MAX_TUNNEL_DEPTH; d++, q = q.inner)
    for (let i = 0; i < PACKET_ENTRIES.length; i++)
      if (PACKET_ENTRIES[i][1].get(q, ctx) !== undefined) out.push(DEPTH_NAMES[i][d]);
  return out;
}
