/**
 * Text built straight into bytes: the default text form of 100,000 switch datagrams is 800 MB, and making it
 * as JS strings first, then encoding them, cost more than the decode. Characters are written as latin1 bytes
 * (sflowtool prints the bytes it was sent). Bytes go in four at a time through a DataView, which V8 compiles
 * to single stores; a store may run up to 3 bytes past the end of what is written, which the next write
 * overwrites and which the buffer always has room for.
 */
import type { Printable } from './field-map.js';
import { DashedHex } from './format.js';

const CHUNK = 1 << 20;
const POWERS = Array.from({ length: 10 }, (_, i) => 10 ** i);
/** Room kept past the end for the 4-byte stores. */
const SLACK = 4;

/** Each byte value as upper-case hex digits and a dash, little-endian in a word. */
const HEX_DASH = Uint32Array.from({ length: 256 }, (_, i) => {
  const hex = i.toString(16).padStart(2, '0').toUpperCase();
  return hex.charCodeAt(0) | (hex.charCodeAt(1) << 8) | (45 << 16);
});

interface Encoded {
  words: Uint32Array;
  length: number;
}

/** A field name and the space after it, as words: few names, each encoded once. */
const NAMES = new Map<string, Encoded>();
const CONSTANTS = new Map<string, Encoded>();

function encode(s: string): Encoded {
  const words = new Uint32Array(Math.ceil(s.length / 4));
  for (let i = 0; i < s.length; i++) words[i >> 2] |= (s.charCodeAt(i) & 0xff) << ((i & 3) * 8);
  return { words, length: s.length };
}

export class ByteWriter {
  private buf = new Uint8Array(CHUNK);
  private dv = new DataView(this.buf.buffer);
  /** Where the bytes not yet taken start, and where the next byte goes. */
  private start = 0;
  private n = 0;
  private done: Uint8Array[] = [];
  /** Bytes in `done`, and how many were taken before: with them a mark is a position in all bytes written. */
  private doneBytes = 0;
  private taken = 0;
  private marked = 0;

  private room(bytes: number): void {
    if (this.n + bytes + SLACK <= this.buf.length) return;
    if (this.n > this.start) this.keep(this.buf.subarray(this.start, this.n));
    this.buf = new Uint8Array(Math.max(CHUNK, bytes + SLACK));
    this.dv = new DataView(this.buf.buffer);
    this.start = 0;
    this.n = 0;
  }

  text(s: string): void {
    const len = s.length;
    if (this.n + len + SLACK > this.buf.length) this.room(len);
    const dv = this.dv;
    let n = this.n;
    let i = 0;
    for (; i + 4 <= len; i += 4, n += 4) {
      dv.setUint32(
        n,
        (s.charCodeAt(i) & 0xff) |
          ((s.charCodeAt(i + 1) & 0xff) << 8) |
          ((s.charCodeAt(i + 2) & 0xff) << 16) |
          ((s.charCodeAt(i + 3) & 0xff) << 24),
        true,
      );
    }
    const b = this.buf;
    for (; i < len; i++) b[n++] = s.charCodeAt(i);
    this.n = n;
  }

  /** A field name followed by a space. */
  name(s: string): void {
    let e = NAMES.get(s);
    if (e === undefined) {
      e = encode(`${s} `);
      if (NAMES.size < 4096) NAMES.set(s, e);
    }
    this.encoded(e);
  }

  /** Text that recurs (sflowtool's separator lines): encoded once. */
  constant(s: string): void {
    let e = CONSTANTS.get(s);
    if (e === undefined) {
      e = encode(s);
      if (CONSTANTS.size < 64) CONSTANTS.set(s, e);
    }
    this.encoded(e);
  }

  private encoded(e: Encoded): void {
    if (this.n + e.length + SLACK > this.buf.length) this.room(e.length);
    const dv = this.dv;
    const words = e.words;
    const n = this.n;
    for (let i = 0; i < words.length; i++) dv.setUint32(n + 4 * i, words[i], true);
    this.n = n + e.length;
  }

  byte(c: number): void {
    if (this.n + 1 + SLACK > this.buf.length) this.room(1);
    this.buf[this.n++] = c;
  }

  /** A value of the name table: unsigned integers and header bytes without making a string. */
  value(v: Printable): void {
    if (typeof v === 'number' && v >= 0 && v <= 0xffffffff && Number.isInteger(v)) this.uint(v);
    else if (v instanceof DashedHex) this.dashedHex(v.bytes);
    else this.text(typeof v === 'string' ? v : String(v));
  }

  private uint(v: number): void {
    if (this.n + 10 + SLACK > this.buf.length) this.room(10);
    const b = this.buf;
    let digits = 1;
    while (digits < 10 && v >= POWERS[digits]) digits++;
    let at = this.n + digits;
    this.n = at;
    for (let x = v; ; ) {
      const q = Math.floor(x / 10);
      b[--at] = 48 + x - q * 10;
      if (q === 0) break;
      x = q;
    }
  }

  private dashedHex(bytes: Uint8Array): void {
    const len = bytes.length;
    if (len === 0) return;
    if (this.n + len * 3 + SLACK > this.buf.length) this.room(len * 3);
    const dv = this.dv;
    let n = this.n;
    for (let i = 0; i < len; i++, n += 3) dv.setUint32(n, HEX_DASH[bytes[i]], true);
    // The last byte has no dash after it.
    this.n = n - 1;
  }

  private keep(chunk: Uint8Array): void {
    this.done.push(chunk);
    this.doneBytes += chunk.length;
  }

  /** The bytes written since the last take: the full chunks, and with `all` the one being filled too. */
  take(all: boolean): Uint8Array[] {
    if (all && this.n > this.start) {
      this.keep(this.buf.subarray(this.start, this.n));
      this.start = this.n;
    }
    const out = this.done;
    this.taken += this.doneBytes;
    this.done = [];
    this.doneBytes = 0;
    return out;
  }

  /** Remembers where the bytes written so far end. */
  mark(): void {
    this.marked = this.taken + this.doneBytes + (this.n - this.start);
  }

  /** The bytes up to the mark (what came before the current datagram). */
  takeToMark(): Uint8Array[] {
    const out: Uint8Array[] = [];
    let want = this.marked - this.taken;
    while (want > 0 && this.done.length > 0) {
      const c = this.done[0];
      if (c.length <= want) {
        out.push(c);
        this.done.shift();
      } else {
        out.push(c.subarray(0, want));
        this.done[0] = c.subarray(want);
      }
      const n = Math.min(c.length, want);
      want -= n;
      this.doneBytes -= n;
      this.taken += n;
    }
    if (want > 0) {
      out.push(this.buf.subarray(this.start, this.start + want));
      this.start += want;
      this.taken += want;
    }
    return out;
  }
}
