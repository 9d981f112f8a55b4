/**
 * Reads pcapng files: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
 * Section Header, Interface Description (if_tsresol, if_tsoffset), Enhanced Packet, Simple Packet and the
 * obsolete Packet Block; every other block is skipped by its length. Each section has its own byte order and
 * its own interfaces, so link types may differ from packet to packet.
 */
import { CaptureError } from './capture-error.js';
import type { CapturedFrame } from './captured-frame.js';
import { NS_PER_SECOND } from './timestamp.js';

export const BLOCK_TYPE = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  /** Obsolete, but old files still have it. */
  PACKET: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  ENHANCED_PACKET: 0x00000006,
} as const;

export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const OPTION = {
  END_OF_OPT: 0,
  IF_TSRESOL: 9,
  IF_TSOFFSET: 14,
} as const;

/** Whether the bytes start with a Section Header Block (its type reads the same in both byte orders). */
export function isPcapng(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a
  );
}

interface Interface {
  linkType: number;
  snapLength: number;
  /** Timestamp ticks per second (if_tsresol; 10^6 when absent). */
  unitsPerSecond: bigint;
  /** Nanoseconds per tick when that is a whole number (the usual case), else 0n and ticks are divided. */
  nsPerUnit: bigint;
  /** if_tsoffset in nanoseconds. */
  offsetNs: bigint;
}

/**
 * The frames of a pcapng file, as views into `bytes`. The first block must be a Section Header, checked now;
 * a malformed block throws a CaptureError when reached, after every frame before it was yielded.
 */
export function readPcapng(bytes: Uint8Array): Generator<CapturedFrame> {
  if (bytes.length < 4) throw new CaptureError('TRUNCATED_HEADER', 0, `${bytes.length} bytes`);
  if (!isPcapng(bytes)) throw new CaptureError('BAD_MAGIC', 0, 'first block is not a Section Header Block');
  if (bytes.length < 28) {
    throw new CaptureError(
      'TRUNCATED_HEADER',
      0,
      `Section Header Block needs 28 bytes, file has ${bytes.length}`,
    );
  }
  return pcapngFrames(bytes);
}

function* pcapngFrames(bytes: Uint8Array): Generator<CapturedFrame> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let le = true;
  let interfaces: Interface[] = [];
  let pos = 0;
  while (pos < n) {
    if (n - pos < 12) {
      throw new CaptureError('TRUNCATED_BLOCK', pos, `block header needs 12 bytes, ${n - pos} left`);
    }
    const type = dv.getUint32(pos, le);
    if (type === BLOCK_TYPE.SECTION_HEADER) {
      // A new section may change byte order: its magic tells, before the length can be read.
      const magic = dv.getUint32(pos + 8, true);
      if (magic === BYTE_ORDER_MAGIC) le = true;
      else if (dv.getUint32(pos + 8, false) === BYTE_ORDER_MAGIC) le = false;
      else throw new CaptureError('BAD_BYTE_ORDER_MAGIC', pos + 8, `0x${magic.toString(16)}`);
    }
    const length = dv.getUint32(pos + 4, le);
    if (length < 12 || length % 4 !== 0) throw new CaptureError('BAD_BLOCK_LENGTH', pos, `${length}`);
    if (length > n - pos) {
      throw new CaptureError('TRUNCATED_BLOCK', pos, `block declares ${length} bytes, ${n - pos} left`);
    }
    const trailing = dv.getUint32(pos + length - 4, le);
    if (trailing !== length) {
      throw new CaptureError(
        'BLOCK_LENGTH_MISMATCH',
        pos + length - 4,
        `leading ${length}, trailing ${trailing}`,
      );
    }
    const body = pos + 8;
    const bodyEnd = pos + length - 4;
    const short = (need: number) => {
      if (bodyEnd - body < need) {
        throw new CaptureError(
          'BLOCK_TOO_SHORT',
          pos,
          `block type ${type} needs ${need} body bytes, has ${bodyEnd - body}`,
        );
      }
    };
    switch (type) {
      case BLOCK_TYPE.SECTION_HEADER: {
        short(16);
        const major = dv.getUint16(body + 4, le);
        if (major !== 1) throw new CaptureError('UNSUPPORTED_VERSION', body + 4, `pcapng version ${major}`);
        interfaces = [];
        break;
      }
      case BLOCK_TYPE.INTERFACE_DESCRIPTION:
        short(8);
        interfaces.push(readInterface(dv, body, bodyEnd, le));
        break;
      case BLOCK_TYPE.ENHANCED_PACKET:
      case BLOCK_TYPE.PACKET: {
        short(20);
        const enhanced = type === BLOCK_TYPE.ENHANCED_PACKET;
        const interfaceId = enhanced ? dv.getUint32(body, le) : dv.getUint16(body, le);
        const iface = interfaces[interfaceId];
        if (!iface) {
          throw new CaptureError(
            'UNKNOWN_INTERFACE',
            body,
            `interface ${interfaceId} of ${interfaces.length}`,
          );
        }
        const capturedLength = dv.getUint32(body + 12, le);
        const dataStart = body + 20;
        if (capturedLength > bodyEnd - dataStart) {
          throw new CaptureError(
            'BLOCK_TOO_SHORT',
            pos,
            `captured length ${capturedLength} runs past the block`,
          );
        }
        const ticks = (BigInt(dv.getUint32(body + 4, le)) << 32n) | BigInt(dv.getUint32(body + 8, le));
        yield {
          linkType: iface.linkType,
          timestampNs: ticksToNs(iface, ticks),
          data: bytes.subarray(dataStart, dataStart + capturedLength),
          originalLength: dv.getUint32(body + 16, le),
          interfaceId,
          offset: pos,
        };
        break;
      }
      case BLOCK_TYPE.SIMPLE_PACKET: {
        short(4);
        const iface = interfaces[0];
        if (!iface) {
          throw new CaptureError('UNKNOWN_INTERFACE', body, 'Simple Packet Block without interface 0');
        }
        const originalLength = dv.getUint32(body, le);
        // The captured length is not stored: it is the original length, cut to the snap length and the block.
        let capturedLength = Math.min(originalLength, bodyEnd - body - 4);
        if (iface.snapLength > 0) capturedLength = Math.min(capturedLength, iface.snapLength);
        yield {
          linkType: iface.linkType,
          timestampNs: 0n,
          data: bytes.subarray(body + 4, body + 4 + capturedLength),
          originalLength,
          interfaceId: 0,
          offset: pos,
        };
        break;
      }
      default:
      // Name resolution, statistics, decryption secrets, custom blocks: nothing a frame needs.
    }
    pos += length;
  }
}

function readInterface(dv: DataView, body: number, end: number, le: boolean): Interface {
  const iface: Interface = {
    linkType: dv.getUint16(body, le),
    snapLength: dv.getUint32(body + 4, le),
    unitsPerSecond: 1_000_000n,
    nsPerUnit: 1000n,
    offsetNs: 0n,
  };
  let at = body + 8;
  while (at < end) {
    if (end - at < 4) throw new CaptureError('BAD_OPTION', at, 'option header runs past the block');
    const code = dv.getUint16(at, le);
    const length = dv.getUint16(at + 2, le);
    const value = at + 4;
    if (code === OPTION.END_OF_OPT) break;
    if (length > end - value) {
      throw new CaptureError('BAD_OPTION', at, `option ${code} length ${length} runs past the block`);
    }
    if (code === OPTION.IF_TSRESOL) {
      if (length !== 1) throw new CaptureError('BAD_OPTION', at, `if_tsresol length ${length}`);
      const v = dv.getUint8(value);
      // High bit set: a negative power of 2; clear: a negative power of 10.
      iface.unitsPerSecond = v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
      iface.nsPerUnit =
        NS_PER_SECOND % iface.unitsPerSecond === 0n ? NS_PER_SECOND / iface.unitsPerSecond : 0n;
    } else if (code === OPTION.IF_TSOFFSET) {
      if (length !== 8) throw new CaptureError('BAD_OPTION', at, `if_tsoffset length ${length}`);
      iface.offsetNs = dv.getBigInt64(value, le) * NS_PER_SECOND;
    }
    at = value + ((length + 3) & ~3);
  }
  return iface;
}

function ticksToNs(iface: Interface, ticks: bigint): bigint {
  const ns = iface.nsPerUnit ? ticks * iface.nsPerUnit : (ticks * NS_PER_SECOND) / iface.unitsPerSecond;
  return ns + iface.offsetNs;
}
