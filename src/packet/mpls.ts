/**
 * MPLS label stack (RFC 3032). The payload after the bottom of the stack carries no type; like most
 * decoders we take IPv4 or IPv6 from its first nibble (RFC 4928 explains why routers do the same) and leave
 * anything else, such as pseudowires (RFC 4385), undecoded.
 */
import type { DecodedPacket } from './decoded-packet.js';
import { doneAt, NEXT_IPV4, NEXT_IPV6, nextAt, truncatedAt, u32 } from './next-layer.js';

const BOTTOM_OF_STACK = 0x100;

export function decodeMpls(p: DecodedPacket, b: Uint8Array, off: number, end: number): number {
  const stack: number[] = [];
  p.mplsLabelStack = stack;
  let at = off;
  for (;;) {
    if (end - at < 4) return truncatedAt(p, 'mpls', at);
    const entry = u32(b, at);
    stack.push(entry);
    at += 4;
    if ((entry & BOTTOM_OF_STACK) !== 0) break;
  }
  // With no payload byte there is no telling what it would have been, so this is no truncation.
  if (at >= end) return doneAt(p, at);
  const version = b[at] >> 4;
  if (version === 4) return nextAt(p, NEXT_IPV4, at);
  if (version === 6) return nextAt(p, NEXT_IPV6, at);
  return doneAt(p, at);
}
