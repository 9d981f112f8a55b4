/**
 * A small memcache client over node:net, text and binary protocol, one request at a time, for the proxy's
 * tests and benchmark. It frames answers its own simple way (by the command it sent), not with the proxy's
 * parsers, so that they are checked against something else.
 */
import { connect, type Socket } from 'node:net';

class Reader {
  private buf: Buffer = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private ended = false;

  constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  private async more(): Promise<void> {
    if (this.ended) throw new Error('the connection closed');
    await new Promise<void>((r) => {
      this.wake = r;
    });
    this.wake = undefined;
  }

  async bytes(n: number): Promise<Buffer> {
    while (this.buf.length < n) await this.more();
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** A line without its \r\n. */
  async line(): Promise<string> {
    for (;;) {
      const at = this.buf.indexOf('\r\n');
      if (at >= 0) return (await this.bytes(at + 2)).subarray(0, at).toString('latin1');
      await this.more();
    }
  }

  /** Everything until the server closes. */
  async rest(): Promise<Buffer> {
    while (!this.ended) await this.more().catch(() => undefined);
    return this.buf;
  }
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.setNoDelay(true);
    s.once('error', reject);
  });
}

export class TextClient {
  private constructor(private readonly r: Reader) {}

  static async connect(port: number): Promise<TextClient> {
    return new TextClient(new Reader(await open(port)));
  }

  get socket(): Socket {
    return this.r.socket;
  }

  /** Sends a command line (and its data block); the whole answer, as sent. */
  async call(line: string, data?: string): Promise<string> {
    this.send(line, data);
    return this.answer(line);
  }

  /** Sends without waiting for an answer (noreply). */
  send(line: string, data?: string): void {
    this.r.socket.write(data === undefined ? `${line}\r\n` : `${line}\r\n${data}\r\n`, 'latin1');
  }

  /** Reads the answer to `line`, sent before. */
  async answer(line: string): Promise<string> {
    const name = line.split(' ')[0];
    let out = '';
    for (;;) {
      const l = await this.r.line();
      out += `${l}\r\n`;
      if (['get', 'gets', 'gat', 'gats'].includes(name) && l.startsWith('VALUE ')) {
        out += (await this.r.bytes(Number(l.split(' ')[3]) + 2)).toString('latin1');
        continue;
      }
      if (name === 'stats' && l.startsWith('STAT ')) continue;
      return out;
    }
  }

  /** What the server still sends until it closes. */
  rest(): Promise<Buffer> {
    return this.r.rest();
  }

  close(): void {
    this.r.socket.destroy();
  }
}

export interface BinaryRequest {
  opcode: number;
  key?: string;
  /** The extras' bytes (flags and expiry for set: 8 bytes). */
  extras?: Buffer;
  value?: string;
  opaque?: number;
  cas?: bigint;
}

export interface BinaryResponse {
  opcode: number;
  status: number;
  opaque: number;
  cas: bigint;
  key: string;
  value: Buffer;
}

export function binaryRequest(q: BinaryRequest): Buffer {
  const key = Buffer.from(q.key ?? '');
  const value = Buffer.from(q.value ?? '');
  const extras = q.extras ?? Buffer.alloc(0);
  const h = Buffer.alloc(24);
  h[0] = 0x80;
  h[1] = q.opcode;
  h.writeUInt16BE(key.length, 2);
  h[4] = extras.length;
  h.writeUInt32BE(extras.length + key.length + value.length, 8);
  h.writeUInt32BE(q.opaque ?? 0, 12);
  h.writeBigUInt64BE(q.cas ?? 0n, 16);
  return Buffer.concat([h, extras, key, value]);
}

/** Extras of set/add/replace: flags 0, no expiry. */
export const SET_EXTRAS = Buffer.alloc(8);
/** Extras of incr/decr: delta 1, initial 0, no auto-create (0xffffffff). */
export const INCR_EXTRAS = Buffer.from('00000000000000010000000000000000ffffffff', 'hex');
/** Extras of touch/gat: expiry 100 s. */
export const TOUCH_EXTRAS = Buffer.from('00000064', 'hex');

export class BinaryClient {
  private constructor(private readonly r: Reader) {}

  static async connect(port: number): Promise<BinaryClient> {
    return new BinaryClient(new Reader(await open(port)));
  }

  /** Sends without waiting (quiet commands). */
  send(q: BinaryRequest): void {
    this.r.socket.write(binaryRequest(q));
  }

  async read(): Promise<BinaryResponse> {
    const h = await this.r.bytes(24);
    const body = await this.r.bytes(h.readUInt32BE(8));
    const extras = h[4];
    const keyLength = h.readUInt16BE(2);
    return {
      opcode: h[1],
      status: h.readUInt16BE(6),
      opaque: h.readUInt32BE(12),
      cas: h.readBigUInt64BE(16),
      key: body.subarray(extras, extras + keyLength).toString('latin1'),
      value: Buffer.from(body.subarray(extras + keyLength)),
    };
  }

  /** Sends and reads the answer (stat: every answer, up to the empty one). */
  async call(q: BinaryRequest): Promise<BinaryResponse[]> {
    this.send(q);
    const out = [await this.read()];
    while (q.opcode === 0x10 && out[out.length - 1].key !== '' && out[out.length - 1].status === 0)
      out.push(await this.read());
    return out;
  }

  rest(): Promise<Buffer> {
    return this.r.rest();
  }

  close(): void {
    this.r.socket.destroy();
  }
}
