/**
 * Writes pcapng files: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
 * One section: a Section Header Block, one Interface Description Block per interface (each with its own link
 * type and timestamp resolution), then an Enhanced Packet Block per frame. Incremental like PcapWriter.
 */

import { concatChunks, DEFAULT_SNAP_LENGTH, type FrameToWrite } from './pcap-writer.js';
import { BLOCK_TYPE, BYTE_ORDER_MAGIC, OPTION } from './pcapng-reader.js';
import type { TimestampResolution } from './timestamp.js';

export interface PcapngInterfaceOptions {
  /** LINKTYPE_ number (https://www.tcpdump.org/linktypes.html). */
  linkType: number;
  /** 0 for no limit; 262144 by default. */
  snapLength?: number;
  /** 'us' (the format's default, no option written) or 'ns' (if_tsresol 9, the default here). */
  resolution?: TimestampResolution;
}

export interface PcapngWriterOptions {
  interfaces: readonly PcapngInterfaceOptions[];
  littleEndian?: boolean;
}

export interface PcapngOption {
  code: number;
  value: Uint8Array;
}

/** Options, each padded to 4 bytes, ended by opt_endofopt; nothing at all when there are none. */
export function encodeOptions(options: readonly PcapngOption[], littleEndian = true): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  for (const { code, value } of options) {
    const head = new Uint8Array(4);
    const dv = new DataView(head.buffer);
    dv.setUint16(0, code, littleEndian);
    dv.setUint16(2, value.length, littleEndian);
    chunks.push(head, value, new Uint8Array((4 - (value.length % 4)) % 4));
  }
  chunks.push(new Uint8Array(4));
  return concatChunks(chunks);
}

/** A block: type, total length, the body padded to 4 bytes, total length again. */
export function encodeBlock(type: number, body: Uint8Array, littleEndian = true): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, littleEndian);
  dv.setUint32(4, total, littleEndian);
  out.set(body, 8);
  dv.setUint32(total - 4, total, littleEndian);
  return out;
}

export class PcapngWriter {
  readonly interfaces: readonly Required<PcapngInterfaceOptions>[];
  readonly littleEndian: boolean;

  constructor(options: PcapngWriterOptions) {
    this.littleEndian = options.littleEndian ?? true;
    this.interfaces = options.interfaces.map((i) => ({
      linkType: i.linkType,
      snapLength: i.snapLength ?? DEFAULT_SNAP_LENGTH,
      resolution: i.resolution ?? 'ns',
    }));
    if (this.interfaces.length === 0) throw new RangeError('a pcapng file needs at least one interface');
    for (const i of this.interfaces) {
      if (!Number.isInteger(i.linkType) || i.linkType < 0 || i.linkType > 0xffff) {
        throw new RangeError(`link type ${i.linkType}`);
      }
    }
  }

  /** The Section Header Block and the Interface Description Blocks: write them once, first. */
  fileHeader(): Uint8Array {
    const le = this.littleEndian;
    const shb = new Uint8Array(16);
    const dv = new DataView(shb.buffer);
    dv.setUint32(0, BYTE_ORDER_MAGIC, le);
    dv.setUint16(4, 1, le);
    dv.setUint16(6, 0, le);
    dv.setBigInt64(8, -1n, le); // section length not known
    const chunks = [encodeBlock(BLOCK_TYPE.SECTION_HEADER, shb, le)];
    for (const i of this.interfaces) {
      const fixed = new Uint8Array(8);
      const idv = new DataView(fixed.buffer);
      idv.setUint16(0, i.linkType, le);
      idv.setUint32(4, i.snapLength, le);
      const options = i.resolution === 'ns' ? [{ code: OPTION.IF_TSRESOL, value: Uint8Array.of(9) }] : [];
      const body = concatChunks([fixed, encodeOptions(options, le)]);
      chunks.push(encodeBlock(BLOCK_TYPE.INTERFACE_DESCRIPTION, body, le));
    }
    return concatChunks(chunks);
  }

  /** One Enhanced Packet Block, on interface `frame.interfaceId` (0 when absent). */
  record(frame: FrameToWrite & { interfaceId?: number }): Uint8Array {
    const interfaceId = frame.interfaceId ?? 0;
    const iface = this.interfaces[interfaceId];
    if (!iface) throw new RangeError(`interface ${interfaceId} was not declared`);
    if (frame.timestampNs < 0n) throw new RangeError(`timestamp ${frame.timestampNs} ns before 1970`);
    const ticks = iface.resolution === 'ns' ? frame.timestampNs : frame.timestampNs / 1000n;
    if (ticks >= 1n << 64n) throw new RangeError(`timestamp ${frame.timestampNs} ns out of range`);
    const capturedLength =
      iface.snapLength > 0 ? Math.min(frame.data.length, iface.snapLength) : frame.data.length;
    const le = this.littleEndian;
    const body = new Uint8Array(20 + capturedLength);
    const dv = new DataView(body.buffer);
    dv.setUint32(0, interfaceId, le);
    dv.setUint32(4, Number(ticks >> 32n), le);
    dv.setUint32(8, Number(ticks & 0xffffffffn), le);
    dv.setUint32(12, capturedLength, le);
    dv.setUint32(16, frame.originalLength ?? frame.data.length, le);
    body.set(frame.data.subarray(0, capturedLength), 20);
    return encodeBlock(BLOCK_TYPE.ENHANCED_PACKET, body, le);
  }
}

/** A whole pcapng file holding `frames`. */
export function writePcapng(
  frames: Iterable<FrameToWrite & { interfaceId?: number }>,
  options: PcapngWriterOptions,
): Uint8Array {
  const writer = new PcapngWriter(options);
  const chunks = [writer.fileHeader()];
  for (const frame of frames) chunks.push(writer.record(frame));
  return concatChunks(chunks);
}
