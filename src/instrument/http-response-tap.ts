/**
 * What the application hands Node for a sampled response: writeHead's arguments (whose headers getHeader() does
 * not see) and the body's bytes (as Apache counts them: the body given, without chunked framing). Only the
 * sampled response's own writeHead, write and end are wrapped; its state is found again when it ends.
 */
import type { ServerResponse } from 'node:http';
import { chunkBytes } from './http-request-fields.js';

export interface Tapped {
  headArgs: unknown[];
  body: number;
}

const tapped = new Map<ServerResponse, Tapped>();

type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/** What the application hands `res` goes into `t`, until untap(). */
export function tap(res: ServerResponse, t: Tapped): void {
  tapped.set(res, t);
  const r = res as unknown as Record<'writeHead' | 'write' | 'end', Method>;
  const { writeHead, write, end } = r;
  r.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    t.headArgs = args;
    return writeHead.apply(this, args);
  };
  r.write = function (this: ServerResponse, ...args: unknown[]) {
    t.body += chunkBytes(args[0], args[1]);
    return write.apply(this, args);
  };
  r.end = function (this: ServerResponse, ...args: unknown[]) {
    if (typeof args[0] !== 'function') t.body += chunkBytes(args[0], args[1]);
    return end.apply(this, args);
  };
}

/** The state `res` was tapped with, if it was; it is tapped no more. */
export function untap(res: ServerResponse): Tapped | undefined {
  if (tapped.size === 0) return undefined;
  const t = tapped.get(res);
  if (t !== undefined) tapped.delete(res);
  return t;
}
