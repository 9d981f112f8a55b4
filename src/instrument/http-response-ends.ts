/**
 * How a data source learns that a response ended, without a listener on every response: Node publishes each
 * finished response on the diagnostics channel 'http.server.response.finish', and a connection that closes
 * first abandons the response it was carrying. The connection remembers its data source and its latest
 * response while that is under way (two properties, set at every request); the channel is subscribed while an
 * instrumentation is open.
 * Why (docs/benchmarks.md): a 'close' listener on each response was half of what counting every request cost.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What is told of a response's end: sent whole, or its connection closed before it was. */
export interface ResponseEnds {
  ended(res: ServerResponse): void;
}

const SOURCE = Symbol('sflowkit.source');
const LATEST = Symbol('sflowkit.response');

interface Followed extends Socket {
  [SOURCE]?: ResponseEnds;
  [LATEST]?: ServerResponse;
}

interface FinishMessage {
  response: ServerResponse;
  socket: Followed;
}

const CHANNEL = 'http.server.response.finish';
let open = 0;

function onFinish(message: unknown): void {
  const { response, socket } = message as FinishMessage;
  // Let go of it: an idle keep-alive connection holding its last response keeps that response's objects alive
  // through collections, and V8 grows the young generation to hold them (docs/benchmarks.md).
  if (socket[LATEST] === response) socket[LATEST] = undefined;
  // A response destroyed before it finished was counted as abandoned when its connection closed.
  if (!response.destroyed) socket[SOURCE]?.ended(response);
}

function onClose(this: Followed): void {
  const res = this[LATEST];
  if (res !== undefined && !res.writableFinished) this[SOURCE]?.ended(res);
}

/** `res`, on `socket`, ends by telling `source`. */
export function follow(socket: Socket, res: ServerResponse, source: ResponseEnds): void {
  const s = socket as Followed;
  if (s[SOURCE] === undefined) {
    s.on('close', onClose);
    // Node keeps a socket's addresses on it once they are read (_sockname, _peername): read at sampled requests
    // only, they would give the sampled connections other hidden classes than the rest, and V8 throws away the
    // server's optimised code each time a connection shows it a new one (docs/benchmarks.md). So every
    // connection has them read here, once.
    void s.localAddress;
    void s.remoteAddress;
  }
  s[SOURCE] = source;
  s[LATEST] = res;
}

/** An instrumentation opens: responses are followed until as many have closed. */
export function openResponseEnds(): void {
  if (open++ === 0) subscribe(CHANNEL, onFinish);
}

export function closeResponseEnds(): void {
  if (open > 0 && --open === 0) unsubscribe(CHANNEL, onFinish);
}
