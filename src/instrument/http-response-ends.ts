/**
 * How a data source learns that a response ended, without a listener on every response: the application's
 * `end()` (wrapped on the prototype, http-response-tap.ts) tells it, and a connection that closes first abandons
 * the response it was carrying. The connection remembers its data source, and its latest response while that
 * is under way.
 * Why (docs/benchmarks.md): a 'close' listener on each response was half of what counting every request cost,
 * and Node's diagnostics channel 'http.server.response.finish' most of the rest (a message built and published
 * for every response).
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What is told of a response's end: ended by the application, or its connection closed before it was. */
export interface ResponseEnds {
  ended(res: ServerResponse): void;
}

const SOURCE = Symbol('sflowkit.source');
const LATEST = Symbol('sflowkit.response');

/** Responses counted when their connection closed, before the application ended them. */
const abandoned = new WeakSet<ServerResponse>();

interface Followed extends Socket {
  [SOURCE]?: ResponseEnds;
  [LATEST]?: ServerResponse;
}

/** The application has ended `res` (its first `end()`): its data source, if it has one, is told. */
export function responseEnded(res: ServerResponse): void {
  const socket = res.req.socket as Followed | null;
  const source = socket?.[SOURCE];
  if (source === undefined) return;
  // Let go of it: an idle keep-alive connection holding its last response keeps that response's objects alive
  // through collections, and V8 grows the young generation to hold them (docs/benchmarks.md).
  if (socket?.[LATEST] === res) socket[LATEST] = undefined;
  // A response whose connection had closed was counted then, as abandoned.
  if (!(res.destroyed && abandoned.has(res))) source.ended(res);
}

function onClose(this: Followed): void {
  const res = this[LATEST];
  if (res === undefined || res.writableEnded) return;
  this[LATEST] = undefined;
  abandoned.add(res);
  this[SOURCE]?.ended(res);
}

/** `res`, on `socket`, ends by telling `source`. */
export function follow(socket: Socket, res: ServerResponse, source: ResponseEnds): void {
  const s = socket as Followed;
  if (s[SOURCE] === undefined) {
    s.on('close', onClose);
    s[SOURCE] = source;
    // Node keeps a socket's addresses on it once they are read (_sockname, _peername): read at sampled requests
    // only, they would give the sampled connections other hidden classes than the rest, and V8 throws away the
    // server's optimised code each time a connection shows it a new one (docs/benchmarks.md). So every
    // connection has them read here, once.
    void s.localAddress;
    void s.remoteAddress;
  }
  s[LATEST] = res;
}
