/**
 * Tunnel headers whose payload is decoded as a nested packet: VXLAN (RFC 7348), Geneve (RFC 8926), and
 * GRE (RFC 2784, with key and sequence number from RFC 2890). Each returns the NEXT_INNER_* code of the
 * payload, or stops when the payload is something we do not decode.
 */
import type { DecodedPacket } from './decoded-packet.js';
import {
  doneAt,
  ETHERTYPE_TEB,
  innerForEtherType,
  malformedAt,
  NEXT_INNER_ETHERNET,
  nextAt,
  truncatedAt,
  u16,
  u32,
} from './next-layer.js';

function u24(b: Uint8Array, at: number): number {
  return (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
}

export function decodeVxlan(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  if (end - off < 8) return truncatedAt(p, 'vxlan', off);
  // The I flag "MUST be set to 1 for a valid VXLAN Network ID" (RFC 7348 §5).
  if ((b[off] & 0x08) === 0) return malformedAt(p, 'vxlan', off);
  p.tunnel = 'vxlan';
  p.VNI = u24(b, off + 4);
  p.tunnelEtherType = ETHERTYPE_TEB;
  return nextAt(p, NEXT_INNER_ETHERNET, off + 8);
}

export function decodeGeneve(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  if (end - off < 8) return truncatedAt(p, 'geneve', off);
  if (b[off] >> 6 !== 0) return malformedAt(p, 'geneve', off);
  p.tunnel = 'geneve';
  const type = u16(b, off + 2);
  p.tunnelEtherType = type;
  p.VNI = u24(b, off + 4);
  // Options follow the fixed 8 bytes; their total length is in 4-byte words.
  const headerLength = 8 + (b[off] & 0x3f) * 4;
  if (end - off < headerLength) return truncatedAt(p, 'geneve', off);
  return nextAt(p, innerForEtherType(type), off + headerLength);
}

const GRE_CHECKSUM = 0x80;
const GRE_ROUTING = 0x40;
const GRE_KEY = 0x20;
const GRE_SEQUENCE = 0x10;

export function decodeGre(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  if (end - off < 4) return truncatedAt(p, 'gre', off);
  const flags = b[off];
  const type = u16(b, off + 2);
  p.tunnel = 'gre';
  p.tunnelEtherType = type;
  // Version 1 is PPTP's enhanced GRE (RFC 2637), carrying PPP; routing (RFC 1701, dropped by RFC 2784) puts
  // a variable list of source routes before the payload. Neither is followed.
  if ((b[off + 1] & 7) !== 0 || (flags & GRE_ROUTING) !== 0) return doneAt(p, off);
  let headerLength = 4;
  if ((flags & GRE_CHECKSUM) !== 0) headerLength += 4;
  const keyAt = off + headerLength;
  if ((flags & GRE_KEY) !== 0) headerLength += 4;
  if ((flags & GRE_SEQUENCE) !== 0) headerLength += 4;
  if (end - off < headerLength) return truncatedAt(p, 'gre', off);
  if ((flags & GRE_KEY) !== 0) p.GREKey = u32(b, keyAt);
  return nextAt(p, innerForEtherType(type), off + headerLength);
}
