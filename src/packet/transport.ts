/**
 * Transport headers: TCP (RFC 9293), UDP (RFC 768), ICMP (RFC 792), ICMPv6 (RFC 4443). Fields are taken as
 * far as the bytes go, so a header cut at 128 bytes still gives its ports. (sflowtool wants 8 bytes before
 * it decodes any, then copies a whole 20-byte TCP header: with 8–13 bytes left its TCPFlags come from past
 * the end of the sampled header. We leave a field we cannot see undefined.) UDP to the VXLAN or Geneve port
 * hands over to the tunnel decoder.
 */
import type { DecodedPacket } from './decoded-packet.js';
import { doneAt, malformedAt, NEXT_GENEVE, NEXT_VXLAN, nextAt, truncatedAt, u16 } from './next-layer.js';

/** IANA-assigned destination ports (RFC 7348 §5, RFC 8926 §3.3). */
export const UDP_PORT_VXLAN = 4789;
export const UDP_PORT_GENEVE = 6081;

export function decodeTcp(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  const available = end - off;
  if (available >= 4) {
    p.TCPSrcPort = u16(b, off);
    p.TCPDstPort = u16(b, off + 2);
  }
  if (available >= 13) p.TCPHeaderLength = (b[off + 12] >> 4) * 4;
  if (available >= 14) p.TCPFlags = b[off + 13];
  if (available < 20) return truncatedAt(p, 'tcp', off);
  const headerLength = (b[off + 12] >> 4) * 4;
  if (headerLength < 20) return malformedAt(p, 'tcp', off);
  if (available < headerLength) return truncatedAt(p, 'tcp', off);
  return doneAt(p, off + headerLength);
}

export function decodeUdp(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  const available = end - off;
  if (available >= 4) {
    p.UDPSrcPort = u16(b, off);
    p.UDPDstPort = u16(b, off + 2);
  }
  if (available >= 6) p.UDPBytes = u16(b, off + 4);
  if (available < 8) return truncatedAt(p, 'udp', off);
  // Tunnels are known by destination port; the source port is a flow hash (RFC 7348 §5).
  const dstPort = u16(b, off + 2);
  if (dstPort === UDP_PORT_VXLAN) return nextAt(p, NEXT_VXLAN, off + 8);
  if (dstPort === UDP_PORT_GENEVE) return nextAt(p, NEXT_GENEVE, off + 8);
  return doneAt(p, off + 8);
}

/** ICMP and ICMPv6 share the first 8 bytes' layout: type, code, checksum, 4 bytes that depend on the type. */
export function decodeIcmp(p: DecodedPacket, b: Uint8Array, off: number, end: number, v6: boolean): number {
  const available = end - off;
  if (available >= 1) p.ICMPType = b[off];
  if (available >= 2) p.ICMPCode = b[off + 1];
  if (available < 8) return truncatedAt(p, v6 ? 'icmpv6' : 'icmp', off);
  return doneAt(p, off + 8);
}
