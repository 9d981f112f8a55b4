/**
 * Ethernet: the MAC header, IEEE 802.1Q / 802.1ad VLAN tags, and IEEE 802.3 length frames with LLC
 * (IEEE 802.2) and SNAP (RFC 1042 / RFC 2895: OUI 00-00-00 means the next two bytes are an EtherType).
 */

import { macString } from './address-strings.js';
import type { DecodedPacket } from './decoded-packet.js';
import {
  doneAt,
  ETHERTYPE_IPV4,
  NEXT_IPV4,
  nextAt,
  nextForEtherType,
  truncatedAt,
  u16,
} from './next-layer.js';

/** The largest 802.3 length; larger values of the type/length field are EtherTypes. */
const MAX_8023_LENGTH = 1500;

/**
 * 802.1Q (0x8100), 802.1ad (0x88a8), and the pre-standard QinQ TPIDs 0x9100–0x9300 that switches still send
 * (sflowtool recognises the same five).
 */
function isVlanTpid(type: number): boolean {
  return type === 0x8100 || type === 0x88a8 || type === 0x9100 || type === 0x9200 || type === 0x9300;
}

export function decodeEthernet(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  if (end - off < 12) return truncatedAt(p, 'ethernet', off);
  p.dstMAC = macString(b, off);
  p.srcMAC = macString(b, off + 6);
  if (end - off < 14) return truncatedAt(p, 'ethernet', off);
  let type = u16(b, off + 12);
  let at = off + 14;
  while (isVlanTpid(type)) {
    // The tag is the TPID just read and the TCI: PCP (3 bits), DEI (1), VLAN id (12).
    if (end - at < 4) return truncatedAt(p, 'vlan', at - 2);
    const tci = u16(b, at);
    const depth = p.vlanDepth++;
    if (depth === 0) {
      p.decodedVLAN = tci & 0x0fff;
      p.decodedPriority = tci >> 13;
    } else if (depth === 1) {
      p.innerVLAN = tci & 0x0fff;
      p.innerPriority = tci >> 13;
    }
    type = u16(b, at + 2);
    at += 4;
  }
  if (type <= MAX_8023_LENGTH) {
    // Novell's "raw 802.3" IPX puts its 0xffff checksum where the LLC header would be.
    if (end - at >= 2 && b[at] === 0xff && b[at + 1] === 0xff) return doneAt(p, at);
    return decodeLlc(p, b, at, end);
  }
  p.ethernet_type = type;
  return nextAt(p, nextForEtherType(type), at);
}

/** LLC, and SNAP after it: shared by 802.3 length frames and 802.11 data frames. */
export function decodeLlc(p: DecodedPacket, b: Uint8Array, at: number, end: number): number {
  if (end - at < 3) return truncatedAt(p, 'llc', at);
  if (b[at] === 0xaa && b[at + 1] === 0xaa && b[at + 2] === 0x03) {
    if (end - at < 8) return truncatedAt(p, 'llc', at);
    const oui = (b[at + 3] << 16) | (b[at + 4] << 8) | b[at + 5];
    if (oui !== 0) {
      // A vendor's own protocol id follows: nothing more to decode.
      p.VSNAP_OUI = oui;
      return doneAt(p, at + 8);
    }
    const type = u16(b, at + 6);
    p.ethernet_type = type;
    return nextAt(p, nextForEtherType(type), at + 8);
  }
  // SAP 0x06 is IP directly over 802.2 (RFC 1042 §"IEEE 802.2"); sflowtool reports it as EtherType 0x0800.
  if (b[at] === 0x06 && b[at + 1] === 0x06 && (b[at + 2] & 0x01) !== 0) {
    p.ethernet_type = ETHERTYPE_IPV4;
    return nextAt(p, NEXT_IPV4, at + 3);
  }
  return doneAt(p, at);
}
