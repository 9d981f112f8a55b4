/**
 * IPv6 (RFC 8200) and the extension headers between it and the transport: hop-by-hop options (0), routing
 * (43), fragment (44), destination options (60), and the authentication header (51, RFC 4302). ESP (50)
 * ends decoding: what follows is encrypted.
 */

import { ipv6String } from './address-strings.js';
import type { DecodedPacket } from './decoded-packet.js';
import { doneAt, malformedAt, nextForIp, truncatedAt, u16, u32 } from './next-layer.js';

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTHENTICATION = 51;
const DESTINATION_OPTIONS = 60;

function isExtensionHeader(next: number): boolean {
  return (
    next === HOP_BY_HOP ||
    next === ROUTING ||
    next === FRAGMENT ||
    next === AUTHENTICATION ||
    next === DESTINATION_OPTIONS
  );
}

export function decodeIpv6(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  if (end - off < 1) return truncatedAt(p, 'ipv6', off);
  if (b[off] >> 4 !== 6) return malformedAt(p, 'ipv6', off);
  p.ipVersion = 6;
  p.offsetToIP = off;
  if (end - off < 40) return truncatedAt(p, 'ipv6', off);
  p.IPTOS = ((b[off] & 15) << 4) | (b[off + 1] >> 4);
  p.IP6_label = ((b[off + 1] & 15) << 16) | (b[off + 2] << 8) | b[off + 3];
  p.IPV6_payloadLen = u16(b, off + 4);
  let next = b[off + 6];
  p.IPTTL = b[off + 7];
  p.srcIP6 = ipv6String(b, off + 8);
  p.dstIP6 = ipv6String(b, off + 24);
  p.IPFragmentOffset = 0;
  p.IPMoreFragments = false;
  let at = off + 40;
  // Every extension header is at least 8 bytes long, so the bytes bound this loop.
  while (isExtensionHeader(next)) {
    if (p.IP6HeaderExtensions === undefined) p.IP6HeaderExtensions = [next];
    else p.IP6HeaderExtensions.push(next);
    if (end - at < 2) return truncatedAt(p, 'ipv6-ext', at);
    // The fragment header has a fixed size; AH counts 4-byte words less 2 (RFC 4302 §2.2), the others
    // 8-byte units less 1 (RFC 8200 §4.3). sflowtool reads AH's length as 8-byte units too, which lands
    // it in the wrong place after any AH; we follow the RFC.
    const length =
      next === FRAGMENT ? 8 : next === AUTHENTICATION ? (b[at + 1] + 2) * 4 : (b[at + 1] + 1) * 8;
    if (end - at < length) return truncatedAt(p, 'ipv6-ext', at);
    if (next === FRAGMENT) {
      p.IPFragmentOffset = u16(b, at + 2) >> 3;
      p.IPMoreFragments = (b[at + 3] & 1) !== 0;
      p.IPID = u32(b, at + 4);
    }
    next = b[at];
    at += length;
  }
  p.IPProtocol = next;
  // Like IPv4, a later fragment has no transport header (sflowtool decodes one anyway).
  if (p.IPFragmentOffset !== 0) return doneAt(p, at);
  return nextForIp(p, next, at);
}
