/**
 * The lines sflowtool prints for a sampled header (after headerBytes), and what it remembers of it for -l, -t
 * and the VLAN filters. This follows sflowtool's own reading, not src/packet's: its output is the contract.
 * Where it differs from the protocols (the IPv4 identification printed byte-swapped, checks that let it read
 * a few bytes past a short header) docs/sflowtool-compat.md says so; bytes past the end of the datagram read
 * as zero here where sflowtool would read whatever memory follows.
 */
import { ipv6Full } from './format.js';
import type { SampleState } from './sample-state.js';

export type FieldSink = (name: string, value: string | number) => void;
export type NoteSink = (text: string) => void;

const NO_DECODE = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 16, 17, 18]);
const VLAN_TPIDS = new Set([0x8100, 0x88a8, 0x9100, 0x9200, 0x9300]);
const IPV6_EXTENSIONS = new Set([0, 43, 44, 51, 60]);
const IPV4_HEADER = 20;
const IPV6_HEADER = 40;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The header as sflowtool sees it: `len` bytes at `start` of the datagram, which it may read beyond. */
class HeaderView {
  constructor(
    readonly data: Uint8Array,
    readonly start: number,
    readonly len: number,
  ) {}
  at(i: number): number {
    return this.data[this.start + i] ?? 0;
  }
  u16(i: number): number {
    return (this.at(i) << 8) | this.at(i + 1);
  }
  mac(i: number): string {
    let s = '';
    for (let k = 0; k < 6; k++) s += HEX[this.at(i + k)];
    return s;
  }
  ipv4(i: number): string {
    return `${this.at(i)}.${this.at(i + 1)}.${this.at(i + 2)}.${this.at(i + 3)}`;
  }
  ipv6(i: number): string {
    return ipv6Full(this.data, this.start + i);
  }
}

export function headerFields(
  protocol: number,
  data: Uint8Array,
  start: number,
  len: number,
  s: SampleState,
  field: FieldSink,
  note: NoteSink,
): void {
  const h = new HeaderView(data, start, len);
  let ip: { version: 4 | 6; offset: number } | undefined;
  if (protocol === 1) ip = linkLayer(h, s, field);
  else if (protocol === 11) ip = { version: 4, offset: 0 };
  else if (protocol === 12) ip = { version: 6, offset: 0 };
  else if (protocol === 15) ieee80211(h, s, field);
  else if (NO_DECODE.has(protocol)) note(`NO_DECODE headerProtocol=${protocol | 0}\n`);
  else note(`UNKNOWN headerProtocol=${protocol | 0}\n`);
  if (ip === undefined) return;
  field('IPSize', (s.sampledPacketSize - s.stripped - ip.offset) | 0);
  if (ip.version === 4) {
    s.offsetToIpv4 = ip.offset;
    ipv4(h, ip.offset, s, field);
  } else {
    ipv6(h, ip.offset, s, field, note);
  }
}

/** Ethernet, 802.1Q stacks, 802.2 SNAP and LLC; returns where IP starts, if it does. */
function linkLayer(
  h: HeaderView,
  s: SampleState,
  field: FieldSink,
): { version: 4 | 6; offset: number } | undefined {
  if (h.len < 14) return undefined;
  s.ethDst = h.mac(0);
  field('dstMAC', s.ethDst);
  s.ethSrc = h.mac(6);
  field('srcMAC', s.ethSrc);
  let p = 12;
  let type = h.u16(p);
  p += 2;
  for (let depth = 0; VLAN_TPIDS.has(type); depth++) {
    if (h.len - p < 4) return undefined;
    const tci = h.u16(p);
    p += 2;
    const suffix = depth === 0 ? '' : `.${depth}`;
    field(`decodedVLAN${suffix}`, tci & 0xfff);
    field(`decodedPriority${suffix}`, tci >> 13);
    s.inVlan = tci & 0xfff;
    type = h.u16(p);
    p += 2;
  }
  if (h.len < IPV4_HEADER) return undefined;
  if (type === 0x0200 || type === 0x0201 || type === 0x0600) {
    const ipxLen = h.u16(p + 2);
    if (h.at(p) === 0xff && h.at(p + 1) === 0xff && ipxLen >= 30 && ipxLen <= 30 + 546) return undefined;
  }
  if (type <= 1500) {
    if (h.at(p) === 0xaa && h.at(p + 1) === 0xaa && h.at(p + 2) === 0x03) {
      p += 3;
      if (h.at(p) !== 0 || h.at(p + 1) !== 0 || h.at(p + 2) !== 0) {
        field('VSNAP_OUI', [h.at(p), h.at(p + 1), h.at(p + 2)].map((b) => HEX[b].toUpperCase()).join('-'));
        return undefined;
      }
      p += 3;
      type = h.u16(p);
      p += 2;
    } else if (h.at(p) === 0x06 && h.at(p + 1) === 0x06 && (h.at(p + 2) & 1) === 1) {
      p += 3;
      type = 0x0800;
    } else {
      return undefined;
    }
  }
  s.ethType = type;
  field('ethernet_type', type);
  if (type === 0x0800) {
    if (h.len - p < IPV4_HEADER || h.at(p) >> 4 !== 4 || (h.at(p) & 15) < 5) return undefined;
    return { version: 4, offset: p };
  }
  if (type === 0x86dd && h.at(p) >> 4 === 6) return { version: 6, offset: p };
  return undefined;
}

function ieee80211(h: HeaderView, s: SampleState, field: FieldSink): void {
  if (h.len < 24) return;
  const fc = (h.at(1) << 8) | h.at(0);
  if (((fc >> 2) & 3) !== 2) return;
  const toDs = (fc >> 8) & 1;
  const fromDs = (fc >> 9) & 1;
  const rx = h.mac(4);
  const tx = h.mac(10);
  const third = h.mac(16);
  const src = toDs ? (fromDs ? h.mac(24) : tx) : fromDs ? third : tx;
  const dst = toDs ? third : rx;
  s.ethSrc = src;
  // sflowtool copies the source address into the destination too.
  s.ethDst = src;
  field('srcMAC', src);
  field('dstMAC', dst);
  field('txMAC', tx);
  field('rxMAC', rx);
}

function ipv4(h: HeaderView, at: number, s: SampleState, field: FieldSink): void {
  if (h.len - at < IPV4_HEADER) return;
  s.ipSrc = { type: 1, text: h.ipv4(at + 12) };
  s.ipDst = { type: 1, text: h.ipv4(at + 16) };
  s.ipProtocol = h.at(at + 9);
  s.ipTos = h.at(at + 1);
  s.ipTtl = h.at(at + 8);
  field('ip.tot_len', h.u16(at + 2));
  field('srcIP', s.ipSrc.text);
  field('dstIP', s.ipDst.text);
  field('IPProtocol', s.ipProtocol);
  field('IPTOS', s.ipTos);
  field('IPTTL', s.ipTtl);
  // sflowtool prints the identification without converting it from network order (on little-endian hosts).
  field('IPID', h.at(at + 4) | (h.at(at + 5) << 8));
  const fragmentOffset = h.u16(at + 6) & 0x1fff;
  if (fragmentOffset > 0) {
    field('IPFragmentOffset', fragmentOffset);
    return;
  }
  const headerBytes = (h.at(at) & 15) * 4;
  if (h.len - at < headerBytes) return;
  layer4(h, at + headerBytes, s, field);
}

function ipv6(h: HeaderView, at: number, s: SampleState, field: FieldSink, note: NoteSink): void {
  if (h.len - at < IPV6_HEADER) return;
  const version = h.at(at) >> 4;
  if (version !== 6) {
    note(`header decode error: unexpected IP version: ${version}\n`);
    return;
  }
  s.ipTos = ((h.at(at) & 15) << 4) + (h.at(at + 1) >> 4);
  field('IPTOS', s.ipTos);
  const label = ((h.at(at + 1) & 15) << 16) + (h.at(at + 2) << 8) + h.at(at + 3);
  field('IP6_label', `0x${label.toString(16)}`);
  const payloadLen = h.u16(at + 4);
  field('IPV6_payloadLen', payloadLen === 0 ? '<jumbo>' : String(payloadLen));
  let next = h.at(at + 6);
  s.ipTtl = h.at(at + 7);
  field('IPTTL', s.ipTtl);
  s.ipSrc = { type: 2, text: h.ipv6(at + 8) };
  field('srcIP6', s.ipSrc.text);
  s.ipDst = { type: 2, text: h.ipv6(at + 24) };
  field('dstIP6', s.ipDst.text);
  let p = at + IPV6_HEADER;
  while (IPV6_EXTENSIONS.has(next)) {
    field('IP6HeaderExtension', next);
    next = h.at(p);
    p += 8 * (h.at(p + 1) + 1);
    if (p > h.len) return;
  }
  s.ipProtocol = next;
  field('IPProtocol', next);
  layer4(h, p, s, field);
}

function layer4(h: HeaderView, at: number, s: SampleState, field: FieldSink): void {
  if (at > h.len - 8) return;
  switch (s.ipProtocol) {
    case 1:
      s.srcPort = h.at(at);
      s.dstPort = h.at(at + 1);
      field('ICMPType', s.srcPort);
      field('ICMPCode', s.dstPort);
      s.offsetToPayload = at + 2;
      return;
    case 6:
      s.srcPort = h.u16(at);
      s.dstPort = h.u16(at + 2);
      s.tcpFlags = h.at(at + 13);
      field('TCPSrcPort', s.srcPort);
      field('TCPDstPort', s.dstPort);
      field('TCPFlags', s.tcpFlags);
      s.offsetToPayload = at + (h.at(at + 12) >> 4) * 4;
      return;
    case 17:
      s.srcPort = h.u16(at);
      s.dstPort = h.u16(at + 2);
      field('UDPSrcPort', s.srcPort);
      field('UDPDstPort', s.dstPort);
      field('UDPBytes', h.u16(at + 4));
      s.offsetToPayload = at + 8;
      return;
    default:
      s.offsetToPayload = at;
  }
}
