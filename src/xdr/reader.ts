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
  /** The bytes being read, as a plain Uint8Array: its views are cheaper to make than Buffer's. */
  bytes: Uint8Array = new Uint8Array(0);
  private dataView: DataView | undefined;
  private buffer: Buffer | undefined;
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
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Made on first use: most datagrams need neither (u32 reads are byte arithmetic).
    this.dataView = undefined;
    this.buffer = undefined;
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

  private get dv(): DataView {
    this.dataView ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    return this.dataView;
  }

  /** The bytes from `start` to `end` as a view. */
  view(start: number, end: number): Uint8Array {
    return this.bytes.subarray(start, end);
  }

  u32(): number {
    const at = this.need(4);
    const b = this.bytes;
    return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  }

  i32(): number {
    const at = this.need(4);
    const b = this.bytes;
    return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
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
      if (this.bytes[i] !== 0) this.inexact = true;
    }
    return this.bytes.subarray(at, at + n);
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
    this.buffer ??= Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const text = this.buffer.toString('utf8', at, at + n);
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
