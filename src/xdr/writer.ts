import type { XdrString } from './reader.js';

/** Strings up to this long are tried as ASCII first. */
const ASCII_INLINE = 1024;

/**
 * Writes big-endian XDR into a buffer that grows as needed. Length-prefixed elements are written with
 * `begin` (reserves the length word) and `finish` (fills it in once the element is written).
 */
export class XdrWriter {
  private buf: Buffer;
  /** The same bytes as a plain Uint8Array, whose slice() does not go through Buffer's constructor. */
  private u8: Uint8Array;
  private dv: DataView;
  pos = 0;

  constructor(initialSize = 1500) {
    this.buf = Buffer.alloc(initialSize);
    this.u8 = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Starts over, keeping the allocated buffer. */
  reset(): this {
    this.pos = 0;
    return this;
  }

  /** Reserves n bytes and returns their offset; may replace buf and dv, so call it before touching them. */
  private room(n: number): number {
    const at = this.pos;
    if (at + n > this.buf.length) {
      const bigger = Buffer.alloc(Math.max(this.buf.length * 2, at + n));
      this.buf.copy(bigger, 0, 0, at);
      this.buf = bigger;
      this.u8 = new Uint8Array(bigger.buffer, bigger.byteOffset, bigger.byteLength);
      this.dv = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
    }
    this.pos = at + n;
    return at;
  }

  u32(v: number): void {
    const at = this.room(4);
    this.dv.setUint32(at, v);
  }

  i32(v: number): void {
    const at = this.room(4);
    this.dv.setInt32(at, v);
  }

  u64(v: bigint): void {
    const at = this.room(8);
    this.dv.setBigUint64(at, v);
  }

  i64(v: bigint): void {
    const at = this.room(8);
    this.dv.setBigInt64(at, v);
  }

  f32(v: number): void {
    const at = this.room(4);
    this.dv.setFloat32(at, v);
  }

  f64(v: number): void {
    const at = this.room(8);
    this.dv.setFloat64(at, v);
  }

  /** Fixed-length opaque[n]: the bytes then zero padding to a multiple of 4. */
  fixed(bytes: Uint8Array, n = bytes.length): void {
    if (bytes.length !== n) throw new RangeError(`opaque[${n}] given ${bytes.length} bytes`);
    const at = this.room((n + 3) & ~3);
    this.buf.set(bytes, at);
    this.buf.fill(0, at + n, this.pos);
  }

  opaque(bytes: Uint8Array): void {
    this.u32(bytes.length);
    this.fixed(bytes);
  }

  string(v: XdrString): void {
    if (typeof v !== 'string') {
      this.opaque(v);
      return;
    }
    if (v.length <= ASCII_INLINE && this.ascii(v)) return;
    const n = Buffer.byteLength(v);
    this.u32(n);
    const at = this.room((n + 3) & ~3);
    this.buf.write(v, at, 'utf8');
    this.buf.fill(0, at + n, this.pos);
  }

  /**
   * A string of ASCII characters, written here byte by byte: Buffer's UTF-8 path is a call into C++ for each
   * string, which costs more than the short strings of most records. False, with nothing written, if one is not
   * ASCII.
   */
  private ascii(v: string): boolean {
    const n = v.length;
    const mark = this.pos;
    const at = this.room(4 + ((n + 3) & ~3));
    const b = this.u8;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c > 0x7f) {
        this.pos = mark;
        return false;
      }
      b[at + 4 + i] = c;
    }
    for (let i = at + 4 + n; i < this.pos; i++) b[i] = 0;
    this.dv.setUint32(at, n);
    return true;
  }

  /** Reserves a length word; returns the mark to pass to `finish`. */
  begin(): number {
    return this.room(4);
  }

  /** Fills in the length word reserved at `mark` with the bytes written since. */
  finish(mark: number): void {
    this.dv.setUint32(mark, this.pos - mark - 4);
  }

  /**
   * A length word then the bytes, unpadded: for an element kept as it was received, whose declared length
   * need not be a multiple of 4.
   */
  opaqueUnpadded(bytes: Uint8Array): void {
    this.u32(bytes.length);
    this.raw(bytes);
  }

  /** Raw bytes, unpadded (for elements whose declared length is not a multiple of 4). */
  raw(bytes: Uint8Array): void {
    const at = this.room(bytes.length);
    this.buf.set(bytes, at);
  }

  /** A view of bytes written (not a copy: valid until the next write). */
  view(from: number, to = this.pos): Uint8Array {
    return this.buf.subarray(from, to);
  }

  /** A copy of what was written. */
  toBytes(): Uint8Array {
    return this.u8.slice(0, this.pos);
  }
}
