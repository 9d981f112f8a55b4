/**
 * IEEE 802.11 MAC header (IEEE 802.11-2020 §9.2.4, §9.3.2). Like sflowtool we decode data frames only:
 * their addresses, mapped to source and destination by the To DS / From DS bits. Beyond sflowtool, an
 * unprotected data frame's LLC/SNAP header is followed into IP. (sflowtool stores the source address as
 * the destination too, which shows in its -l and NetFlow output, not in its text output.)
 */

import { macString } from './address-strings.js';
import type { DecodedPacket } from './decoded-packet.js';
import { decodeLlc } from './ethernet.js';
import { doneAt, malformedAt, truncatedAt } from './next-layer.js';

const TYPE_DATA = 2;
const TO_DS = 0x01;
const FROM_DS = 0x02;
const PROTECTED = 0x40;
/** With QoS data frames, the +HTC bit: a 4-byte HT control field follows QoS control. */
const ORDER = 0x80;
/** QoS data subtypes have bit 3 set; the no-data subtypes (null, CF-ack, CF-poll) have bit 2 set. */
const SUBTYPE_QOS = 0x8;
const SUBTYPE_NO_DATA = 0x4;
/** QoS control bit 7: the payload is an A-MSDU, not one LLC frame. */
const QOS_AMSDU = 0x80;

export function decodeIeee80211(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  if (end - off < 24) return truncatedAt(p, 'ieee80211', off);
  // Frame control is little-endian: byte 0 holds version, type and subtype; byte 1 the flags.
  const fc0 = b[off];
  const flags = b[off + 1];
  if ((fc0 & 3) !== 0) return malformedAt(p, 'ieee80211', off);
  if (((fc0 >> 2) & 3) !== TYPE_DATA) return doneAt(p, off);
  const subtype = fc0 >> 4;
  const address1 = off + 4;
  const address2 = off + 10;
  const address3 = off + 16;
  let at = off + 24; // after the sequence control field
  p.rxMAC = macString(b, address1);
  p.txMAC = macString(b, address2);
  //  To DS  From DS  DA     SA
  //  0      0        addr1  addr2
  //  0      1        addr1  addr3
  //  1      0        addr3  addr2
  //  1      1        addr3  addr4 (mesh / wireless distribution system)
  if ((flags & TO_DS) !== 0) {
    p.dstMAC = macString(b, address3);
    if ((flags & FROM_DS) !== 0) {
      // sflowtool checks for 24 bytes only and reads address 4 even when the header stops short of it.
      if (end - at < 6) return truncatedAt(p, 'ieee80211', off);
      p.srcMAC = macString(b, at);
      at += 6;
    } else {
      p.srcMAC = macString(b, address2);
    }
  } else {
    p.dstMAC = macString(b, address1);
    p.srcMAC = macString(b, (flags & FROM_DS) !== 0 ? address3 : address2);
  }
  let amsdu = false;
  if ((subtype & SUBTYPE_QOS) !== 0) {
    const extra = (flags & ORDER) !== 0 ? 6 : 2;
    if (end - at < extra) return truncatedAt(p, 'ieee80211', off);
    amsdu = (b[at] & QOS_AMSDU) !== 0;
    at += extra;
  }
  // No payload, an encrypted one, or a bundle of subframes: nothing more to read.
  if ((subtype & SUBTYPE_NO_DATA) !== 0 || (flags & PROTECTED) !== 0 || amsdu) return doneAt(p, at);
  return decodeLlc(p, b, at, end);
}
