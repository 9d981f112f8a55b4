/**
 * Reading a datagram as sflowtool does: word by word from the datagram, not bounded by the lengths it
 * declares; running off its end, or finding a length that does not add up, stops the datagram (Abort, with
 * sflowtool's exception code) where it is, and what was printed so far stays printed. The state the -g
 * context and the per-sample outputs need travels with it.
 */
import { XdrReader } from '../xdr/reader.js';
import type { Printable } from './field-map.js';
import { ipv6Full } from './format.js';
import type { Context, Output, Received } from './output.js';
import { SampleState } from './sample-state.js';

export interface WalkOptions {
  /** Print structures sflowtool skips, in its style, instead of its "skipping unknown" line. */
  allStructures?: boolean;
  /** sflowtool's -v/-V: which VLANs pass (indexed by VLAN id); undefined lets everything through. */
  vlans?: Uint8Array;
}

/** sflowtool's exception codes, which it reports as "caught exception: N". */
export const END_OF_DATA = 1;
export const DECODE_ERROR = 2;
export const LENGTH_ERROR = 3;

export class Abort {
  constructor(readonly code: number) {}
}

export const padded = (n: number) => (((n + 3) >>> 2) << 2) >>> 0;

export abstract class WalkCursor {
  protected data: Uint8Array = new Uint8Array(0);
  protected pos = 0;
  protected c!: Context;
  protected r!: Received;
  protected s = new SampleState();
  /** sflowtool's field prefix: discarded_ inside discard samples. */
  protected prefix = '';
  protected readonly reader = new XdrReader();
  protected readonly put: (name: string, value: Printable) => void;
  protected readonly wants: boolean;

  constructor(
    protected readonly out: Output,
    protected readonly options: WalkOptions = {},
  ) {
    this.put = (name, value) => this.out.field(this.prefix ? this.prefix + name : name, value, this.c);
    this.wants = out.wantsFields;
  }

  /** Numbers become text only for the formats that print fields. */
  protected field(name: string, value: string | number): void {
    if (this.wants) this.out.field(this.prefix ? this.prefix + name : name, value, this.c);
  }
  protected u32(): number {
    const p = this.pos;
    if (p + 4 > this.data.length) throw new Abort(END_OF_DATA);
    this.pos = p + 4;
    const d = this.data;
    return ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;
  }
  protected skip(n: number): void {
    this.pos += padded(n);
    if (n > this.data.length || this.pos > this.data.length) throw new Abort(END_OF_DATA);
  }
  protected lengthCheck(what: string, start: number, len: number): void {
    const found = this.pos - start;
    if (found !== padded(len)) {
      this.out.error(`${what} length error (expected ${len | 0}, found ${found})\n`);
      throw new Abort(LENGTH_ERROR);
    }
  }
  protected address(): string {
    const type = this.u32();
    if (type === 1) {
      const p = this.pos;
      this.u32();
      const d = this.data;
      return `${d[p]}.${d[p + 1]}.${d[p + 2]}.${d[p + 3]}`;
    }
    if (type === 2) {
      const p = this.pos;
      this.skip(16);
      return ipv6Full(this.data, p);
    }
    this.out.error(`unknown address type = ${type | 0}\n`);
    throw new Abort(END_OF_DATA);
  }
}
