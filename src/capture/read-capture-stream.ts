/**
 * A capture read as it arrives (a file of any size, or `tcpdump -w - |` on stdin): the bytes are cut into whole
 * records (pcap) or blocks (pcapng), and each run of them is read by the same readers as a whole file, with in
 * front of it what it depends on: the pcap file header, or the pcapng section header and interface blocks.
 */

import { CaptureError } from './capture-error.js';
import type { CapturedFrame } from './captured-frame.js';
import { PCAP_FILE_HEADER_LENGTH, readPcap, readPcapHeader } from './pcap-reader.js';
import { concatChunks } from './pcap-writer.js';
import { BLOCK_TYPE, BYTE_ORDER_MAGIC, readPcapng } from './pcapng-reader.js';
import { captureFormat } from './read-capture.js';

/** Cuts a format's bytes into whole records and keeps what later records are read behind. */
interface Cutter {
  /** What the next run is read behind. */
  preamble: Uint8Array;
  /** Where the whole records at the start of `b` end. */
  cut(b: Uint8Array): number;
  /** A run about to be read: note what of it later runs need. */
  commit(run: Uint8Array): void;
  read(bytes: Uint8Array): Generator<CapturedFrame>;
}

/**
 * The frames of a capture, a batch for each run of whole records that has arrived. A damaged record throws a
 * CaptureError after every frame before it; so does input that ends inside a record.
 */
export async function* readCaptureStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<CapturedFrame[]> {
  let pending: Uint8Array = new Uint8Array(0);
  let cutter: Cutter | undefined;
  let consumed = 0;
  const batch = (c: Cutter, run: Uint8Array): CapturedFrame[] => {
    const head = c.preamble;
    c.commit(run);
    const frames = [...c.read(concatChunks([head, run]))];
    for (const f of frames) f.offset += consumed - head.length;
    consumed += run.length;
    return frames;
  };
  for await (const chunk of source) {
    pending = pending.length > 0 ? concatChunks([pending, chunk]) : chunk;
    if (cutter === undefined) {
      if (pending.length < 4) continue;
      if (captureFormat(pending) === 'pcapng') cutter = new PcapngCutter();
      else if (pending.length < PCAP_FILE_HEADER_LENGTH) continue;
      else {
        cutter = new PcapCutter(pending);
        pending = pending.subarray(PCAP_FILE_HEADER_LENGTH);
        consumed = PCAP_FILE_HEADER_LENGTH;
      }
    }
    const end = cutter.cut(pending);
    if (end === 0) continue;
    yield batch(cutter, pending.subarray(0, end));
    pending = pending.slice(end);
  }
  if (cutter === undefined) {
    // Too short to be either format: the readers say why.
    if (pending.length < 4) throw new CaptureError('TRUNCATED_HEADER', 0, `${pending.length} bytes`);
    readPcapHeader(pending);
  } else if (pending.length > 0) {
    yield batch(cutter, pending);
  }
}

class PcapCutter implements Cutter {
  readonly preamble: Uint8Array;
  private readonly littleEndian: boolean;
  private readonly recordHeaderLength: number;

  constructor(bytes: Uint8Array) {
    const header = readPcapHeader(bytes);
    this.preamble = bytes.slice(0, PCAP_FILE_HEADER_LENGTH);
    this.littleEndian = header.littleEndian;
    this.recordHeaderLength = header.recordHeaderLength;
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
    return readPcap(bytes);
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
