/**
 * memcached's text protocol, both ways (https://github.com/memcached/memcached/blob/master/doc/protocol.txt):
 * where each request and response ends, its command, first key, number of keys, value size and status. What
 * frames the stream is copied from memcached's own reading of it (proto_text.c), errors included: a storage
 * command whose line does not parse has no data block, one that parses always has one (even when too large
 * to store: memcached swallows it), noreply silences every answer, an unknown command gets one line (ERROR).
 */
import {
  CMD,
  EXPECT,
  type Operation,
  type OperationTrack,
  operation,
  PROTOCOL,
  ProtocolError,
  STATUS,
} from './memcache-operation.js';
import { LineStream } from './memcache-stream.js';

/** memcached's KEY_MAX_LENGTH. */
const KEY_MAX = 250;
const INT_MAX = 0x7fffffff;

const STORAGE: Record<string, number> = {
  set: CMD.SET,
  add: CMD.ADD,
  replace: CMD.REPLACE,
  append: CMD.APPEND,
  prepend: CMD.PREPEND,
  cas: CMD.CAS,
};

/** Retrieval commands: the command reported and the token of the first key. */
const RETRIEVAL: Record<string, [number, number]> = {
  get: [CMD.GET, 1],
  gets: [CMD.GETS, 1],
  // Get-and-touch has no command of its own in the spec: it is a read.
  gat: [CMD.GET, 2],
  gats: [CMD.GETS, 2],
};

/** One-line commands that take noreply: the command, whether token 1 is a key, the token counts memcached takes. */
const NOREPLY: Record<string, [number, boolean, number, number]> = {
  incr: [CMD.INCR, true, 3, 4],
  decr: [CMD.DECR, true, 3, 4],
  delete: [CMD.DELETE, true, 2, 4],
  touch: [CMD.TOUCH, true, 3, 4],
  flush_all: [CMD.FLUSH, false, 1, 3],
  verbosity: [CMD.OTHER, false, 2, 3],
};

const OTHER: Record<string, number> = { stats: CMD.STATS, version: CMD.VERSION, quit: CMD.QUIT };

/**
 * Commands whose answers cannot be framed without their own grammar: the meta commands (data blocks, quiet
 * mode with its own rules), and streams (watch, LRU crawler dumps). A connection that uses them is forwarded
 * and no longer sampled.
 */
const UNSUPPORTED = new Set(['mg', 'ms', 'md', 'ma', 'mn', 'me', 'watch']);
const UNSUPPORTED_CRAWLER = new Set(['metadump', 'mgdump']);

const isUint = (s: string, max: number) => /^\d{1,20}$/.test(s) && Number(s) <= max;
const isInt = (s: string) => /^-?\d{1,10}$/.test(s) && Math.abs(Number(s)) <= INT_MAX + 1;

/** Client to server. */
export class TextRequests extends LineStream {
  constructor(private readonly t: OperationTrack) {
    super();
  }

  protected line(bytes: Buffer): void {
    const tokens = bytes.toString('latin1').split(' ');
    // memcached skips runs of spaces: so do we.
    const op = this.read(tokens.some((w) => w === '') ? tokens.filter((w) => w !== '') : tokens);
    // noreply and quit: no answer comes, the operation is done (its status unknown).
    if (op.expect === EXPECT.NONE) this.t.finish(op, STATUS.UNKNOWN);
    else this.t.expect(op);
  }

  private read(w: string[]): Operation {
    const name = w[0] ?? '';
    const storage = STORAGE[name];
    if (storage !== undefined) return this.storage(storage, w);
    const retrieval = RETRIEVAL[name];
    if (retrieval !== undefined) {
      const [cmd, first] = retrieval;
      const op = operation(PROTOCOL.ASCII, cmd);
      if (w.length <= first) this.t.begin(op);
      else {
        this.keyed(op, w[first], w.length - first);
        op.expect = EXPECT.VALUES;
      }
      return op;
    }
    const noreply = NOREPLY[name];
    if (noreply !== undefined) {
      const [cmd, keyed, min, max] = noreply;
      const op = operation(PROTOCOL.ASCII, cmd);
      if (keyed && w.length > 1) this.keyed(op, w[1], 1);
      else this.t.begin(op);
      if (w.length >= min && w.length <= max && w[w.length - 1] === 'noreply') op.expect = EXPECT.NONE;
      return op;
    }
    if (UNSUPPORTED.has(name) || (name === 'lru_crawler' && UNSUPPORTED_CRAWLER.has(w[1])))
      throw new ProtocolError('UNSUPPORTED_COMMAND', `'${name}' is not followed`);
    const op = operation(PROTOCOL.ASCII, OTHER[name] ?? CMD.OTHER);
    this.t.begin(op);
    if (name === 'stats') op.expect = EXPECT.STATS;
    // quit closes the connection without a word.
    else if (name === 'quit' && w.length === 1) op.expect = EXPECT.NONE;
    return op;
  }

  /** set, add, replace, append, prepend: KEY FLAGS EXPTIME BYTES [noreply]; cas: … BYTES CAS [noreply]. */
  private storage(cmd: number, w: string[]): Operation {
    const cas = cmd === CMD.CAS;
    const op = operation(PROTOCOL.ASCII, cmd);
    if (w.length < (cas ? 6 : 5) || w.length > (cas ? 7 : 6)) {
      // Not this command to memcached (ERROR), and no data block.
      this.t.begin(op);
      return op;
    }
    this.keyed(op, w[1], 1);
    const parses =
      w[1].length <= KEY_MAX &&
      isUint(w[2], 0xffffffff) &&
      isInt(w[3]) &&
      isUint(w[4], INT_MAX - 2) &&
      (!cas || /^\d{1,20}$/.test(w[5]));
    // A line that parses has its data block even when memcached refuses it (too large: it swallows the block).
    if (parses) {
      op.valueBytes = Number(w[4]);
      this.skip = op.valueBytes + 2;
    }
    if (w[w.length - 1] === 'noreply') op.expect = EXPECT.NONE;
    return op;
  }

  private keyed(op: Operation, key: string, nkeys: number): void {
    op.nkeys = nkeys;
    if (this.t.begin(op)) op.key = key;
  }
}

/** The status a one-line answer gives (https://sflow.org/sflow_memcache.txt, memcache_status). */
export function lineStatus(line: string): number {
  switch (line) {
    case 'STORED':
      return STATUS.STORED;
    case 'NOT_STORED':
      return STATUS.NOT_STORED;
    case 'EXISTS':
      return STATUS.EXISTS;
    case 'NOT_FOUND':
      return STATUS.NOT_FOUND;
    case 'DELETED':
      return STATUS.DELETED;
    case 'OK':
    case 'RESET':
    case 'END':
    // The spec has no TOUCHED: the command did what it was asked.
    case 'TOUCHED':
      return STATUS.OK;
    case 'ERROR':
      return STATUS.ERROR;
  }
  if (line.startsWith('CLIENT_ERROR')) return STATUS.CLIENT_ERROR;
  if (line.startsWith('SERVER_ERROR')) return STATUS.SERVER_ERROR;
  if (line.startsWith('ERROR')) return STATUS.ERROR;
  if (line.startsWith('VERSION ')) return STATUS.OK;
  // incr and decr answer with the new value: the key was there, EXISTS as memcached's own sFlow said of hits.
  if (/^\d+$/.test(line)) return STATUS.EXISTS;
  return STATUS.UNKNOWN;
}

/** Server to client: each answer completes the oldest request awaiting one. */
export class TextResponses extends LineStream {
  constructor(private readonly t: OperationTrack) {
    super();
  }

  protected line(bytes: Buffer): void {
    const op = this.t.queue.peek();
    const line = bytes.toString('latin1');
    if (op === undefined)
      throw new ProtocolError('UNEXPECTED_RESPONSE', `'${line.slice(0, 40)}' answers nothing`);
    if (op.expect === EXPECT.VALUES && line.startsWith('VALUE ')) {
      this.value(op, line);
      return;
    }
    if (
      op.expect === EXPECT.STATS &&
      (line.startsWith('STAT ') || line.startsWith('ITEM ') || line.startsWith('PREFIX '))
    )
      return;
    const status = this.final(op, line);
    if (status === undefined)
      throw new ProtocolError('UNEXPECTED_RESPONSE', `'${line.slice(0, 40)}' does not answer that request`);
    this.t.queue.shift();
    this.t.finish(op, status);
  }

  /** The status of the line that ends `op`'s answer; undefined when it cannot end it (out of step). */
  private final(op: Operation, line: string): number | undefined {
    const status = lineStatus(line);
    const error = status === STATUS.ERROR || status === STATUS.CLIENT_ERROR || status === STATUS.SERVER_ERROR;
    switch (op.expect) {
      case EXPECT.VALUES:
        // A get's own answer is END; an error ends it too (a key too long, after any values before it).
        if (line === 'END') return op.found ? STATUS.EXISTS : STATUS.NOT_FOUND;
        return error ? status : undefined;
      case EXPECT.STATS:
        return status === STATUS.UNKNOWN ? undefined : status;
    }
    if (line === 'END' || line.startsWith('VALUE ') || line.startsWith('STAT ')) return undefined;
    // Commands not modelled (slabs reassign, lru, …) answer in words of their own (BUSY, NOSPARE): any line.
    return status === STATUS.UNKNOWN && op.cmd !== CMD.OTHER ? undefined : status;
  }

  /** VALUE KEY FLAGS BYTES [CAS], then the data block. */
  private value(op: Operation, line: string): void {
    const w = line.split(' ');
    const n = Number(w[3]);
    if (!(w.length >= 4 && Number.isSafeInteger(n) && n >= 0))
      throw new ProtocolError('UNEXPECTED_RESPONSE', `bad value line '${line.slice(0, 60)}'`);
    this.skip = n + 2;
    // A sampled get reports its first key, hit or miss; for the counts, a get that found anything succeeded.
    if (op.found || (op.sampled && w[1] !== op.key)) return;
    op.found = true;
    op.valueBytes = n;
  }
}
