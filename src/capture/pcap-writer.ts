/**
 * Writes classic libpcap files: https://www.tcpdump.org/manpages/pcap-savefile.5.html
 * Incremental: the file header once, then one chunk per record, each a single buffer so that a reader at the
 * other end of a pipe never sees half a record (sflowtool's -t and -M write pcap to stdout this way).
 */
import { PCAP_FILE_HEADER_LENGTH, PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap-reader.js';
import { splitTimestamp, type TimestampResolution } from './timestamp.js';

/** What a writer needs of a frame; a CapturedFrame is one. */
export interface FrameToWrite {
  timestampNs: bigint;
  data: Uint8Array;
  /** Length on the wire; data.length when absent. */
  originalLength?: number;
}

export interface PcapWriterOptions {
  /** LINKTYPE_ number (https://www.tcpdump.org/linktypes.html). */
  linkType: number;
  /** 'us' (magic 0xa1b2c3d4, the default, what every reader knows) or 'ns' (0xa1b23c4d). */
  resolution?: TimestampResolution;
  /** Frames longer than this are cut to it; 262144 by default (libpcap's maximum). */
  snapLength?: number;
  /** Byte order of the file; little-endian by default. */
  littleEndian?: boolean;
}

export const DEFAULT_SNAP_LENGTH = 262144;

export class PcapWriter {
  readonly linkType: number;
  readonly resolution: TimestampResolution;
  readonly snapLength: number;
  readonly littleEndian: boolean;

  constructor(options: PcapWriterOptions) {
    this.linkType = options.linkType;
    this.resolution = options.resolution ?? 'us';
    this.snapLength = options.snapLength ?? DEFAULT_SNAP_LENGTH;
    this.littleEndian = options.littleEndian ?? true;
    if (!Number.isInteger(this.linkType) || this.linkType < 0 || this.linkType > 0xffff) {
      throw new RangeError(`link type ${this.linkType}`);
    }
    if (!Number.isInteger(this.snapLength) || this.snapLength < 1 || this.snapLength > 0xffffffff) {
      throw new RangeError(`snap length ${this.snapLength}`);
    }
  }

  /** The 24-byte file header: write it once, first. */
  fileHeader(): Uint8Array {
    const out = new Uint8Array(PCAP_FILE_HEADER_LENGTH);
    const dv = new DataView(out.buffer);
    const le = this.littleEndian;
    dv.setUint32(0, this.resolution === 'ns' ? PCAP_MAGIC_NS : PCAP_MAGIC_US, le);
    dv.setUint16(4, 2, le);
    dv.setUint16(6, 4, le);
    // thiszone and sigfigs stay 0, as every writer leaves them.
    dv.setUint32(16, this.snapLength, le);
    dv.setUint32(20, this.linkType, le);
    return out;
  }

  /** One record: the 16-byte record header and the frame, cut to the snap length. */
  record(frame: FrameToWrite): Uint8Array {
    const { seconds, fraction } = splitTimestamp(frame.timestampNs, this.resolution);
    if (seconds < 0 || seconds > 0xffffffff) {
      throw new RangeError(`timestamp ${frame.timestampNs} ns out of pcap range`);
    }
    const capturedLength = Math.min(frame.data.length, this.snapLength);
    const originalLength = frame.originalLength ?? frame.data.length;
    if (!Number.isInteger(originalLength) || originalLength < 0 || originalLength > 0xffffffff) {
      throw new RangeError(`original length ${originalLength}`);
    }
    const out = new Uint8Array(16 + capturedLength);
    const dv = new DataView(out.buffer);
    const le = this.littleEndian;
    dv.setUint32(0, seconds, le);
    dv.setUint32(4, fraction, le);
    dv.setUint32(8, capturedLength, le);
    dv.setUint32(12, originalLength, le);
    out.set(frame.data.subarray(0, capturedLength), 16);
    return out;
  }
}

/** A whole pcap file holding `frames`. */
export function writePcap(frames: Iterable<FrameToWrite>, options: PcapWriterOptions): Uint8Array {
  const writer = new PcapWriter(options);
  const chunks = [writer.fileHeader()];
  for (const frame of frames) chunks.push(writer.record(frame));
  return concatChunks(chunks);
}

export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
