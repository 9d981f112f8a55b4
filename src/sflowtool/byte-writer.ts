/**
 * Text built straight into bytes: the default text form of 100,000 switch datagrams is 800 MB, and making
 * it as JS strings first, then encoding them, cost more than the decode. Characters are written as latin1
 * bytes (sflowtool prints the bytes it was sent).
 */
import type { Printable } from './field-map.js';
import { DashedHex } from './format.js';

const CHUNK = 1 << 20;
const HEX = new TextEncoder().encode('0123456789ABCDEF');
const NAMES = new Map<string, Uint8Array>();

export class ByteWriter {
  private buf = Buffer.allocUnsafe(CHUNK);
  private n = 0;
  private done: Uint8Array[] = [];

  private room(bytes: number): void {
    if (this.n + bytes <= this.buf.length) return;
    if (this.n > 0) this.done.push(this.buf.subarray(0, this.n));
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, bytes));
    this.n = 0;
  }

  text(s: string): void {
    const len = s.length;
    this.room(len);
    const b = this.buf;
    let n = this.n;
    if (len > 48) n += b.write(s, n, 'latin1');
    else for (let i = 0; i < len; i++) b[n++] = s.charCodeAt(i);
    this.n = n;
  }

  /** A field name and the space after it: few and repeated, so each is encoded once. */
  name(s: string): void {
    let bytes = NAMES.get(s);
    if (bytes === undefined) {
      bytes = Buffer.from(`${s} `, 'latin1');
      if (NAMES.size < 4096) NAMES.set(s, bytes);
    }
    const len = bytes.length;
    if (this.n + len > this.buf.length) this.room(len);
    const b = this.buf;
    let n = this.n;
    for (let i = 0; i < len; i++) b[n++] = bytes[i];
    this.n = n;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.n++] = c;
  }

  /** A value of the name table: unsigned integers and header bytes without making a string. */
  value(v: Printable): void {
    if (typeof v === 'number' && v >= 0 && v <= 0xffffffff && Number.isInteger(v)) this.uint(v);
    else if (v instanceof DashedHex) this.dashedHex(v.bytes);
    else this.text(typeof v === 'string' ? v : String(v));
  }

  private uint(v: number): void {
    if (this.n + 10 > this.buf.length) this.room(10);
    const b = this.buf;
    if (v < 10) {
      b[this.n++] = 48 + v;
      return;
    }
    if (v < 100) {
      b[this.n++] = 48 + ((v / 10) | 0);
      b[this.n++] = 48 + (v % 10);
      return;
    }
    const s = String(v);
    let n = this.n;
    for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i);
    this.n = n;
  }

  private dashedHex(bytes: Uint8Array): void {
    const len = bytes.length;
    if (len === 0) return;
    this.room(len * 3);
    const b = this.buf;
    let n = this.n;
    for (let i = 0; i < len; i++) {
      if (i > 0) b[n++] = 45;
      b[n++] = HEX[bytes[i] >> 4];
      b[n++] = HEX[bytes[i] & 15];
    }
    this.n = n;
  }

  /** The bytes written since the last take: the full chunks, and with `all` the one being filled too. */
  take(all: boolean): Uint8Array[] {
    if (all && this.n > 0) {
      this.done.push(this.buf.subarray(0, this.n));
      this.buf = this.buf.subarray(this.n);
      this.n = 0;
      if (this.buf.length < 4096) this.buf = Buffer.allocUnsafe(CHUNK);
    }
    const out = this.done;
    this.done = [];
    return out;
  }
}
