/**
 * The exporter's UDP socket: a node:dgram Socket, made so that it adds no new kind of EventEmitter to the
 * process it runs in (with sflowkit/http, the application's).
 * Why: V8 keeps one set of type feedback for EventEmitter.init, shared by every emitter that Node constructs.
 * Its first stores (`_events`, `_eventsCount`) stay fast while they have seen at most four hidden classes. A
 * small ESM server has seen exactly four: the module loader's FileHandle, the http.Server, the plain
 * EventEmitter that Node's cluster module makes when a server listens, and ServerResponse. A dgram Socket
 * made by createSocket() is a fifth. Then those stores go generic in the constructor of every response:
 * about 220 instructions a request (docs/benchmarks.md). Built on a plain EventEmitter, the socket only
 * reaches the constructor's other branch, the one Node's streams take, which has fewer kinds.
 * In a larger application those stores have usually gone generic already, and this changes nothing.
 */
import { createSocket, Socket, type SocketType } from 'node:dgram';
import { EventEmitter } from 'node:events';

type SocketConstructor = (this: object, type: SocketType) => void;

/** A dgram Socket of `type`, as createSocket(type) gives. */
export function udpSocket(type: SocketType): Socket {
  try {
    const s = new EventEmitter();
    Object.setPrototypeOf(s, Socket.prototype);
    // Node's Socket is a function constructor that sets up `this` (its handle, its state); it checks no new.target.
    (Socket as unknown as SocketConstructor).call(s, type);
    return s as Socket;
  } catch {
    // A Node whose Socket cannot be called so (a class, say): an ordinary one.
    return createSocket(type);
  }
}
