/**
 * Wraps a UDP payload in UDP (RFC 768), IPv4 (RFC 791) or IPv6 (RFC 8200) and a link-layer header of a chosen
 * type (https://www.tcpdump.org/linktypes.html), with correct lengths and checksums, so that a written capture of
 * sFlow datagrams is one that any pcap reader decodes.
 */
import { LINKTYPE } from './link-types.js';

export interface UdpEndpoints {
  /** 4 bytes (IPv4) or 16 bytes (IPv6); both addresses of the same family. */
  srcAddress: Uint8Array;
  srcPort: number;
  dstAddress: Uint8Array;
  dstPort: number;
}

/**
 * An IPv6 extension header (RFC 8200 section 4) between the IPv6 header and UDP: `type` is its protocol number
 * (0 hop-by-hop, 43 routing, 44 fragment, 51 authentication, 60 destination options), `bytes` the whole header,
 * a multiple of 8 bytes long, whose first byte (next header) is filled in here.
 */
export interface Ipv6Extension {
  type: number;
  bytes: Uint8Array;
}

export interface IpUdpOptions extends UdpEndpoints {
  /** IPv4 TTL or IPv6 hop limit; 64 by default. */
  ttl?: number;
  /** IPv4 identification; 0 by default. */
  ipId?: number;
  /** IPv6 extension headers, in order. */
  ipv6Extensions?: readonly Ipv6Extension[];
}

export interface WrapUdpOptions extends IpUdpOptions {
  /** LINKTYPE_ number: ETHERNET (default), LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL or LOOP. */
  linkType?: number;
  /** Ethernet addresses (6 bytes); SLL and SLL2 carry the source one. */
  srcMac?: Uint8Array;
  dstMac?: Uint8Array;
  /** VLAN IDs, outermost first, for Ethernet: one gives an 802.1Q tag, more give 802.1ad (QinQ) outer tags. */
  vlans?: readonly number[];
}

const DEFAULT_SRC_MAC = Uint8Array.of(0, 0, 0, 0, 0, 1);
const DEFAULT_DST_MAC = Uint8Array.of(0, 0, 0, 0, 0, 2);
const ARPHRD_ETHER = 1;
const IPPROTO_UDP = 17;
/** BSD address family for IPv6 in NULL headers: macOS's value, the commonest producer of such captures. */
const NULL_AF_INET6 = 30;
/** OpenBSD's AF_INET6, for LOOP headers (an OpenBSD link type). */
const LOOP_AF_INET6 = 24;

/** The RFC 1071 one's-complement sum of `bytes`, folded to 16 bits, added to `initial`. */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length & 1) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum (RFC 1071) of `bytes`. */
export function internetChecksum(bytes: Uint8Array): number {
  return ~onesComplementSum(bytes) & 0xffff;
}

/** An IPv4 or IPv6 packet holding one UDP datagram, both checksums filled in. */
export function buildIpUdp(payload: Uint8Array, options: IpUdpOptions): Uint8Array {
  return writeIpUdp(payload, options, 0, (length) => new Uint8Array(length));
}

/** A frame of the chosen link type holding `payload` in UDP over IPv4 or IPv6 (by the addresses' length). */
export function wrapUdp(payload: Uint8Array, options: WrapUdpOptions): Uint8Array {
  const v6 = options.srcAddress.length === 16;
  const etherType = v6 ? 0x86dd : 0x0800;
  const linkType = options.linkType ?? LINKTYPE.ETHERNET;
  const srcMac = options.srcMac ?? DEFAULT_SRC_MAC;
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      const vlans = options.vlans ?? [];
      const headerLength = 14 + 4 * vlans.length;
      return writeIpUdp(payload, options, headerLength, (length) => {
        const out = new Uint8Array(length);
        const dv = new DataView(out.buffer);
        out.set(options.dstMac ?? DEFAULT_DST_MAC, 0);
        out.set(srcMac, 6);
        vlans.forEach((vlan, i) => {
          if (!Number.isInteger(vlan) || vlan < 0 || vlan > 0xfff) throw new RangeError(`VLAN ID ${vlan}`);
          // In QinQ the outer tags are 802.1ad service tags, the innermost an 802.1Q customer tag.
          dv.setUint16(12 + 4 * i, i < vlans.length - 1 ? 0x88a8 : 0x8100);
          dv.setUint16(14 + 4 * i, vlan);
        });
        dv.setUint16(headerLength - 2, etherType);
        return out;
      });
    }
    case LINKTYPE.LINUX_SLL:
      return writeIpUdp(payload, options, 16, (length) => {
        const out = new Uint8Array(length);
        const dv = new DataView(out.buffer);
        dv.setUint16(0, 0); // packet type: sent to us
        dv.setUint16(2, ARPHRD_ETHER);
        dv.setUint16(4, srcMac.length);
        out.set(srcMac.subarray(0, 8), 6);
        dv.setUint16(14, etherType);
        return out;
      });
    case LINKTYPE.LINUX_SLL2:
      return writeIpUdp(payload, options, 20, (length) => {
        const out = new Uint8Array(length);
        const dv = new DataView(out.buffer);
        dv.setUint16(0, etherType);
        dv.setUint32(4, 1); // interface index
        dv.setUint16(8, ARPHRD_ETHER);
        out[10] = 0; // packet type: sent to us
        out[11] = srcMac.length;
        out.set(srcMac.subarray(0, 8), 12);
        return out;
      });
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      if (v6 !== (linkType === LINKTYPE.IPV6)) {
        throw new RangeError(`link type ${linkType} does not carry IPv${v6 ? 6 : 4}`);
      }
      return buildIpUdp(payload, options);
    case LINKTYPE.RAW:
      return buildIpUdp(payload, options);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      return writeIpUdp(payload, options, 4, (length) => {
        const out = new Uint8Array(length);
        // NULL is in the capturing host's byte order: little-endian, as on nearly every host today.
        const family = !v6 ? 2 : linkType === LINKTYPE.NULL ? NULL_AF_INET6 : LOOP_AF_INET6;
        new DataView(out.buffer).setUint32(0, family, linkType === LINKTYPE.NULL);
        return out;
      });
    default:
      throw new RangeError(`cannot build frames of link type ${linkType}`);
  }
}

/** Writes the IP packet at `at` into the buffer `allocate` makes (with the link-layer header before it). */
function writeIpUdp(
  payload: Uint8Array,
  options: IpUdpOptions,
  at: number,
  allocate: (length: number) => Uint8Array,
): Uint8Array {
  const { srcAddress, dstAddress, srcPort, dstPort } = options;
  const v6 = srcAddress.length === 16;
  if ((srcAddress.length !== 4 && !v6) || dstAddress.length !== srcAddress.length) {
    throw new RangeError('addresses must both be 4 bytes (IPv4) or both 16 bytes (IPv6)');
  }
  checkU16('srcPort', srcPort);
  checkU16('dstPort', dstPort);
  const extensions = options.ipv6Extensions ?? [];
  if (extensions.length > 0 && !v6) throw new RangeError('extension headers are for IPv6');
  let ipHeader = v6 ? 40 : 20;
  for (const e of extensions) {
    if (e.bytes.length === 0 || e.bytes.length % 8 !== 0) {
      throw new RangeError('extension headers are 8n bytes long');
    }
    ipHeader += e.bytes.length;
  }
  const udpLength = 8 + payload.length;
  // IPv4 counts its header in the 16-bit total length, IPv6 only what follows the fixed header.
  const ipLength = v6 ? ipHeader - 40 + udpLength : ipHeader + udpLength;
  if (ipLength > 0xffff || udpLength > 0xffff) {
    throw new RangeError(`payload of ${payload.length} bytes is too long`);
  }
  const out = allocate(at + ipHeader + udpLength);
  const dv = new DataView(out.buffer, out.byteOffset + at);
  const ip = out.subarray(at);
  const ttl = options.ttl ?? 64;
  if (v6) {
    dv.setUint32(0, 0x60000000);
    dv.setUint16(4, ipLength);
    ip[7] = ttl;
    ip.set(srcAddress, 8);
    ip.set(dstAddress, 24);
    let nextHeaderAt = 6;
    let e = 40;
    for (const { type, bytes } of extensions) {
      ip[nextHeaderAt] = type;
      ip.set(bytes, e);
      nextHeaderAt = e;
      e += bytes.length;
    }
    ip[nextHeaderAt] = IPPROTO_UDP;
  } else {
    ip[0] = 0x45;
    dv.setUint16(2, ipLength);
    dv.setUint16(4, options.ipId ?? 0);
    ip[8] = ttl;
    ip[9] = IPPROTO_UDP;
    ip.set(srcAddress, 12);
    ip.set(dstAddress, 16);
    dv.setUint16(10, internetChecksum(ip.subarray(0, 20)));
  }
  const udp = ipHeader;
  dv.setUint16(udp, srcPort);
  dv.setUint16(udp + 2, dstPort);
  dv.setUint16(udp + 4, udpLength);
  ip.set(payload, udp + 8);
  // The pseudo-header: addresses, protocol and UDP length (RFC 768; RFC 8200 section 8.1 for IPv6).
  let sum = onesComplementSum(srcAddress);
  sum = onesComplementSum(dstAddress, sum);
  sum = onesComplementSum(ip.subarray(udp), sum + IPPROTO_UDP + udpLength);
  const checksum = ~sum & 0xffff;
  // A computed 0 is sent as 0xffff: 0 means "no checksum" (and is not allowed at all over IPv6).
  dv.setUint16(udp + 6, checksum === 0 ? 0xffff : checksum);
  return out;
}

function checkU16(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${name} ${value}`);
}
