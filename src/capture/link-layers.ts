/**
 * Finds the IP packet inside a frame, by the frame's link type: https://www.tcpdump.org/linktypes.html
 * Ethernet (with 802.1Q/802.1ad tags and 802.2 LLC/SNAP, as sflowtool's pcap reader accepts them), Linux cooked
 * SLL and SLL2, raw IP, BSD and OpenBSD loopback.
 */
import { LINKTYPE } from './link-types.js';

export type LinkSkipReason = 'unsupported-link' | 'not-ip' | 'truncated';

export type NetworkLayer = { ipVersion: 4 | 6; offset: number } | { skip: LinkSkipReason };

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad and the pre-standard QinQ types, as sflowtool skips them. */
const VLAN_TYPES = new Set([0x8100, 0x88a8, 0x9100, 0x9200, 0x9300]);
/** Values of the Ethernet type/length field up to this are an 802.3 length, followed by 802.2 LLC. */
const MAX_8023_LENGTH = 1500;
/** BSD AF_INET, and AF_INET6 as NetBSD/OpenBSD (24), FreeBSD (28) and macOS (30) number it. */
const AF_INET = 2;
const AF_INET6 = new Set([24, 28, 30]);

const TRUNCATED: NetworkLayer = { skip: 'truncated' };
const NOT_IP: NetworkLayer = { skip: 'not-ip' };
const UNSUPPORTED: NetworkLayer = { skip: 'unsupported-link' };

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

/** Where the IP header starts in `frame` and which version it is, or why there is none. */
export function networkLayer(linkType: number, frame: Uint8Array): NetworkLayer {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      if (frame.length < 14) return TRUNCATED;
      return afterEtherType(frame, u16(frame, 12), 14);
    case LINKTYPE.LINUX_SLL:
      // packet type, ARPHRD type, address length, 8 address bytes, protocol
      if (frame.length < 16) return TRUNCATED;
      return afterEtherType(frame, u16(frame, 14), 16);
    case LINKTYPE.LINUX_SLL2:
      // protocol, reserved, interface index, ARPHRD type, packet type, address length, 8 address bytes
      if (frame.length < 20) return TRUNCATED;
      return afterEtherType(frame, u16(frame, 0), 20);
    case LINKTYPE.RAW:
      return byVersionNibble(frame, 0, 0);
    case LINKTYPE.IPV4:
      return byVersionNibble(frame, 0, 4);
    case LINKTYPE.IPV6:
      return byVersionNibble(frame, 0, 6);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (frame.length < 4) return TRUNCATED;
      const big = ((frame[0] << 24) | (frame[1] << 16) | (frame[2] << 8) | frame[3]) >>> 0;
      // NULL is in the capturing host's byte order: a family in the high half means the other order (as
      // Wireshark guesses it).
      const little = (frame[0] | (frame[1] << 8) | (frame[2] << 16) | (frame[3] << 24)) >>> 0;
      const family = linkType === LINKTYPE.NULL && big > 0xffff ? little : big;
      if (family === AF_INET) return byVersionNibble(frame, 4, 4);
      if (AF_INET6.has(family)) return byVersionNibble(frame, 4, 6);
      return NOT_IP;
    }
    default:
      return UNSUPPORTED;
  }
}

function afterEtherType(frame: Uint8Array, firstType: number, firstOffset: number): NetworkLayer {
  let type = firstType;
  let at = firstOffset;
  while (VLAN_TYPES.has(type)) {
    if (frame.length - at < 4) return TRUNCATED;
    type = u16(frame, at + 2);
    at += 4;
  }
  if (type <= MAX_8023_LENGTH) {
    if (frame.length - at < 3) return TRUNCATED;
    if (frame[at] === 0xaa && frame[at + 1] === 0xaa && frame[at + 2] === 0x03) {
      // SNAP: OUI 00-00-00 means the next two bytes are an Ethernet type (RFC 1042).
      if (frame.length - at < 8) return TRUNCATED;
      if (frame[at + 3] !== 0 || frame[at + 4] !== 0 || frame[at + 5] !== 0) return NOT_IP;
      type = u16(frame, at + 6);
      at += 8;
    } else if (frame[at] === 0x06 && frame[at + 1] === 0x06 && frame[at + 2] & 0x01) {
      // LLC SAP 0x06 is IPv4 (RFC 1042), unnumbered frame.
      return byVersionNibble(frame, at + 3, 4);
    } else {
      return NOT_IP;
    }
  }
  if (type === ETHERTYPE_IPV4) return byVersionNibble(frame, at, 4);
  if (type === ETHERTYPE_IPV6) return byVersionNibble(frame, at, 6);
  return NOT_IP;
}

/** An IP header at `at` whose version nibble must be `expected` (0: either 4 or 6). */
function byVersionNibble(frame: Uint8Array, at: number, expected: 0 | 4 | 6): NetworkLayer {
  if (at >= frame.length) return TRUNCATED;
  const version = frame[at] >> 4;
  if (version !== 4 && version !== 6) return NOT_IP;
  if (expected !== 0 && version !== expected) return NOT_IP;
  return { ipVersion: version, offset: at };
}
