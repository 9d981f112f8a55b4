/** ARP (RFC 826) and RARP (RFC 903), which share a format; addresses are decoded for Ethernet/IPv4 only. */

import { ipv4String, macString } from './address-strings.js';
import type { DecodedPacket } from './decoded-packet.js';
import { doneAt, ETHERTYPE_IPV4, truncatedAt, u16 } from './next-layer.js';

const HTYPE_ETHERNET = 1;

export function decodeArp(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  if (end - off < 8) return truncatedAt(p, 'arp', off);
  const htype = u16(b, off);
  const ptype = u16(b, off + 2);
  const hlen = b[off + 4];
  const plen = b[off + 5];
  p.ARPOperation = u16(b, off + 6);
  const length = 8 + 2 * (hlen + plen);
  if (end - off < length) return truncatedAt(p, 'arp', off);
  if (htype === HTYPE_ETHERNET && ptype === ETHERTYPE_IPV4 && hlen === 6 && plen === 4) {
    p.ARPSenderMAC = macString(b, off + 8);
    p.ARPSenderIP = ipv4String(b, off + 14);
    p.ARPTargetMAC = macString(b, off + 18);
    p.ARPTargetIP = ipv4String(b, off + 24);
  }
  return doneAt(p, off + length);
}
