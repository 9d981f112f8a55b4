/**
 * The interface between the walk of a datagram (walker.ts) and sflowtool's output formats: the walk calls
 * these in sflowtool's order, each format prints what it prints. Text is collected in `out`; the caller
 * drains it with take().
 */
import type { Printable } from './field-map.js';
import type { SampleState } from './sample-state.js';

/** What sflowtool's -g format prints in front of every line: the decode's position when the line is made. */
export interface Context {
  /** Seconds: the capture's timestamp, or when the datagram was read. */
  time: number;
  agent: string;
  subAgentId: number;
  sequenceNo: number;
  dsClass: number;
  dsIndex: number;
  sampleType: number;
  elementType: number;
  /** Datagram-level lines come first; sample lines after samplesInPacket (-L clears them separately). */
  scope: 'datagram' | 'sample';
}

/** One datagram as received: its bytes, who sent it and when. */
export interface Received {
  bytes: Uint8Array;
  /** The sender's address as sflowtool prints it (IPv6 unabbreviated), or '-' when reading a file. */
  source: string;
  /** The sender's address, from the socket or the capture's IP header (for -M). */
  sender?: string;
  /** When it was read (seconds, microseconds); 0 when reading a file, as sflowtool does. */
  readSec: number;
  readUsec: number;
  /** The capture record's timestamp; 0 when live. */
  pcapSec: number;
  pcapUsec: number;
}

/** When a datagram was captured (or, live, received), in nanoseconds since the epoch. */
export function receivedNs(r: Received): bigint {
  return r.pcapSec
    ? BigInt(r.pcapSec) * 1_000_000_000n + BigInt(r.pcapUsec) * 1000n
    : BigInt(r.readSec) * 1_000_000_000n + BigInt(r.readUsec) * 1000n;
}

export type SampleKind = 'flow' | 'counters' | 'discard' | 'rt';

export abstract class Output {
  /** Whether the walk must format every field (the text, JSON and -L formats) or only keep sample state. */
  abstract readonly wantsFields: boolean;
  protected out = '';
  protected binary: Uint8Array[] = [];
  private errors = '';
  /** Where the output of the datagram being read starts. */
  private textMark = 0;
  private binaryMark = 0;

  /** sflowtool's sf_log: a free-text line (the separators, "skipping …"), printed by the text formats. */
  note(_text: string, _c: Context): void {}
  /** sflowtool's sf_logf: a `name value` field. */
  field(_name: string, _value: Printable, _c: Context): void {}
  /** JSON nesting: a named or anonymous object or array. */
  open(_name: string | null, _bracket: '{' | '['): void {}
  close(_bracket: '}' | ']'): void {}
  /** A structure this format prints its own way instead of by the name table; false when it does not. */
  structure(_name: string, _value: unknown, _c: Context): boolean {
    return false;
  }
  datagramStart(_r: Received, _c: Context): void {}
  datagramEnd(_r: Received, _c: Context): void {}
  sampleStart(_c: Context): void {}
  sampleEnd(_c: Context): void {}
  /** A sample read to its end; `passed` says whether the VLAN filter lets it through. */
  sampleDone(_kind: SampleKind, _s: SampleState, _c: Context, _r: Received, _passed: boolean): void {}

  /** What sflowtool prints on stderr. */
  error(text: string): void {
    this.errors += text;
  }

  /** Called as a datagram starts: what is printed from now on is the datagram's (see takeToMark). */
  mark(): void {
    this.textMark = this.out.length;
    this.binaryMark = this.binary.length;
  }

  /** The output from before the current datagram, so that its errors can be shown after it, not before. */
  takeToMark(): { text: string; binary: Uint8Array[] } {
    const taken = { text: this.out.slice(0, this.textMark), binary: this.binary.splice(0, this.binaryMark) };
    this.out = this.out.slice(this.textMark);
    this.textMark = 0;
    this.binaryMark = 0;
    return taken;
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  /**
   * Text and binary output collected so far, and the stderr text; all are emptied. `all` false lets an
   * output keep a part-filled buffer for later (reading a file); live datagrams take all each time.
   */
  take(_all = true): { text: string; binary: Uint8Array[]; errors: string } {
    const taken = { text: this.out, binary: this.binary, errors: this.errors };
    this.out = '';
    this.binary = [];
    this.errors = '';
    this.textMark = 0;
    this.binaryMark = 0;
    return taken;
  }
}
