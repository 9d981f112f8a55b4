/**
 * The link-layer header types this module reads and writes, by their LINKTYPE_ number as stored in pcap and
 * pcapng files: https://www.tcpdump.org/linktypes.html
 */
export const LINKTYPE = {
  /** BSD loopback: a 4-byte address family in the byte order of the machine that captured. */
  NULL: 0,
  ETHERNET: 1,
  /** Raw IP; the version nibble tells IPv4 from IPv6. */
  RAW: 101,
  /** OpenBSD loopback: like NULL, but the address family is always big-endian. */
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export type LinkTypeName = keyof typeof LINKTYPE;

const NAMES = new Map<number, LinkTypeName>(
  Object.entries(LINKTYPE).map(([name, value]) => [value, name as LinkTypeName]),
);

/** The LINKTYPE_ name of a link type number (without the prefix), or undefined for one this module ignores. */
export function linkTypeName(linkType: number): LinkTypeName | undefined {
  return NAMES.get(linkType);
}
