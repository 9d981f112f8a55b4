/**
 * Reads classic libpcap files: https://www.tcpdump.org/manpages/pcap-savefile.5.html
 * Both byte orders, microsecond (0xa1b2c3d4) and nanosecond (0xa1b23c4d) magic, and Alexey Kuznetzov's
 * modified format (0xa1b2cd34, 8 more bytes per record header), which editcap still writes as "modpcap".
 */
import { CaptureError } from './capture-error.js';
import type { CapturedFrame } from './captured-frame.js';
import type { TimestampResolution } from './timestamp.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
export const PCAP_FILE_HEADER_LENGTH = 24;

export interface PcapHeader {
  littleEndian: boolean;
  resolution: TimestampResolution;
  /** Kuznetzov's modified pcap: record headers carry ifindex, protocol and packet type too. */
  modified: boolean;
  versionMajor: number;
  versionMinor: number;
  snapLength: number;
  /** The LINKTYPE_ number: the low 16 bits of the header's link type field. */
  linkType: number;
  /** Bytes of frame check sequence at the end of each frame, when the header's F bit says so. */
  fcsLength: number | undefined;
  /** Length of each record header: 16, or 24 in the modified format. */
  recordHeaderLength: number;
}

/** The magic numbers, read big-endian, with what they mean. */
const MAGICS = new Map<number, { resolution: TimestampResolution; modified: boolean }>([
  [PCAP_MAGIC_US, { resolution: 'us', modified: false }],
  [PCAP_MAGIC_NS, { resolution: 'ns', modified: false }],
  [PCAP_MAGIC_MODIFIED, { resolution: 'us', modified: true }],
]);

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Whether the first four bytes are a pcap magic number in either byte order. */
export function isPcap(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const dv = dataView(bytes);
  return MAGICS.has(dv.getUint32(0, false)) || MAGICS.has(dv.getUint32(0, true));
}

export function readPcapHeader(bytes: Uint8Array): PcapHeader {
  if (bytes.length < 4) throw new CaptureError('TRUNCATED_HEADER', 0, `${bytes.length} bytes`);
  const dv = dataView(bytes);
  const big = MAGICS.get(dv.getUint32(0, false));
  const little = MAGICS.get(dv.getUint32(0, true));
  const kind = big ?? little;
  if (!kind) {
    throw new CaptureError('BAD_MAGIC', 0, `0x${dv.getUint32(0, false).toString(16).padStart(8, '0')}`);
  }
  if (bytes.length < PCAP_FILE_HEADER_LENGTH) {
    throw new CaptureError(
      'TRUNCATED_HEADER',
      0,
      `pcap file header needs 24 bytes, file has ${bytes.length}`,
    );
  }
  const le = !big;
  const versionMajor = dv.getUint16(4, le);
  // libpcap refuses major versions other than 2 (1 is "archaic"; nothing newer was ever written).
  if (versionMajor !== 2) throw new CaptureError('UNSUPPORTED_VERSION', 4, `pcap version ${versionMajor}`);
  const linkField = dv.getUint32(20, le);
  return {
    littleEndian: le,
    resolution: kind.resolution,
    modified: kind.modified,
    versionMajor,
    versionMinor: dv.getUint16(6, le),
    snapLength: dv.getUint32(16, le),
    linkType: linkField & 0xffff,
    // Bit 26 (F) says bits 28-31 hold the FCS length in 16-bit words.
    fcsLength: linkField & 0x04000000 ? (linkField >>> 28) * 2 : undefined,
    recordHeaderLength: kind.modified ? 24 : 16,
  };
}

/**
 * The frames of a pcap file, as views into `bytes`. The file header is checked now; a record the file cuts
 * short throws a CaptureError when reached, after every frame before it was yielded.
 */
export function readPcap(bytes: Uint8Array): Generator<CapturedFrame> {
  return pcapFrames(bytes, readPcapHeader(bytes), PCAP_FILE_HEADER_LENGTH);
}

/**
 * The records in `bytes` from `from` on, of a file with `header`: for a stream of records whose file header
 * came earlier.
 */
export function* pcapFrames(bytes: Uint8Array, header: PcapHeader, from: number): Generator<CapturedFrame> {
  const dv = dataView(bytes);
  const le = header.littleEndian;
  const fractionNs = header.resolution === 'us' ? 1000n : 1n;
  const { linkType, recordHeaderLength } = header;
  let pos = from;
  while (pos < bytes.length) {
    const left = bytes.length - pos;
    if (left < recordHeaderLength) {
      throw new CaptureError(
        'TRUNCATED_RECORD',
        pos,
        `record header needs ${recordHeaderLength} bytes, ${left} left`,
      );
    }
    const capturedLength = dv.getUint32(pos + 8, le);
    const dataStart = pos + recordHeaderLength;
    if (capturedLength > bytes.length - dataStart) {
      throw new CaptureError(
        'TRUNCATED_RECORD',
        pos,
        `record declares ${capturedLength} captured bytes, ${bytes.length - dataStart} left`,
      );
    }
    yield {
      linkType,
      timestampNs:
        BigInt(dv.getUint32(pos, le)) * 1_000_000_000n + BigInt(dv.getUint32(pos + 4, le)) * fractionNs,
      data: bytes.subarray(dataStart, dataStart + capturedLength),
      originalLength: dv.getUint32(pos + 12, le),
      interfaceId: 0,
      offset: pos,
    };
    pos = dataStart + capturedLength;
  }
}
