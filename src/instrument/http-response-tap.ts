/**
 * The end of every response (the application's first `end()`, told to http-response-ends.ts), and what the
 * application hands Node for a sampled one: writeHead's arguments (whose headers getHeader() does not see) and
 * the body's bytes (as Apache counts them: the body given, without chunked framing).
 * The wrappers sit on ServerResponse.prototype while an instrumentation is open, and note only the responses
 * tapped. They are not put on each sampled response: a response with methods of its own has a hidden class
 * of its own, and Node's code that every response runs through then stops inlining and goes megamorphic
 * (docs/benchmarks.md).
 */
import { ServerResponse } from 'node:http';
import { chunkBytes } from './http-request-fields.js';
import { responseEnded } from './http-response-ends.js';

export interface Tapped {
  headArgs: unknown[];
  body: number;
}

const tapped = new Map<ServerResponse, Tapped>();

type Method = (this: ServerResponse, a: unknown, b: unknown, c: unknown) => unknown;
type Name = 'writeHead' | 'write' | 'end';

const proto = ServerResponse.prototype as unknown as Record<Name, Method>;
let before: Record<Name, Method> | undefined;
let open = 0;

// Three parameters passed on as they came, not a rest array: forwarding one cost every response some 600
// instructions, not inlined (docs/benchmarks.md). Node's methods take three and read no `arguments`.
function wrappers(m: Record<Name, Method>): Record<Name, Method> {
  const { writeHead, write, end } = m;
  return {
    writeHead(a, b, c) {
      if (tapped.size !== 0) {
        const t = tapped.get(this);
        if (t !== undefined) t.headArgs = [a, b, c];
      }
      return writeHead.call(this, a, b, c);
    },
    write(a, b, c) {
      if (tapped.size !== 0) {
        const t = tapped.get(this);
        if (t !== undefined) t.body += chunkBytes(a, b);
      }
      return write.call(this, a, b, c);
    },
    end(a, b, c) {
      if (tapped.size !== 0) {
        const t = tapped.get(this);
        if (t !== undefined && typeof a !== 'function') t.body += chunkBytes(a, b);
      }
      const first = !this.writableEnded;
      const r = end.call(this, a, b, c);
      if (first) responseEnded(this);
      return r;
    },
  };
}

/** Our wrappers, while they are on the prototype. */
let ours: Record<Name, Method> | undefined;

/** An instrumentation opens: the wrappers go on, until as many have closed. */
export function openTaps(): void {
  if (open++ > 0 || ours !== undefined) return;
  before = { writeHead: proto.writeHead, write: proto.write, end: proto.end };
  ours = wrappers(before);
  Object.assign(proto, ours);
}

/**
 * The last instrumentation closes: Node's methods come back. Unless somebody has wrapped ours since: then ours
 * stay, doing nothing while no response is tapped, and are used again at the next open.
 */
export function closeTaps(): void {
  if (open === 0 || --open > 0) return;
  tapped.clear();
  const names = ['writeHead', 'write', 'end'] as const;
  if (!before || !ours || names.some((name) => proto[name] !== ours?.[name])) return;
  for (const name of names) proto[name] = before[name];
  ours = undefined;
}

/** What the application hands `res` goes into `t`, until untap(). */
export function tap(res: ServerResponse, t: Tapped): void {
  tapped.set(res, t);
}

/** The state `res` was tapped with, if it was; it is tapped no more. */
export function untap(res: ServerResponse): Tapped | undefined {
  if (tapped.size === 0) return undefined;
  const t = tapped.get(res);
  if (t !== undefined) tapped.delete(res);
  return t;
}
