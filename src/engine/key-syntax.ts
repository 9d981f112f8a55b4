/**
 * The syntax sFlow-RT's flow keys, filters and values share (https://sflow-rt.com/define_flow.php): a key is a
 * name (`ipsource`, `ipsource.1` for the first inner packet) or a function `name:arg1:arg2…`, whose arguments
 * nest as `[…]` (`prefix:[uri:httpurl:path]:/:2`). A backslash takes the next character literally, so that an
 * argument can hold a separator (`concat:\::a:b`, the `:` joining the keys, as sFlow-RT's ai-metrics app
 * writes it). This file turns text into that tree, with the offset of every part for error messages; compiling
 * the tree is flow-keys.ts's.
 */
import { SpecError } from './spec-error.js';

/**
 * A key, filter or value the engine cannot take: the message names the part that is wrong and where it starts
 * (`position`, an offset into `spec`). A SpecError, so the API answers it with a 400.
 */
export class FlowSpecError extends SpecError {
  override name = 'FlowSpecError';

  constructor(
    /** What is wrong, without where. */
    readonly reason: string,
    readonly spec: string,
    readonly position: number,
  ) {
    super(`${reason} at position ${position} of '${spec}'`);
  }
}

/** A key expression: a key name, or a function applied to arguments. */
export type KeyExpr = KeyName | KeyCall;

export interface KeyName {
  kind: 'name';
  name: string;
  at: number;
}

export interface KeyCall {
  kind: 'call';
  fn: string;
  args: KeyArg[];
  at: number;
}

/** A function argument: its literal text (escapes removed), and its expression when it was written `[…]`. */
export interface KeyArg {
  text: string;
  expr: KeyExpr | undefined;
  /** Its bounds in the spec. */
  at: number;
  end: number;
}

const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;

/**
 * The offset of the first of `stops` (character codes) in spec[from, end) that is outside brackets and not
 * escaped; `end` when there is none. Throws on a `]` without its `[`.
 */
export function scanTo(spec: string, from: number, end: number, stops: readonly number[]): number {
  let depth = 0;
  let outerOpen = -1;
  for (let i = from; i < end; i++) {
    const c = spec.charCodeAt(i);
    if (c === BACKSLASH) {
      i++;
    } else if (c === OPEN) {
      if (depth++ === 0) outerOpen = i;
    } else if (c === CLOSE) {
      if (depth === 0) throw new FlowSpecError("']' without its '['", spec, i);
      depth--;
    } else if (depth === 0 && stops.includes(c)) {
      return i;
    }
  }
  if (depth > 0) throw new FlowSpecError("'[' without its ']'", spec, outerOpen);
  return end;
}

/** spec[from, end) split at every top-level `sep`, each part's bounds. */
export function splitTop(spec: string, from: number, end: number, sep: number): [number, number][] {
  const parts: [number, number][] = [];
  let start = from;
  for (;;) {
    const at = scanTo(spec, start, end, [sep]);
    parts.push([start, at]);
    if (at >= end) return parts;
    start = at + 1;
  }
}

/** The text with each `\x` replaced by `x`. */
export function unescaped(text: string): string {
  return text.includes('\\') ? text.replace(/\\(.)/gs, '$1') : text;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The bounds of spec[from, end) without surrounding white space. */
export function trim(spec: string, from: number, end: number): [number, number] {
  let a = from;
  let b = end;
  while (a < b && isSpace(spec.charCodeAt(a))) a++;
  while (b > a && isSpace(spec.charCodeAt(b - 1))) b--;
  return [a, b];
}

/** Whether spec[from, end) is one `[…]` group (its `[` matched by its last character). */
function isBracketed(spec: string, from: number, end: number): boolean {
  if (end - from < 2 || spec.charCodeAt(from) !== OPEN || spec.charCodeAt(end - 1) !== CLOSE) return false;
  let depth = 0;
  for (let i = from; i < end; i++) {
    const c = spec.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return i === end - 1;
  }
  return false;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[0-9]+)?$/;
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Parses the key expression in spec[from, end). */
export function parseKeyExpr(spec: string, from: number, end: number): KeyExpr {
  const [a, b] = trim(spec, from, end);
  if (a === b) throw new FlowSpecError('missing flow key', spec, a);
  if (isBracketed(spec, a, b)) return parseKeyExpr(spec, a + 1, b - 1);
  const parts = splitTop(spec, a, b, 0x3a);
  if (parts.length === 1) {
    const name = spec.slice(a, b);
    if (!NAME.test(name)) throw new FlowSpecError(`'${name}' is not a flow key name`, spec, a);
    return { kind: 'name', name, at: a };
  }
  const fn = spec.slice(parts[0][0], parts[0][1]).trim();
  if (!FUNCTION_NAME.test(fn)) throw new FlowSpecError(`'${fn}' is not a key function name`, spec, a);
  const args = parts.slice(1).map(([s, e]): KeyArg => {
    const expr = isBracketed(spec, s, e) ? parseKeyExpr(spec, s + 1, e - 1) : undefined;
    return { text: unescaped(spec.slice(s, e)), expr, at: s, end: e };
  });
  return { kind: 'call', fn, args, at: a };
}
