/**
 * How the layer decoders hand over to each other without calling each other: each decodes its own header,
 * sets `p.stopOffset` to where the next header starts and returns the code of the next layer (NEXT_DONE to
 * stop). The loop in decode-header.ts dispatches on the code, so no layer module imports another.
 */
import type { DecodedPacket, PacketLayer } from './decoded-packet.js';

export const NEXT_DONE = 0;
export const NEXT_ETHERNET = 1;
export const NEXT_MPLS = 2;
export const NEXT_ARP = 3;
export const NEXT_IPV4 = 4;
export const NEXT_IPV6 = 5;
export const NEXT_TCP = 6;
export const NEXT_UDP = 7;
export const NEXT_ICMP = 8;
export const NEXT_ICMPV6 = 9;
export const NEXT_GRE = 10;
export const NEXT_VXLAN = 11;
export const NEXT_GENEVE = 12;
export const NEXT_IEEE80211 = 13;
// A tunnel's payload: decoded as a new, nested packet.
export const NEXT_INNER_ETHERNET = 14;
export const NEXT_INNER_IPV4 = 15;
export const NEXT_INNER_IPV6 = 16;
export const NEXT_INNER_MPLS = 17;

/** EtherTypes (https://www.iana.org/assignments/ieee-802-numbers) the decoder follows. */
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_RARP = 0x8035;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
/** Transparent Ethernet bridging: an Ethernet frame inside GRE or Geneve. */
export const ETHERTYPE_TEB = 0x6558;

/** IP protocol numbers (https://www.iana.org/assignments/protocol-numbers). */
export const IPPROTO_ICMP = 1;
export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_GRE = 47;
export const IPPROTO_ICMPV6 = 58;

/** The next layer for an EtherType inside a frame. */
export function nextForEtherType(type: number): number {
  switch (type) {
    case ETHERTYPE_IPV4:
      return NEXT_IPV4;
    case ETHERTYPE_IPV6:
      return NEXT_IPV6;
    case ETHERTYPE_ARP:
    case ETHERTYPE_RARP:
      return NEXT_ARP;
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MULTICAST:
      return NEXT_MPLS;
    default:
      return NEXT_DONE;
  }
}

/** The next layer for an EtherType that a tunnel header gives its payload: a nested packet. */
export function innerForEtherType(type: number): number {
  switch (type) {
    case ETHERTYPE_TEB:
      return NEXT_INNER_ETHERNET;
    case ETHERTYPE_IPV4:
      return NEXT_INNER_IPV4;
    case ETHERTYPE_IPV6:
      return NEXT_INNER_IPV6;
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MULTICAST:
      return NEXT_INNER_MPLS;
    default:
      return NEXT_DONE;
  }
}

/** The next layer for an IP protocol number, after an IPv4 header or the last IPv6 extension header. */
export function nextForIpProtocol(protocol: number): number {
  switch (protocol) {
    case IPPROTO_TCP:
      return NEXT_TCP;
    case IPPROTO_UDP:
      return NEXT_UDP;
    case IPPROTO_ICMP:
      return NEXT_ICMP;
    case IPPROTO_ICMPV6:
      return NEXT_ICMPV6;
    case IPPROTO_GRE:
      return NEXT_GRE;
    case IPPROTO_IPIP:
      return NEXT_INNER_IPV4;
    case IPPROTO_IPV6:
      return NEXT_INNER_IPV6;
    default:
      return NEXT_DONE;
  }
}

/** Marks `layer` as cut short where its header starts, and ends decoding. */
export function truncatedAt(p: DecodedPacket, layer: PacketLayer, at: number): number {
  p.truncated = layer;
  p.stopOffset = at;
  return NEXT_DONE;
}

/** Marks `layer` as impossible where its header starts, and ends decoding. */
export function malformedAt(p: DecodedPacket, layer: PacketLayer, at: number): number {
  p.malformed = layer;
  p.stopOffset = at;
  return NEXT_DONE;
}

/** Ends decoding with the payload that starts at `at` left undecoded. */
export function doneAt(p: DecodedPacket, at: number): number {
  p.stopOffset = at;
  return NEXT_DONE;
}

/** Hands over to `next`, whose header starts at `at`. */
export function nextAt(p: DecodedPacket, next: number, at: number): number {
  p.stopOffset = at;
  return next;
}

export function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

export function u32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Hands over to the layer for IP protocol `protocol` at `at`; IP in IP makes this packet an `ipip` tunnel. */
export function nextForIp(p: DecodedPacket, protocol: number, at: number): number {
  const next = nextForIpProtocol(protocol);
  if (next === NEXT_INNER_IPV4 || next === NEXT_INNER_IPV6) p.tunnel = 'ipip';
  p.stopOffset = at;
  return next;
}
