import { isUtf8 } from 'node:buffer';
import { XdrError } from './xdr-error.js';

/** An XDR string that was not valid UTF-8 stays as its bytes, so that it re-encodes exactly. */
export type XdrString = string | Uint8Array;

/**
 * Reads big-endian XDR (RFC 4506) from a byte view. One reader is reused across buffers (`reset`); values
 * that are bytes come back as views into the buffer, never copies. `end` is the limit of the element being
 * read: `enter` narrows it to a length-prefixed element and `leave` checks that the element used all of it.
 */
export class XdrReader {
  buf: Buffer = Buffer.alloc(0);
  dv: DataView = new DataView(this.buf.buffer);
  pos = 0;
  end = 0;
  /**
   * Set when the values read cannot reproduce their bytes: padding that is not zero (real agents send it:
   * hsflowd copies whole words of packet header; RFC 4506 says readers ignore it) or a signaling NaN (which
   * JavaScript quiets). The sflow layer then keeps the element's original bytes so it still re-encodes exactly.
   */
  inexact = false;

  constructor(bytes?: Uint8Array) {
    if (bytes) this.reset(bytes);
  }

  reset(bytes: Uint8Array, start = 0, end = bytes.length): this {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = start;
    this.end = end;
    return this;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const at = this.pos;
    if (n > this.end - at) throw new XdrError('TRUNCATED', at, `need ${n} bytes, ${this.end - at} left`);
    this.pos = at + n;
    return at;
  }

  u32(): number {
    return this.dv.getUint32(this.need(4));
  }

  i32(): number {
    return this.dv.getInt32(this.need(4));
  }

  u64(): bigint {
    return this.dv.getBigUint64(this.need(8));
  }

  i64(): bigint {
    return this.dv.getBigInt64(this.need(8));
  }

  f32(): number {
    const at = this.need(4);
    const v = this.dv.getFloat32(at);
    if (Number.isNaN(v) && (this.dv.getUint32(at) & 0x400000) === 0) this.inexact = true;
    return v;
  }

  f64(): number {
    return this.dv.getFloat64(this.need(8));
  }

  /** Fixed-length opaque[n]: n bytes then padding to a multiple of 4. */
  fixed(n: number): Uint8Array {
    const padded = (n + 3) & ~3;
    const at = this.need(padded);
    for (let i = at + n; i < at + padded; i++) {
      if (this.buf[i] !== 0) this.inexact = true;
    }
    return this.buf.subarray(at, at + n);
  }

  /** Variable-length opaque<>: a u32 length, the bytes, padding. */
  opaque(): Uint8Array {
    return this.fixed(this.length());
  }

  /** string<>: UTF-8 text, or the raw bytes when they are not valid UTF-8. */
  string(): XdrString {
    const n = this.length();
    const at = this.pos;
    const bytes = this.fixed(n);
    const text = this.buf.toString('utf8', at, at + n);
    // U+FFFD appears on invalid input or when it was really sent; isUtf8 tells which.
    if (text.includes('\uFFFD') && !isUtf8(bytes)) return bytes;
    return text;
  }

  /** A u32 length for bytes that follow; it may not run past the current element. */
  length(): number {
    const at = this.pos;
    const n = this.u32();
    if (n > this.end - this.pos)
      throw new XdrError('LENGTH_OVERRUN', at, `length ${n}, ${this.end - this.pos} left`);
    return n;
  }

  /**
   * A u32 element count, bounded by what the remaining bytes could hold at `minSize` bytes each, so that no
   * allocation is ever sized by a count from the wire beyond the datagram's size.
   */
  count(minSize: number): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minSize > this.end - this.pos) {
      throw new XdrError(
        'COUNT_TOO_LARGE',
        at,
        `count ${n} of ${minSize}-byte elements, ${this.end - this.pos} bytes left`,
      );
    }
    return n;
  }

  /** Narrows reading to the next `len` bytes; returns the outer limit to hand back to `leave`. */
  enter(len: number): number {
    if (len > this.end - this.pos) {
      throw new XdrError('LENGTH_OVERRUN', this.pos, `length ${len}, ${this.end - this.pos} left`);
    }
    const outer = this.end;
    this.end = this.pos + len;
    return outer;
  }

  /** Checks that the element used exactly its length, then restores the outer limit. */
  leave(outer: number): void {
    if (this.pos !== this.end) {
      throw new XdrError('TRAILING_BYTES', this.pos, `${this.end - this.pos} bytes left unread`);
    }
    this.end = outer;
  }

  /** Skips to the end of the current element and restores the outer limit (used after an error inside it). */
  abandon(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }
}
