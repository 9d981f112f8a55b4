/**
 * memcached's binary protocol, both ways (https://github.com/memcached/memcached/wiki/BinaryProtocolRevamped):
 * 24-byte headers, bodies of extras, key and value. Responses echo the request's opcode and opaque; a quiet
 * command (getq, setq, …) is answered only when it has something to say (a hit, an error), so a response
 * that matches a later request means the quiet ones before it passed in silence.
 */
import {
  CMD,
  type Operation,
  type OperationTrack,
  operation,
  PROTOCOL,
  ProtocolError,
  STATUS,
} from './memcache-operation.js';
import { BlockStream } from './memcache-stream.js';

const HEADER = 24;
const REQUEST = 0x80;
const RESPONSE = 0x81;
const STAT = 0x10;

/** Opcode → [command reported, status when a quiet command gets no answer (-1: not quiet)]. */
const OPCODES: Record<number, [number, number]> = {
  0: [CMD.GET, -1],
  1: [CMD.SET, -1],
  2: [CMD.ADD, -1],
  3: [CMD.REPLACE, -1],
  4: [CMD.DELETE, -1],
  5: [CMD.INCR, -1],
  6: [CMD.DECR, -1],
  7: [CMD.QUIT, -1],
  8: [CMD.FLUSH, -1],
  9: [CMD.GET, STATUS.NOT_FOUND], // getq
  10: [CMD.OTHER, -1], // noop
  11: [CMD.VERSION, -1],
  12: [CMD.GET, -1], // getk
  13: [CMD.GET, STATUS.NOT_FOUND], // getkq
  14: [CMD.APPEND, -1],
  15: [CMD.PREPEND, -1],
  16: [CMD.STATS, -1],
  17: [CMD.SET, STATUS.STORED], // setq
  18: [CMD.ADD, STATUS.STORED],
  19: [CMD.REPLACE, STATUS.STORED],
  20: [CMD.DELETE, STATUS.DELETED],
  21: [CMD.INCR, STATUS.EXISTS],
  22: [CMD.DECR, STATUS.EXISTS],
  23: [CMD.QUIT, STATUS.OK], // quitq
  24: [CMD.FLUSH, STATUS.OK],
  25: [CMD.APPEND, STATUS.STORED],
  26: [CMD.PREPEND, STATUS.STORED],
  27: [CMD.OTHER, -1], // verbosity
  28: [CMD.TOUCH, -1],
  29: [CMD.GET, -1], // gat
  30: [CMD.GET, STATUS.NOT_FOUND], // gatq
  35: [CMD.GET, -1], // gatk
  36: [CMD.GET, STATUS.NOT_FOUND], // gatkq
};

/** set and setq: with a CAS in the header, the spec's CAS command. */
const SETS = new Set([0x01, 0x11]);
const STORES = new Set<number>([CMD.SET, CMD.ADD, CMD.REPLACE, CMD.APPEND, CMD.PREPEND, CMD.CAS]);

/**
 * The spec's status for a response's status word, answering `op`; the same as the text protocol would have
 * answered (an add of a key there: NOT_STORED, not EXISTS), so one command reads alike in both protocols.
 */
export function binaryStatus(op: Operation, status: number): number {
  const cmd = op.cmd;
  switch (status) {
    case 0x00:
      if (STORES.has(cmd)) return STATUS.STORED;
      if (cmd === CMD.DELETE) return STATUS.DELETED;
      // A hit, and incr/decr's new value: EXISTS, as memcached's own sFlow reported them.
      if (cmd === CMD.GET || cmd === CMD.INCR || cmd === CMD.DECR) return STATUS.EXISTS;
      return STATUS.OK;
    case 0x01: // key not found
      return cmd === CMD.REPLACE ? STATUS.NOT_STORED : STATUS.NOT_FOUND;
    case 0x02: // key exists
      return cmd === CMD.ADD ? STATUS.NOT_STORED : STATUS.EXISTS;
    case 0x05: // item not stored
      return STATUS.NOT_STORED;
    case 0x04: // invalid arguments
    case 0x06: // incr/decr of a value that is not a number
    case 0x20: // authentication error
      return STATUS.CLIENT_ERROR;
    case 0x81: // unknown command
    case 0x83: // not supported
      return STATUS.ERROR;
    case 0x03: // value too large
    case 0x07: // vbucket
    case 0x82: // out of memory
    case 0x84: // internal error
    case 0x85: // busy
    case 0x86: // temporary failure
      return STATUS.SERVER_ERROR;
  }
  return STATUS.UNKNOWN;
}

/** Client to server. */
export class BinaryRequests extends BlockStream {
  /** A sampled request whose key is being read: the header's key offset and length. */
  private keyOf: Operation | undefined;
  private keyAt = 0;
  private rest = 0;

  constructor(private readonly t: OperationTrack) {
    super(HEADER);
  }

  protected block(bytes: Buffer): void {
    if (this.keyOf !== undefined) {
      this.keyOf.key = Buffer.from(bytes.subarray(this.keyAt));
      this.keyOf = undefined;
      this.want = HEADER;
      this.skip = this.rest;
      return;
    }
    if (bytes[0] !== REQUEST)
      throw new ProtocolError('BAD_MAGIC', `request magic 0x${bytes[0].toString(16)} (memcached closes)`);
    const opcode = bytes[1];
    const keyLength = bytes.readUInt16BE(2);
    const extras = bytes[4];
    const body = bytes.readUInt32BE(8);
    if (extras + keyLength > body)
      throw new ProtocolError('BAD_HEADER', `key and extras longer than the body`);
    const [cmd, silent] = OPCODES[opcode] ?? [CMD.OTHER, -1];
    const op = operation(
      PROTOCOL.BINARY,
      SETS.has(opcode) && bytes.readBigUInt64BE(16) !== 0n ? CMD.CAS : cmd,
    );
    op.opcode = opcode;
    op.opaque = bytes.readUInt32BE(12);
    op.silent = silent;
    op.nkeys = keyLength > 0 ? 1 : 0;
    if (STORES.has(op.cmd)) op.valueBytes = body - extras - keyLength;
    const sampled = this.t.begin(op);
    this.t.expect(op);
    if (sampled && keyLength > 0) {
      this.keyOf = op;
      this.keyAt = extras;
      this.want = extras + keyLength;
      this.rest = body - this.want;
    } else this.skip = body;
  }
}

/** Server to client. */
export class BinaryResponses extends BlockStream {
  constructor(private readonly t: OperationTrack) {
    super(HEADER);
  }

  protected block(bytes: Buffer): void {
    if (bytes[0] !== RESPONSE)
      throw new ProtocolError('BAD_MAGIC', `response magic 0x${bytes[0].toString(16)}`);
    const opcode = bytes[1];
    const keyLength = bytes.readUInt16BE(2);
    const extras = bytes[4];
    const status = bytes.readUInt16BE(6);
    const body = bytes.readUInt32BE(8);
    const opaque = bytes.readUInt32BE(12);
    this.skip = body;
    const q = this.t.queue;
    let op = q.peek();
    while (op !== undefined && !(op.opcode === opcode && op.opaque === opaque)) {
      if (op.silent < 0)
        throw new ProtocolError('UNEXPECTED_RESPONSE', `opcode 0x${opcode.toString(16)} answers no request`);
      this.t.finish(q.shift()!, op.silent);
      op = q.peek();
    }
    if (op === undefined)
      throw new ProtocolError('UNEXPECTED_RESPONSE', `opcode 0x${opcode.toString(16)} answers no request`);
    // stat answers with one response a statistic, then one with no key and no value.
    if (opcode === STAT && status === 0 && (keyLength > 0 || body > 0)) return;
    if (status === 0 && op.cmd === CMD.GET) op.valueBytes = body - extras - keyLength;
    this.t.finish(q.shift()!, binaryStatus(op, status));
  }
}
