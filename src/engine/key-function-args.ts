/**
 * What a key function compiler gets (its scope: compile an argument as a key, make an error, the groups) and
 * the argument checks the functions share, each failing with the function's usage or the argument's fault.
 */
import type { CompiledKey, KeyEnv, NumFn } from './flow-keys.js';
import type { FlowSpecError, KeyArg, KeyCall } from './key-syntax.js';

export interface FunctionScope {
  /** Compiles an argument as a key (a name, or a `[…]` expression). */
  key(arg: KeyArg): CompiledKey;
  error(reason: string, at: number): FlowSpecError;
  env: KeyEnv;
}

export type KeyFunction = (call: KeyCall, scope: FunctionScope) => CompiledKey;

export function arity(call: KeyCall, scope: FunctionScope, min: number, max: number, usage: string): void {
  const n = call.args.length;
  if (n < min || n > max) throw scope.error(`takes ${usage}`, call.at);
}

export function integer(arg: KeyArg, scope: FunctionScope, min: number, max: number): number {
  const t = arg.text.trim();
  const n = /^(0x[0-9a-f]+|\d+)$/i.test(t) ? Number(t) : Number.NaN;
  if (!(n >= min && n <= max))
    throw scope.error(`'${arg.text}' is not a whole number from ${min} to ${max}`, arg.at);
  return n;
}

export function bound(arg: KeyArg | undefined, scope: FunctionScope, missing: number): number {
  if (arg === undefined || arg.text.trim() === '') return missing;
  const n = Number(arg.text.trim());
  if (Number.isNaN(n)) throw scope.error(`'${arg.text}' is not a number`, arg.at);
  return n;
}

/** A key's number: its own when it has one, else its text read as a number. */
export function numberOf(k: CompiledKey): NumFn {
  if (k.num !== undefined) return k.num;
  const fn = k.fn;
  return (ctx) => {
    const s = fn(ctx);
    if (s === undefined || s === '') return undefined;
    const n = Number(s);
    return Number.isNaN(n) ? undefined : n;
  };
}

export function nonEmpty(arg: KeyArg, scope: FunctionScope, what: string): string {
  if (arg.text === '') throw scope.error(`the ${what} is empty`, arg.at);
  return arg.text;
}
