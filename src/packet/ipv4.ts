/** IPv4 (RFC 791): the header with its options skipped; the transport is decoded for first fragments only. */
import { ipv4String } from './address-strings.js';
import type { DecodedPacket } from './decoded-packet.js';
import { doneAt, malformedAt, nextForIp, truncatedAt, u16 } from './next-layer.js';

const MORE_FRAGMENTS = 0x2000;
const FRAGMENT_OFFSET = 0x1fff;

export function decodeIpv4(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  if (end - off < 1) return truncatedAt(p, 'ipv4', off);
  const versionAndLength = b[off];
  // sflowtool checks version and IHL behind an EtherType but not for header protocol 11; we check both.
  if (versionAndLength >> 4 !== 4) return malformedAt(p, 'ipv4', off);
  p.ipVersion = 4;
  p.offsetToIP = off;
  if (end - off < 20) return truncatedAt(p, 'ipv4', off);
  const headerLength = (versionAndLength & 15) * 4;
  if (headerLength < 20) return malformedAt(p, 'ipv4', off);
  p.IPHeaderLength = headerLength;
  p.IPTOS = b[off + 1];
  p['ip.tot_len'] = u16(b, off + 2);
  p.IPID = u16(b, off + 4);
  const fragment = u16(b, off + 6);
  const fragmentOffset = fragment & FRAGMENT_OFFSET;
  p.IPFragmentOffset = fragmentOffset;
  p.IPMoreFragments = (fragment & MORE_FRAGMENTS) !== 0;
  p.IPTTL = b[off + 8];
  const protocol = b[off + 9];
  p.IPProtocol = protocol;
  p.srcIP = ipv4String(b, off + 12);
  p.dstIP = ipv4String(b, off + 16);
  if (end - off < headerLength) return truncatedAt(p, 'ipv4', off);
  // A later fragment's payload starts mid-way through the transport: there is no header to read.
  if (fragmentOffset !== 0) return doneAt(p, off + headerLength);
  return nextForIp(p, protocol, off + headerLength);
}
