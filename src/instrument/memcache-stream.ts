/**
 * Cutting one direction of a TCP stream into the memcache protocol's pieces, whatever the chunking: text lines
 * (up to \n) and counted blocks of bytes (values, binary headers). A value is passed over by counting, never
 * buffered, so a 1 MB value costs no memory here; only a line or a header in two chunks is copied.
 */
import { ProtocolError } from './memcache-operation.js';

/** memcached reads keys of up to 250 bytes; a get of many keys is longer, but not this long. */
export const MAX_LINE = 64 * 1024;

export abstract class LineStream {
  /** Bytes to pass over before the next line (a data block and its \r\n). */
  protected skip = 0;
  private partial: Buffer | undefined;

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        const rest = chunk.subarray(pos);
        this.partial = this.partial ? Buffer.concat([this.partial, rest]) : Buffer.from(rest);
        if (this.partial.length > MAX_LINE)
          throw new ProtocolError('LINE_TOO_LONG', `no end of line in ${this.partial.length} bytes`);
        return;
      }
      let line = chunk.subarray(pos, nl);
      if (this.partial) {
        line = Buffer.concat([this.partial, line]);
        this.partial = undefined;
      }
      pos = nl + 1;
      this.line(line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line);
    }
  }

  /** A line, without its \r\n (or \n, which memcached accepts too). */
  protected abstract line(line: Buffer): void;
}

/**
 * Fixed-size pieces (`want` bytes, handed over whole) and bytes to pass over (`skip`), in turn: what the binary
 * protocol's 24-byte headers and bodies need.
 */
export abstract class BlockStream {
  protected skip = 0;
  protected want: number;
  private held: Buffer | undefined;
  private got = 0;

  constructor(first: number) {
    this.want = first;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      const need = this.want - this.got;
      if (this.got === 0 && chunk.length - pos >= need) {
        // The common case, the whole piece in this chunk: a view, no copy.
        pos += need;
        this.block(chunk.subarray(pos - need, pos));
        continue;
      }
      if (this.held === undefined || this.held.length < this.want) this.held = Buffer.allocUnsafe(this.want);
      const n = Math.min(need, chunk.length - pos);
      chunk.copy(this.held, this.got, pos, pos + n);
      this.got += n;
      pos += n;
      if (this.got === this.want) {
        this.got = 0;
        this.block(this.held.subarray(0, this.want));
      }
    }
  }

  /** `want` bytes; sets the next `want`, and `skip` for bytes to pass over first. */
  protected abstract block(bytes: Buffer): void;
}
