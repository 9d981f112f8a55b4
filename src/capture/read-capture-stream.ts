/**
 * A capture read as it arrives (a file of any size, or `tcpdump -w - |` on stdin): the bytes are cut into whole
 * records (pcap) or blocks (pcapng), and each run of them is read by the same readers as a whole file, with in
 * front of it what it depends on: the pcap file header, or the pcapng section header and interface blocks.
 */

import { CaptureError } from './capture-error.js';
import type { CapturedFrame } from './captured-frame.js';
import { PCAP_FILE_HEADER_LENGTH, type PcapHeader, pcapFrames, readPcapHeader } from './pcap-reader.js';
import { concatChunks } from './pcap-writer.js';
import { BLOCK_TYPE, BYTE_ORDER_MAGIC, readPcapng } from './pcapng-reader.js';
import { captureFormat } from './read-capture.js';

/** Cuts a format's bytes into whole records and keeps what later records are read behind. */
interface Cutter {
  /** What the next run is read behind. */
  preamble: Uint8Array;
  /** Where the whole records at the start of `b` end. */
  cut(b: Uint8Array): number;
  /** The bytes a record header takes, and the length of the record `b` starts with, once its header is there. */
  readonly headerLength: number;
  recordLength(b: Uint8Array): number | undefined;
  /** A run about to be read: note what of it later runs need. */
  commit(run: Uint8Array): void;
  read(bytes: Uint8Array): Generator<CapturedFrame>;
}

/**
 * The frames of a capture, a batch for each run of whole records that has arrived, to be iterated before the
 * next. A damaged record throws a CaptureError after every frame before it; so does input that ends inside a
 * record.
 */
export async function* readCaptureStream(
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<Iterable<CapturedFrame>> {
  let pending: Uint8Array = new Uint8Array(0);
  let cutter: Cutter | undefined;
  let consumed = 0;
  // Frames are made as the batch is iterated, one at a time: a whole batch made at once would outlive the
  // young generation and cost the decode old-space collections.
  const batch = (c: Cutter, run: Uint8Array): Iterable<CapturedFrame> => {
    const head = c.preamble;
    c.commit(run);
    const shift = consumed - head.length;
    consumed += run.length;
    const frames = c.read(head.length > 0 ? concatChunks([head, run]) : run);
    return {
      *[Symbol.iterator]() {
        for (const f of frames) {
          f.offset += shift;
          yield f;
        }
      },
    };
  };
  for await (const chunk of source) {
    let at = 0;
    if (cutter === undefined) {
      pending = concatChunks([pending, chunk]);
      at = chunk.length;
      if (pending.length < 4) continue;
      if (captureFormat(pending) === 'pcapng') cutter = new PcapngCutter();
      else if (pending.length < PCAP_FILE_HEADER_LENGTH) continue;
      else {
        cutter = new PcapCutter(pending);
        pending = pending.subarray(PCAP_FILE_HEADER_LENGTH);
        consumed = PCAP_FILE_HEADER_LENGTH;
      }
      // What came so far is read as one run below; nothing of this chunk is left.
      const end = cutter.cut(pending);
      if (end > 0) yield batch(cutter, pending.subarray(0, end));
      pending = pending.slice(end);
      continue;
    }
    // The record that straddles chunks is completed from this one's first bytes: chunks are not copied whole.
    while (pending.length > 0 && at < chunk.length) {
      const length = cutter.recordLength(pending);
      const want = (length ?? cutter.headerLength) - pending.length;
      const take = Math.min(Math.max(want, 0), chunk.length - at);
      pending = concatChunks([pending, chunk.subarray(at, at + take)]);
      at += take;
      if (length !== undefined && pending.length >= length) {
        yield batch(cutter, pending);
        pending = new Uint8Array(0);
      }
    }
    const rest = chunk.subarray(at);
    const end = cutter.cut(rest);
    if (end > 0) yield batch(cutter, rest.subarray(0, end));
    if (end < rest.length) pending = concatChunks([pending, rest.subarray(end)]);
  }
  if (cutter === undefined) {
    // Too short to be either format: the readers say why.
    if (pending.length < 4) throw new CaptureError('TRUNCATED_HEADER', 0, `${pending.length} bytes`);
    readPcapHeader(pending);
  } else if (pending.length > 0) {
    yield batch(cutter, pending);
  }
}

/** pcap records need only the file header's facts, not its bytes: runs are read where they lie. */
class PcapCutter implements Cutter {
  readonly preamble = new Uint8Array(0);
  private readonly header: PcapHeader;
  private readonly littleEndian: boolean;
  private readonly recordHeaderLength: number;

  constructor(bytes: Uint8Array) {
    this.header = readPcapHeader(bytes);
    this.littleEndian = this.header.littleEndian;
    this.recordHeaderLength = this.header.recordHeaderLength;
  }

  get headerLength(): number {
    return this.recordHeaderLength;
  }

  recordLength(b: Uint8Array): number | undefined {
    if (b.length < this.recordHeaderLength) return undefined;
    return this.recordHeaderLength + new DataView(b.buffer, b.byteOffset, 12).getUint32(8, this.littleEndian);
  }

  cut(b: Uint8Array): number {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let pos = 0;
    while (b.length - pos >= this.recordHeaderLength) {
      const next = pos + this.recordHeaderLength + dv.getUint32(pos + 8, this.littleEndian);
      if (next > b.length) break;
      pos = next;
    }
    return pos;
  }

  commit(): void {}

  read(bytes: Uint8Array): Generator<CapturedFrame> {
    return pcapFrames(bytes, this.header, 0);
  }
}

class PcapngCutter implements Cutter {
  preamble: Uint8Array = new Uint8Array(0);
  /** The byte order of the section the committed blocks ended in. */
  private littleEndian = true;

  /** Walks whole blocks, `visit` seeing each with the byte order of its section. */
  private walk(b: Uint8Array, visit?: (type: number, block: Uint8Array) => void): number {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let le = this.littleEndian;
    let pos = 0;
    while (b.length - pos >= 12) {
      if (dv.getUint32(pos, true) === BLOCK_TYPE.SECTION_HEADER)
        le = dv.getUint32(pos + 8, true) === BYTE_ORDER_MAGIC;
      const length = dv.getUint32(pos + 4, le);
      // A length that cannot be right: the reader will say so, after the blocks before it.
      if (length < 12 || length % 4 !== 0) return b.length;
      if (length > b.length - pos) break;
      visit?.(dv.getUint32(pos, le), b.subarray(pos, pos + length));
      pos += length;
    }
    if (visit) this.littleEndian = le;
    return pos;
  }

  readonly headerLength = 12;

  recordLength(b: Uint8Array): number | undefined {
    if (b.length < 12) return undefined;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const le =
      dv.getUint32(0, true) === BLOCK_TYPE.SECTION_HEADER
        ? dv.getUint32(8, true) === BYTE_ORDER_MAGIC
        : this.littleEndian;
    const length = dv.getUint32(4, le);
    // A length that cannot be right: what there is goes to the reader, which says so.
    return length < 12 || length % 4 !== 0 ? b.length : length;
  }

  cut(b: Uint8Array): number {
    return this.walk(b);
  }

  commit(run: Uint8Array): void {
    let kept: Uint8Array[] = [this.preamble];
    this.walk(run, (type, block) => {
      if (type === BLOCK_TYPE.SECTION_HEADER) kept = [block];
      else if (type === BLOCK_TYPE.INTERFACE_DESCRIPTION) kept.push(block);
    });
    this.preamble = concatChunks(kept);
  }

  read(bytes: Uint8Array): Generator<CapturedFrame> {
    return readPcapng(bytes);
  }
}
