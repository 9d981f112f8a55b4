/**
 * Test-side packet builder: assembles header bytes from fields, layer by layer, so tests state what a packet
 * is rather than how its bytes look. Each builder takes its payload and works out the lengths, counts and
 * checksums that depend on it. Written from the RFCs, independently of the decoder. Tunnels and 802.11
 * are in tunnel-builder.test-util.ts, re-exported here so tests import one module.
 */
import { parseIpv4, parseIpv6, parseMac } from '../xdr/address-text.js';
import { Bytes, checksum, concat, EMPTY } from './builder-bytes.test-util.js';

export { concat, cut } from './builder-bytes.test-util.js';
export { geneve, gre, type Ieee80211Fields, ieee80211, vxlan } from './tunnel-builder.test-util.js';

// ---- Ethernet, VLAN, LLC/SNAP -------------------------------------------------------------------------

export interface VlanTag {
  vid: number;
  pcp?: number;
  dei?: boolean;
  /** 0x8100 (802.1Q) unless given: 0x88a8, 0x9100 … for QinQ. */
  tpid?: number;
}

export interface EthernetFields {
  dst?: string;
  src?: string;
  vlans?: VlanTag[];
  /** EtherType; for an 802.3 frame leave it out and give `llc` instead. */
  type?: number;
  payload?: Uint8Array;
}

export function ethernet(f: EthernetFields): Uint8Array {
  const payload = f.payload ?? EMPTY;
  const w = new Bytes()
    .raw(parseMac(f.dst ?? '02:00:00:00:00:02'))
    .raw(parseMac(f.src ?? '02:00:00:00:00:01'));
  for (const tag of f.vlans ?? []) {
    w.u16(tag.tpid ?? 0x8100).u16(((tag.pcp ?? 0) << 13) | (tag.dei ? 0x1000 : 0) | tag.vid);
  }
  // An 802.3 frame has its length where Ethernet II has a type.
  w.u16(f.type ?? payload.length);
  return w.raw(payload).done();
}

/** LLC (IEEE 802.2) with a SNAP header (RFC 1042): OUI 0 means `type` is an EtherType. */
export function snap(f: { oui?: number; type: number; payload?: Uint8Array }): Uint8Array {
  return new Bytes()
    .u8(0xaa)
    .u8(0xaa)
    .u8(0x03)
    .u24(f.oui ?? 0)
    .u16(f.type)
    .raw(f.payload ?? EMPTY)
    .done();
}

/** A plain LLC header: DSAP, SSAP, control (0x03 is an unnumbered information frame). */
export function llc(f: { dsap: number; ssap: number; control?: number; payload?: Uint8Array }): Uint8Array {
  return new Bytes()
    .u8(f.dsap)
    .u8(f.ssap)
    .u8(f.control ?? 0x03)
    .raw(f.payload ?? EMPTY)
    .done();
}

// ---- MPLS, ARP ----------------------------------------------------------------------------------------

export interface MplsLabel {
  label: number;
  tc?: number;
  ttl?: number;
}

/** An MPLS label stack (RFC 3032); the last entry gets the bottom-of-stack bit unless `noBottom`. */
export function mpls(f: { labels: MplsLabel[]; payload?: Uint8Array; noBottom?: boolean }): Uint8Array {
  const w = new Bytes();
  f.labels.forEach((l, i) => {
    const bottom = i === f.labels.length - 1 && !f.noBottom ? 1 : 0;
    w.u32((l.label << 12) | ((l.tc ?? 0) << 9) | (bottom << 8) | (l.ttl ?? 64));
  });
  return w.raw(f.payload ?? EMPTY).done();
}

/** The 32-bit label stack entry the decoder should report. */
export function mplsEntry(l: MplsLabel, bottom: boolean): number {
  return ((l.label << 12) | ((l.tc ?? 0) << 9) | ((bottom ? 1 : 0) << 8) | (l.ttl ?? 64)) >>> 0;
}

export interface ArpFields {
  op: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

/** An Ethernet/IPv4 ARP packet (RFC 826). */
export function arp(f: ArpFields): Uint8Array {
  return new Bytes()
    .u16(1)
    .u16(0x0800)
    .u8(6)
    .u8(4)
    .u16(f.op)
    .raw(parseMac(f.senderMac))
    .raw(parseIpv4(f.senderIp))
    .raw(parseMac(f.targetMac))
    .raw(parseIpv4(f.targetIp))
    .done();
}

// ---- IPv4, IPv6 ---------------------------------------------------------------------------------------

export interface Ipv4Fields {
  src: string;
  dst: string;
  protocol: number;
  tos?: number;
  ttl?: number;
  id?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** In 8-byte units. */
  fragmentOffset?: number;
  /** Option bytes, padded here to a multiple of 4. */
  options?: Uint8Array;
  /** Overrides the computed total length (e.g. to say what the original packet was). */
  totalLength?: number;
  /** Overrides the header length in 4-byte words (to build malformed headers). */
  ihl?: number;
  version?: number;
  payload?: Uint8Array;
}

export function ipv4(f: Ipv4Fields): Uint8Array {
  const payload = f.payload ?? EMPTY;
  const options = f.options ?? EMPTY;
  const optionWords = Math.ceil(options.length / 4);
  const headerLength = 20 + optionWords * 4;
  const flags = (f.dontFragment ? 0x4000 : 0) | (f.moreFragments ? 0x2000 : 0) | (f.fragmentOffset ?? 0);
  const header = new Bytes()
    .u8(((f.version ?? 4) << 4) | (f.ihl ?? 5 + optionWords))
    .u8(f.tos ?? 0)
    .u16(f.totalLength ?? headerLength + payload.length)
    .u16(f.id ?? 0)
    .u16(flags)
    .u8(f.ttl ?? 64)
    .u8(f.protocol)
    .u16(0)
    .raw(parseIpv4(f.src))
    .raw(parseIpv4(f.dst))
    .raw(options)
    .zeros(optionWords * 4 - options.length)
    .done();
  const sum = checksum(header);
  header[10] = sum >> 8;
  header[11] = sum & 0xff;
  return concat(header, payload);
}

/** IPv6 extension headers (RFC 8200 §4), in the order they appear. */
export type Ipv6Extension =
  | {
      type: 0 | 43 | 60 /** option/routing data after the first 2 bytes, padded to 8n+6 */;
      data?: Uint8Array;
    }
  | { type: 44; offset?: number; more?: boolean; id?: number }
  | { type: 51; spi?: number; sequence?: number /** ICV bytes, a multiple of 4 */; icvLength?: number };

export interface Ipv6Fields {
  src: string;
  dst: string;
  /** The upper-layer protocol, after any extension headers. */
  protocol: number;
  trafficClass?: number;
  flowLabel?: number;
  hopLimit?: number;
  extensions?: Ipv6Extension[];
  /** Overrides the computed payload length. */
  payloadLength?: number;
  version?: number;
  payload?: Uint8Array;
}

function extensionBytes(e: Ipv6Extension, next: number): Uint8Array {
  const w = new Bytes().u8(next);
  if (e.type === 44) {
    return w
      .u8(0)
      .u16(((e.offset ?? 0) << 3) | (e.more ? 1 : 0))
      .u32(e.id ?? 0)
      .done();
  }
  if (e.type === 51) {
    const icv = e.icvLength ?? 12;
    // Payload length in 4-byte words minus 2 (RFC 4302 §2.2).
    return w
      .u8((12 + icv) / 4 - 2)
      .u16(0)
      .u32(e.spi ?? 0x100)
      .u32(e.sequence ?? 1)
      .zeros(icv)
      .done();
  }
  const data = e.data ?? EMPTY;
  const units = Math.ceil((2 + data.length) / 8);
  return w
    .u8(units - 1)
    .raw(data)
    .zeros(units * 8 - 2 - data.length)
    .done();
}

export function ipv6(f: Ipv6Fields): Uint8Array {
  const extensions = f.extensions ?? [];
  const types = [...extensions.map((e) => e.type), f.protocol];
  const chain = concat(...extensions.map((e, i) => extensionBytes(e, types[i + 1])), f.payload ?? EMPTY);
  const tc = f.trafficClass ?? 0;
  const label = f.flowLabel ?? 0;
  return new Bytes()
    .u32((((f.version ?? 6) << 28) | (tc << 20) | label) >>> 0)
    .u16(f.payloadLength ?? chain.length)
    .u8(types[0])
    .u8(f.hopLimit ?? 64)
    .raw(parseIpv6(f.src))
    .raw(parseIpv6(f.dst))
    .raw(chain)
    .done();
}

// ---- TCP, UDP, ICMP -----------------------------------------------------------------------------------

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpFields {
  srcPort: number;
  dstPort: number;
  flags?: number;
  seq?: number;
  ack?: number;
  window?: number;
  /** Option bytes, padded here to a multiple of 4. */
  options?: Uint8Array;
  /** Overrides the data offset in 4-byte words (to build malformed headers). */
  dataOffset?: number;
  payload?: Uint8Array;
}

export function tcp(f: TcpFields): Uint8Array {
  const options = f.options ?? EMPTY;
  const optionWords = Math.ceil(options.length / 4);
  return new Bytes()
    .u16(f.srcPort)
    .u16(f.dstPort)
    .u32(f.seq ?? 1)
    .u32(f.ack ?? 0)
    .u8((f.dataOffset ?? 5 + optionWords) << 4)
    .u8(f.flags ?? TCP_ACK)
    .u16(f.window ?? 65535)
    .u16(0)
    .u16(0)
    .raw(options)
    .zeros(optionWords * 4 - options.length)
    .raw(f.payload ?? EMPTY)
    .done();
}

export function udp(f: {
  srcPort: number;
  dstPort: number;
  payload?: Uint8Array;
  length?: number;
}): Uint8Array {
  const payload = f.payload ?? EMPTY;
  return new Bytes()
    .u16(f.srcPort)
    .u16(f.dstPort)
    .u16(f.length ?? 8 + payload.length)
    .u16(0)
    .raw(payload)
    .done();
}

/** ICMP (RFC 792) or ICMPv6 (RFC 4443): type, code, checksum, 4 bytes of rest-of-header. */
export function icmp(f: { type: number; code?: number; rest?: number; payload?: Uint8Array }): Uint8Array {
  return new Bytes()
    .u8(f.type)
    .u8(f.code ?? 0)
    .u16(0)
    .u32(f.rest ?? 0)
    .raw(f.payload ?? EMPTY)
    .done();
}

// ---- Typical packets ----------------------------------------------------------------------------------

/** Ethernet / IPv4 / TCP with `payloadBytes` of data: the header most samples carry. */
export function ethernetIpv4Tcp(payloadBytes = 1400): Uint8Array {
  return ethernet({
    dst: '00:11:22:33:44:55',
    src: '66:77:88:99:aa:bb',
    type: 0x0800,
    payload: ipv4({
      src: '10.0.0.1',
      dst: '192.0.2.7',
      protocol: 6,
      id: 0x1234,
      ttl: 63,
      tos: 0x10,
      dontFragment: true,
      payload: tcp({ srcPort: 43512, dstPort: 443, flags: TCP_ACK | TCP_PSH, payload: filler(payloadBytes) }),
    }),
  });
}

/** Payload bytes that differ from each other, so that a misplaced read shows. */
export function filler(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
}
