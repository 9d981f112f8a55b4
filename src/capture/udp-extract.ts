/**
 * Finds the UDP datagram in a captured frame: the link layer (link-layers.ts), then IPv4 (RFC 791) or IPv6
 * (RFC 8200, skipping extension headers), then UDP (RFC 768). Fragments are not reassembled. Like sflowtool
 * reading a pcap, every UDP datagram is taken unless a destination port is asked for.
 * Link types: https://www.tcpdump.org/linktypes.html
 */
import { ipv4Text, ipv6Text } from '../xdr/address-text.js';
import type { CapturedFrame } from './captured-frame.js';
import { type LinkSkipReason, networkLayer } from './link-layers.js';

export interface UdpDatagram {
  /** The UDP payload (an sFlow datagram, when the port says so): a view into the capture. */
  payload: Uint8Array;
  ipVersion: 4 | 6;
  srcAddress: string;
  srcPort: number;
  dstAddress: string;
  dstPort: number;
  /** The UDP header's length field: payload.length + 8 in every sound packet (see extractUdp). */
  udpLength: number;
  timestampNs: bigint;
  frame: CapturedFrame;
}

/**
 * Why a frame yielded no datagram. 'fragment': an IPv4 or IPv6 fragment, first or not (without reassembly a
 * first fragment holds only part of the datagram); 'truncated': the capture holds fewer bytes than the headers or
 * the IP length need (snap length); 'malformed': an IP header or length too short for what it must hold;
 * 'other-port': UDP, but not to the destination port asked for.
 */
export type SkipReason = LinkSkipReason | 'not-udp' | 'fragment' | 'malformed' | 'other-port';

export const SKIP_REASONS: readonly SkipReason[] = [
  'unsupported-link',
  'not-ip',
  'not-udp',
  'fragment',
  'truncated',
  'malformed',
  'other-port',
];

export type SkipCounts = Record<SkipReason, number>;

export function emptySkipCounts(): SkipCounts {
  return Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as SkipCounts;
}

const IPPROTO_UDP = 17;
/** IPv6 extension headers in the common format: next header, length in 8-byte units after the first 8. */
const IPV6_EXTENSIONS = new Set([0, 43, 60, 135, 139, 140, 253, 254]);
const IPV6_FRAGMENT = 44;
const IPV6_AUTH = 51;

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

/**
 * The UDP datagram a frame carries, or why it has none. Never throws on bad bytes.
 *
 * The payload runs to the end of the IP packet (its total or payload length), not to the UDP length field:
 * they agree in every sound packet, and where a damaged one makes them disagree (the corpus's
 * tcpdump-sflow_print-segv.pcap has UDP length 16 in an 896-byte IP packet) sflowtool decodes the rest of
 * the IP packet, and tshark's udp.payload shows it. Only when the IP length is 0 (segmentation offload seen on
 * the sending host, or a jumbogram) does the UDP length decide.
 *
 * `toFrameEnd` takes the payload on to the end of the captured frame instead, link-layer trailer (Ethernet
 * padding, FCS) included: what sflowtool hands its decoder, for byte-identical sflowtool output.
 */
export function extractUdp(frame: CapturedFrame, toFrameEnd = false): UdpDatagram | SkipReason {
  const net = networkLayer(frame.linkType, frame.data);
  if ('skip' in net) return net.skip;
  const b = frame.data;
  const ip = net.offset;
  let udp: number;
  /** The end of the IP packet by its length field; 0 when that field is 0. */
  let ipEnd: number;
  let srcAddress: string;
  let dstAddress: string;
  if (net.ipVersion === 4) {
    if (b.length - ip < 20) return 'truncated';
    const headerLength = (b[ip] & 0x0f) * 4;
    if (headerLength < 20) return 'malformed';
    if (b.length - ip < headerLength) return 'truncated';
    const totalLength = u16(b, ip + 2);
    if (totalLength !== 0 && totalLength < headerLength) return 'malformed';
    ipEnd = totalLength === 0 ? 0 : ip + totalLength;
    // Fragment offset (13 bits) or More Fragments: either way, not a whole datagram.
    if (u16(b, ip + 6) & 0x3fff) return 'fragment';
    if (b[ip + 9] !== IPPROTO_UDP) return 'not-udp';
    srcAddress = ipv4Text(b, ip + 12);
    dstAddress = ipv4Text(b, ip + 16);
    udp = ip + headerLength;
  } else {
    if (b.length - ip < 40) return 'truncated';
    const payloadLength = u16(b, ip + 4);
    ipEnd = payloadLength === 0 ? 0 : ip + 40 + payloadLength;
    const limit = ipEnd === 0 ? b.length : ipEnd;
    let next = b[ip + 6];
    let at = ip + 40;
    // Each step moves at least 8 bytes on, and stops at the end of the packet.
    while (next !== IPPROTO_UDP) {
      const isFragment = next === IPV6_FRAGMENT;
      if (!isFragment && next !== IPV6_AUTH && !IPV6_EXTENSIONS.has(next)) return 'not-udp';
      if (at + 8 > b.length) return 'truncated';
      if (at + 8 > limit) return 'malformed';
      // Fragment offset (13 bits) or More Fragments; an atomic fragment (both 0) is a whole datagram.
      if (isFragment && u16(b, at + 2) & 0xfff9) return 'fragment';
      const length = isFragment ? 8 : next === IPV6_AUTH ? (b[at + 1] + 2) * 4 : (b[at + 1] + 1) * 8;
      next = b[at];
      at += length;
    }
    srcAddress = ipv6Text(b, ip + 8);
    dstAddress = ipv6Text(b, ip + 24);
    udp = at;
  }
  if (udp + 8 > b.length) return 'truncated';
  const udpLength = u16(b, udp + 4);
  let end = ipEnd;
  if (end === 0) {
    if (udpLength < 8) return 'malformed';
    end = udp + udpLength;
  }
  if (udp + 8 > end) return 'malformed';
  // The capture (snap length) cut the packet short: sflowtool too skips a datagram it has only part of.
  if (end > b.length) return 'truncated';
  return {
    payload: b.subarray(udp + 8, toFrameEnd ? b.length : end),
    ipVersion: net.ipVersion,
    srcAddress,
    srcPort: u16(b, udp),
    dstAddress,
    dstPort: u16(b, udp + 2),
    udpLength,
    timestampNs: frame.timestampNs,
    frame,
  };
}

export interface UdpPayloadOptions {
  /** Only datagrams to this UDP port (sFlow's is 6343); by default every UDP datagram. */
  dstPort?: number;
  /** Incremented for every frame skipped, by reason. */
  counts?: SkipCounts;
  /** Payloads run to the end of the captured frame, as sflowtool takes them (see extractUdp). */
  toFrameEnd?: boolean;
}

/** The UDP datagrams in `frames`, in order; frames without one are counted in `options.counts` and skipped. */
export function* udpPayloads(
  frames: Iterable<CapturedFrame>,
  options: UdpPayloadOptions = {},
): Generator<UdpDatagram> {
  const { dstPort, counts, toFrameEnd = false } = options;
  for (const frame of frames) {
    const result = extractUdp(frame, toFrameEnd);
    if (typeof result === 'string') {
      if (counts) counts[result]++;
    } else if (dstPort !== undefined && result.dstPort !== dstPort) {
      if (counts) counts['other-port']++;
    } else {
      yield result;
    }
  }
}
