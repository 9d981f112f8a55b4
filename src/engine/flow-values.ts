/**
 * sFlow-RT's flow values (https://sflow-rt.com/define_flow.php: "Numeric Flow Key, e.g. bytes, frames,
 * requests, duration"; its older help lists the prefixes rate:, avg: and count:, and its ai-metrics app uses
 * min: and max:). A value compiles to a function giving one sample's amount, with what the engine does with it:
 *
 *   kind   spec                           amount per sample          the engine
 *   sum    bytes, frames, requests,       the number                 adds amount × ctx.scale (scaled) to the
 *          duration, any numeric key,                                flow's smoothed rate: a per-second rate
 *          rate:<key>                                                of the whole traffic
 *   avg    avg:<key>                      the key's number           keeps Σ amount and the number of samples,
 *                                                                    reports Σ/n: the mean per sample, unscaled
 *   min    min:<key>                      the key's number           reports the smallest amount in the window
 *   max    max:<key>                      the key's number           reports the largest amount in the window
 *   count  count:<key>                    1 when the key is there    counts the distinct values of `key(ctx)`
 *                                                                    per flow in the window (DDoS apps count
 *                                                                    sources: count:ipsource), unscaled
 *
 * undefined means the sample has no such amount (a frame count for an HTTP transaction, a duration for a
 * packet): it does not count for the flow. `frames` counts packet samples, `requests` transaction samples
 * (http_request, memcache_operation); `bytes` is the frame's length, or a transaction's bytes.
 */
import type { FlowContext } from './flow-context.js';
import { type CompiledKey, compileKeyExpr, type KeyEnv, type KeyFn, type NumFn } from './flow-keys.js';
import { FlowSpecError, parseKeyExpr, trim } from './key-syntax.js';

export type ValueKind = 'sum' | 'avg' | 'min' | 'max' | 'count';

export interface ValueFn {
  (ctx: FlowContext): number | undefined;
  readonly kind: ValueKind;
  /** Whether the engine multiplies the amount by ctx.scale (the sampling rate): only for sums. */
  readonly scaled: boolean;
  /** For count: the key whose distinct values are counted. */
  readonly key: KeyFn | undefined;
  /** The value as written. */
  readonly spec: string;
}

const PREFIXES: Record<string, ValueKind> = {
  avg: 'avg',
  min: 'min',
  max: 'max',
  count: 'count',
  rate: 'sum',
};

/** A sample that describes a packet: its header, or the sampled_ethernet/ipv4/ipv6 summary of one. */
function frames(ctx: FlowContext): number | undefined {
  for (const r of ctx.sample.records)
    if (
      r.name === 'sampled_header' ||
      r.name === 'sampled_ipv4' ||
      r.name === 'sampled_ipv6' ||
      r.name === 'sampled_ethernet'
    )
      return 1;
  return undefined;
}

/** A sample that describes a transaction (application sFlow). */
function requests(ctx: FlowContext): number | undefined {
  for (const r of ctx.sample.records)
    if (r.name === 'http_request' || r.name === 'http_request_deprecated' || r.name === 'memcache_operation')
      return 1;
  return undefined;
}

const COUNTS: Record<string, NumFn> = { frames, requests };

function make(amount: NumFn, kind: ValueKind, spec: string, key?: KeyFn): ValueFn {
  const fn = ((ctx: FlowContext) => amount(ctx)) as ValueFn & Record<string, unknown>;
  Object.assign(fn, { kind, scaled: kind === 'sum', key, spec });
  return fn;
}

/** Compiles a value; throws FlowSpecError naming what is not a value. */
export function compileValue(spec: string, env: KeyEnv): ValueFn {
  const [a, b] = trim(spec, 0, spec.length);
  if (a === b) throw new FlowSpecError('missing value (like bytes, frames or avg:duration)', spec, a);
  const colon = spec.indexOf(':', a);
  const prefix = colon < 0 ? undefined : spec.slice(a, colon).trim();
  const kind = prefix !== undefined && Object.hasOwn(PREFIXES, prefix) ? PREFIXES[prefix] : undefined;
  const from = kind === undefined ? a : colon + 1;
  const name = spec.slice(from, b).trim();
  if (Object.hasOwn(COUNTS, name)) return make(COUNTS[name], kind ?? 'sum', spec);
  const key = compileKeyExpr(spec, parseKeyExpr(spec, from, b), env);
  if (kind === 'count') return make(present(key.fn), 'count', spec, key.fn);
  return make(numeric(key, spec, from), kind ?? 'sum', spec);
}

function present(fn: KeyFn): NumFn {
  return (ctx) => (fn(ctx) === undefined ? undefined : 1);
}

/** The key's number: its own, or for a key function its text read as a number. */
function numeric(key: CompiledKey, spec: string, at: number): NumFn {
  if (key.num !== undefined) return key.num;
  const expr = parseKeyExpr(spec, at, spec.length);
  if (expr.kind === 'name')
    throw new FlowSpecError(
      `'${expr.name}' is not numeric (count:${expr.name} counts its distinct values)`,
      spec,
      at,
    );
  const fn = key.fn;
  return (ctx) => {
    const s = fn(ctx);
    if (s === undefined || s === '') return undefined;
    const n = Number(s);
    return Number.isNaN(n) ? undefined : n;
  };
}
