/**
 * Decodes the bytes of a sampled packet header (sFlow v5 flow record 0:1, https://sflow.org/sflow_version_5.txt)
 * into one DecodedPacket. Never throws: a header cut short, or bytes that make no sense, end decoding where
 * they start and say so (`truncated`, `malformed`, `stopOffset`).
 */
import { decodeArp } from './arp.js';
import { createPacket, type DecodedPacket } from './decoded-packet.js';
import { decodeEthernet } from './ethernet.js';
import { HEADER_PROTOCOL } from './header-protocols.js';
import { decodeIeee80211 } from './ieee80211.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeMpls } from './mpls.js';
import {
  NEXT_ARP,
  NEXT_DONE,
  NEXT_ETHERNET,
  NEXT_GENEVE,
  NEXT_GRE,
  NEXT_ICMP,
  NEXT_ICMPV6,
  NEXT_IEEE80211,
  NEXT_INNER_ETHERNET,
  NEXT_INNER_IPV4,
  NEXT_INNER_IPV6,
  NEXT_IPV4,
  NEXT_IPV6,
  NEXT_MPLS,
  NEXT_TCP,
  NEXT_UDP,
  NEXT_VXLAN,
} from './next-layer.js';
import { decodeIcmp, decodeTcp, decodeUdp } from './transport.js';
import { decodeGeneve, decodeGre, decodeVxlan } from './tunnels.js';

/**
 * Tunnels nest at most this deep; a deeper inner packet is left undecoded at the outer one's stopOffset.
 * Without a bound, a crafted header of nested IP-in-IP would recurse once per 20 bytes.
 */
export const MAX_TUNNEL_DEPTH = 4;

/**
 * Decodes `bytes` as a packet of `headerProtocol` (HEADER_PROTOCOL). `frameLength` and `stripped` are the
 * record's `frame_length` and `stripped`: give them to get IPSize, the size of the sampled IP packet.
 * Protocols other than Ethernet, IPv4, IPv6, MPLS and 802.11 decode to nothing (stopOffset 0).
 */
export function decodeHeader(
  headerProtocol: number,
  bytes: Uint8Array,
  frameLength = -1,
  stripped = 0,
): DecodedPacket {
  const p = createPacket(headerProtocol, 0);
  decodeLayers(p, bytes, bytes.length, firstLayer(headerProtocol), 0);
  if (frameLength >= 0 && p.offsetToIP !== undefined) p.IPSize = frameLength - stripped - p.offsetToIP;
  return p;
}

function firstLayer(headerProtocol: number): number {
  switch (headerProtocol) {
    case HEADER_PROTOCOL.ETHERNET_ISO8023:
      return NEXT_ETHERNET;
    case HEADER_PROTOCOL.IPv4:
      return NEXT_IPV4;
    case HEADER_PROTOCOL.IPv6:
      return NEXT_IPV6;
    case HEADER_PROTOCOL.MPLS:
      return NEXT_MPLS;
    case HEADER_PROTOCOL.IEEE80211MAC:
      return NEXT_IEEE80211;
    default:
      return NEXT_DONE;
  }
}

function decodeLayers(p: DecodedPacket, b: Uint8Array, end: number, first: number, depth: number): void {
  let next = first;
  while (next !== NEXT_DONE) {
    const at = p.stopOffset;
    switch (next) {
      case NEXT_ETHERNET:
        next = decodeEthernet(p, b, at, end);
        break;
      case NEXT_IPV4:
        next = decodeIpv4(p, b, at, end);
        break;
      case NEXT_IPV6:
        next = decodeIpv6(p, b, at, end);
        break;
      case NEXT_TCP:
        next = decodeTcp(p, b, at, end);
        break;
      case NEXT_UDP:
        next = decodeUdp(p, b, at, end);
        break;
      case NEXT_ICMP:
        next = decodeIcmp(p, b, at, end, false);
        break;
      case NEXT_ICMPV6:
        next = decodeIcmp(p, b, at, end, true);
        break;
      case NEXT_MPLS:
        next = decodeMpls(p, b, at, end);
        break;
      case NEXT_ARP:
        next = decodeArp(p, b, at, end);
        break;
      case NEXT_GRE:
        next = decodeGre(p, b, at, end);
        break;
      case NEXT_VXLAN:
        next = decodeVxlan(p, b, at, end);
        break;
      case NEXT_GENEVE:
        next = decodeGeneve(p, b, at, end);
        break;
      case NEXT_IEEE80211:
        next = decodeIeee80211(p, b, at, end);
        break;
      default:
        decodeInner(p, b, end, next, depth);
        next = NEXT_DONE;
    }
  }
}

/** Decodes a tunnel's payload, which starts at the outer packet's stopOffset, as `p.inner`. */
function decodeInner(p: DecodedPacket, b: Uint8Array, end: number, next: number, depth: number): void {
  if (depth >= MAX_TUNNEL_DEPTH) return;
  let headerProtocol: number;
  let first: number;
  switch (next) {
    case NEXT_INNER_ETHERNET:
      headerProtocol = HEADER_PROTOCOL.ETHERNET_ISO8023;
      first = NEXT_ETHERNET;
      break;
    case NEXT_INNER_IPV4:
      headerProtocol = HEADER_PROTOCOL.IPv4;
      first = NEXT_IPV4;
      break;
    case NEXT_INNER_IPV6:
      headerProtocol = HEADER_PROTOCOL.IPv6;
      first = NEXT_IPV6;
      break;
    default:
      headerProtocol = HEADER_PROTOCOL.MPLS;
      first = NEXT_MPLS;
  }
  const inner = createPacket(headerProtocol, p.stopOffset);
  p.inner = inner;
  decodeLayers(inner, b, end, first, depth + 1);
}
