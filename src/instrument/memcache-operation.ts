/**
 * One memcache operation as the proxy's parsers see it on the wire (https://sflow.org/sflow_memcache.txt,
 * memcache_operation 0:2200), the queue of those awaiting their response on a connection, and the error that
 * ends parsing of a connection's stream.
 */
import { MEMCACHE_COMMANDS, MEMCACHE_PROTOCOLS, MEMCACHE_STATUSES } from '../sflow/records/memcache.js';

type Codes<T extends Record<number, string>> = { readonly [K in T[keyof T] & string]: number };

/** The spec's enumeration by name (CMD.GET is 7), from the codec's own tables rather than retyped. */
function codes<T extends Record<number, string>>(table: T): Codes<T> {
  return Object.fromEntries(Object.entries(table).map(([n, name]) => [name, Number(n)])) as Codes<T>;
}

export const PROTOCOL = codes(MEMCACHE_PROTOCOLS);
export const CMD = codes(MEMCACHE_COMMANDS);
export const STATUS = codes(MEMCACHE_STATUSES);

/** The shape of the response a text request gets. */
export const EXPECT = {
  /** One line: STORED, NOT_FOUND, a number, VERSION …, ERROR … */
  LINE: 0,
  /** VALUE blocks, then END (get, gets, gat, gats). */
  VALUES: 1,
  /** STAT (ITEM, PREFIX) lines, then END; or one line (RESET, OK, an error). */
  STATS: 2,
  /** Nothing: noreply, quit. The operation is done when read. */
  NONE: 3,
} as const;

export interface Operation {
  protocol: number;
  cmd: number;
  /** The first key's bytes (text keys are latin1 strings, byte for byte), kept only when sampled. */
  key: string | Uint8Array | undefined;
  nkeys: number;
  /** Bytes of the value stored, or of the first key's value found. */
  valueBytes: number;
  status: number;
  sampled: boolean;
  /** performance.now() when the request was read, for a sampled operation. */
  started: number;
  /** Microseconds from request to response, set when it completes. */
  uS: number;
  /** Text: what the response looks like (EXPECT). */
  expect: number;
  /**
   * Binary quiet commands (a getq miss, a setq success): the status it has when the server says nothing, known
   * once a later request is answered (-1: a response is due).
   */
  silent: number;
  /** Binary: the request's opcode and opaque, which its response echoes. */
  opcode: number;
  opaque: number;
  /** Text retrieval: the first key was among the values returned. */
  found: boolean;
}

export function operation(protocol: number, cmd: number): Operation {
  return {
    protocol,
    cmd,
    key: undefined,
    nkeys: 0,
    valueBytes: 0,
    status: STATUS.UNKNOWN,
    sampled: false,
    started: 0,
    uS: 0,
    expect: EXPECT.LINE,
    silent: -1,
    opcode: 0,
    opaque: 0,
    found: false,
  };
}

/** Why a connection's stream can no longer be followed (it is still forwarded, no longer sampled). */
export type LostCode =
  | 'LINE_TOO_LONG'
  | 'UNSUPPORTED_COMMAND'
  | 'BAD_MAGIC'
  | 'BAD_HEADER'
  | 'UNEXPECTED_RESPONSE'
  | 'QUEUE_FULL';

export class ProtocolError extends Error {
  constructor(
    readonly code: LostCode,
    message: string,
  ) {
    super(message);
  }
}

/** FIFO of the operations sent and not yet answered on one connection; bounded, so memory is. */
export class OperationQueue {
  private items: (Operation | undefined)[] = [];
  private head = 0;

  constructor(readonly max: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(op: Operation): void {
    if (this.size >= this.max)
      throw new ProtocolError('QUEUE_FULL', `more than ${this.max} operations awaiting their response`);
    this.items.push(op);
  }

  peek(): Operation | undefined {
    return this.items[this.head];
  }

  shift(): Operation | undefined {
    const op = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      // Drop the consumed front now and then, not on every shift (Array#shift is O(n)).
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return op;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** What the parsers of one connection report to: its queue, and the sampler behind it. */
export interface OperationTrack {
  readonly queue: OperationQueue;
  /** Decides whether a request just read is sampled (then its key and start time are kept). */
  begin(op: Operation): boolean;
  /** Queues it for its response. */
  expect(op: Operation): void;
  /** It is done, with this status (the caller took it off the queue, if it was on it). */
  finish(op: Operation, status: number): void;
}
