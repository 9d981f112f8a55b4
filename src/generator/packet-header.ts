/**
 * The first bytes of a packet as a switch samples them: Ethernet (802.1Q-tagged on trunks), IPv4 or IPv6,
 * and TCP or UDP, then the start of the payload, cut at the header size agents send (128 bytes).
 */
import { internetChecksum } from '../capture/frame-builder.js';
import { parseIpv4, parseIpv6, parseMac } from '../xdr/address-text.js';

export interface PacketSpec {
  srcMac: string;
  dstMac: string;
  /** An 802.1Q tag, for frames on trunk ports. */
  vlan?: number;
  srcIp: string;
  dstIp: string;
  /** 6 (TCP) or 17 (UDP). */
  protocol: number;
  srcPort: number;
  dstPort: number;
  /** The IP packet's length in bytes (header, transport and payload). */
  ipLength: number;
  tcpFlags?: number;
  ttl: number;
  /** IPv6 flow label: one per flow. */
  flowLabel?: number;
  dscp?: number;
  ipId: number;
}

export const HEADER_SIZE = 128;

/** The sampled header and the frame's length on the wire, its 4-byte FCS included (agents strip it). */
export function packetHeader(p: PacketSpec): { header: Uint8Array; frameLength: number } {
  const v6 = p.srcIp.includes(':');
  const l2 = p.vlan === undefined ? 14 : 18;
  const frameLength = l2 + p.ipLength + 4;
  const header = new Uint8Array(Math.min(HEADER_SIZE, frameLength - 4));
  const full = new Uint8Array(l2 + (v6 ? 40 : 20) + (p.protocol === 6 ? 20 : 8));
  const dv = new DataView(full.buffer);
  full.set(parseMac(p.dstMac), 0);
  full.set(parseMac(p.srcMac), 6);
  if (p.vlan !== undefined) {
    dv.setUint16(12, 0x8100);
    dv.setUint16(14, p.vlan & 0xfff);
  }
  dv.setUint16(l2 - 2, v6 ? 0x86dd : 0x0800);
  const ip = l2;
  const tos = (p.dscp ?? 0) << 2;
  let l4: number;
  if (v6) {
    dv.setUint32(ip, ((6 << 28) | (tos << 20) | ((p.flowLabel ?? 0) & 0xfffff)) >>> 0);
    dv.setUint16(ip + 4, p.ipLength - 40);
    full[ip + 6] = p.protocol;
    full[ip + 7] = p.ttl;
    full.set(parseIpv6(p.srcIp), ip + 8);
    full.set(parseIpv6(p.dstIp), ip + 24);
    l4 = ip + 40;
  } else {
    full[ip] = 0x45;
    full[ip + 1] = tos;
    dv.setUint16(ip + 2, p.ipLength);
    dv.setUint16(ip + 4, p.ipId & 0xffff);
    dv.setUint16(ip + 6, 0x4000);
    full[ip + 8] = p.ttl;
    full[ip + 9] = p.protocol;
    full.set(parseIpv4(p.srcIp), ip + 12);
    full.set(parseIpv4(p.dstIp), ip + 16);
    dv.setUint16(ip + 10, internetChecksum(full.subarray(ip, ip + 20)));
    l4 = ip + 20;
  }
  dv.setUint16(l4, p.srcPort);
  dv.setUint16(l4 + 2, p.dstPort);
  const l4Length = p.ipLength - (v6 ? 40 : 20);
  if (p.protocol === 6) {
    dv.setUint32(l4 + 4, (p.ipId * 2654435761) >>> 0);
    full[l4 + 12] = 0x50;
    full[l4 + 13] = p.tcpFlags ?? 0x10;
    dv.setUint16(l4 + 14, 65535);
  } else {
    dv.setUint16(l4 + 4, l4Length);
  }
  header.set(full.subarray(0, header.length));
  // The rest of the header is payload, left as zeros: a pattern there looks to tshark's heuristic
  // dissectors (RTCP on random UDP ports) like their protocol.
  return { header, frameLength };
}
