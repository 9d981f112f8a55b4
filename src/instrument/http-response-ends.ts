/**
 * How a data source learns that a response ended, without a listener on every response: the application's
 * `end()` (wrapped on the prototype, http-response-tap.ts) tells it, and a connection that closes first abandons
 * the response it was carrying (Node's `_httpMessage`, the response it writes). The connection remembers its
 * data source.
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

/** Responses counted when their connection closed, before the application ended them. */
const abandoned = new WeakSet<ServerResponse>();

interface Followed extends Socket {
  [SOURCE]?: ResponseEnds;
  /** The response Node's server is writing on this connection (set by assignSocket, cleared by detachSocket). */
  _httpMessage?: ServerResponse | null;
}

/** The application has ended `res` (its first `end()`): its data source, if it has one, is told. */
export function responseEnded(res: ServerResponse): void {
  const socket = res.req.socket as Followed | null;
  const source = socket?.[SOURCE];
  if (source === undefined) return;
  // A response whose connection had closed was counted then, as abandoned.
  if (!(res.destroyed && abandoned.has(res))) source.ended(res);
}

function onClose(this: Followed): void {
  const res = this._httpMessage;
  if (!res || res.writableEnded) return;
  abandoned.add(res);
  this[SOURCE]?.ended(res);
}

/**
 * The responses on `socket` end by telling `source`. Nothing is stored per request: a connection is old by then,
 * and each store of a young response into it would go through V8's write barrier (docs/benchmarks.md).
 */
export function follow(socket: Socket, source: ResponseEnds): void {
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
}
