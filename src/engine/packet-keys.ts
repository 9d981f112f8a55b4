/**
 * Flow keys read from the sampled packet header, under sFlow-RT's names (https://sflow-rt.com/define_flow.php
 * and the keys its apps use, github.com/sflow-rt). Each reads one DecodedPacket, so that every key also exists
 * for a tunnel's inner packets: sFlow-RT names the second occurrence of a field `ipsource.1`, the third
 * `ipsource.2` (its flow-trend app's help). Where a sample has no sampled_header but sampled_ethernet,
 * sampled_ipv4 or sampled_ipv6 records, the outer packet's keys come from those (`fallback`).
 */
import type { DecodedPacket } from '../packet/index.js';
import type { FlowContext } from './flow-context.js';
import type { KeyFn, NumFn } from './flow-keys.js';
import { binary, bool, decimal, dscpName, normalizeIpv6, normalizeMac, rtMac } from './key-format.js';
import { stackOf } from './packet-stack.js';

type Get = (p: DecodedPacket, ctx: FlowContext) => string | undefined;
type Num = (p: DecodedPacket, ctx: FlowContext) => number | undefined;

export interface PacketKey {
  get: Get;
  /** The number behind a numeric key, for values (avg:ipbytes) and range:. */
  num?: Num;
  /** The outer packet's value from the sample's other records, when it has no sampled_header. */
  fallback?: KeyFn;
  numFallback?: NumFn;
  /** A filter value in the key's own form (`ff:ff:…` → `FFFF…`), applied once when a filter compiles. */
  normalize?: (text: string) => string;
}

/** A numeric key (written in decimal), with its value from another record when the sample has no header. */
function num(read: Num, fallback?: NumFn): PacketKey {
  const key: PacketKey = {
    get: (p, ctx) => {
      const n = read(p, ctx);
      return n === undefined ? undefined : decimal(n);
    },
    num: read,
  };
  if (fallback !== undefined) {
    key.numFallback = fallback;
    key.fallback = (ctx) => {
      const n = fallback(ctx);
      return n === undefined ? undefined : decimal(n);
    };
  }
  return key;
}

const v4 =
  (read: (p: DecodedPacket) => number | undefined): Num =>
  (p) =>
    p.ipVersion === 4 ? read(p) : undefined;
const v6 =
  (read: (p: DecodedPacket) => number | undefined): Num =>
  (p) =>
    p.ipVersion === 6 ? read(p) : undefined;

const IP_PROTOCOL_NAMES: Record<number, string> = {
  1: 'icmp',
  2: 'igmp',
  47: 'gre',
  50: 'esp',
  58: 'icmp6',
  89: 'ospf',
  132: 'sctp',
};

function service(p: DecodedPacket): string | undefined {
  if (p.TCPSrcPort !== undefined && p.TCPDstPort !== undefined)
    return `tcp/${Math.min(p.TCPSrcPort, p.TCPDstPort)}`;
  if (p.UDPSrcPort !== undefined && p.UDPDstPort !== undefined)
    return `udp/${Math.min(p.UDPSrcPort, p.UDPDstPort)}`;
  if (p.IPProtocol === undefined) return undefined;
  return IP_PROTOCOL_NAMES[p.IPProtocol] ?? `ip/${p.IPProtocol}`;
}

/** TOS-byte keys (IPv4 TOS, IPv6 traffic class) for one IP version. */
function tosKeys(version: 4 | 6, prefix: 'ip' | 'ip6'): Record<string, PacketKey> {
  const tos = (p: DecodedPacket) => (p.ipVersion === version ? p.IPTOS : undefined);
  return {
    [`${prefix}tos`]: {
      get: (p) => {
        const t = tos(p);
        return t === undefined ? undefined : binary(t, 8);
      },
      num: tos,
    },
    [`${prefix}dscp`]: num((p) => {
      const t = tos(p);
      return t === undefined ? undefined : t >> 2;
    }),
    [`${prefix}dscpname`]: {
      get: (p) => {
        const t = tos(p);
        return t === undefined ? undefined : dscpName(t >> 2);
      },
    },
    [`${prefix}ecn`]: {
      get: (p) => {
        const t = tos(p);
        return t === undefined ? undefined : binary(t, 2);
      },
    },
  };
}

/** The port of a sampled_ipv4/sampled_ipv6 record (no header sampled) of the given IP protocol. */
function sampledPort(protocol: number, source: boolean): NumFn {
  return (ctx) => {
    const r = ctx.record('sampled_ipv4') ?? ctx.record('sampled_ipv6');
    if (r === undefined || r.protocol !== protocol) return undefined;
    return source ? r.srcPort : r.dstPort;
  };
}

const mac = (
  read: (p: DecodedPacket) => string | undefined,
  fallback: (ctx: FlowContext) => string | undefined,
) => ({
  get: (p: DecodedPacket) => {
    const m = read(p);
    return m === undefined ? undefined : rtMac(m);
  },
  fallback: (ctx: FlowContext) => {
    const m = fallback(ctx);
    return m === undefined ? undefined : rtMac(m);
  },
  normalize: normalizeMac,
});

/** The I/G bit of a destination MAC ("xx:…", lower-case hex, as the decoder writes it) set. */
function isGroup(m: string): boolean {
  const c = m.charCodeAt(1);
  return ((c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57) & 1) === 1;
}

const BROADCAST = 'ff:ff:ff:ff:ff:ff';

/** The IPv6 fragment header's presence (next header 44 among the extension headers). */
function hasFragmentHeader(p: DecodedPacket): boolean {
  return p.ipVersion === 6 && p.IP6HeaderExtensions !== undefined && p.IP6HeaderExtensions.includes(44);
}

/** The VNI of an extended_vni_ingress/egress record (tunnel structures), for the outer packet only. */
function recordVni(ctx: FlowContext): number | undefined {
  return (ctx.record('extended_vni_ingress') ?? ctx.record('extended_vni_egress'))?.vni;
}

export const PACKET_KEYS: Record<string, PacketKey> = {
  // Ethernet and 802.1Q.
  macsource: mac(
    (p) => p.srcMAC,
    (ctx) => ctx.record('sampled_ethernet')?.srcMac,
  ),
  macdestination: mac(
    (p) => p.dstMAC,
    (ctx) => ctx.record('sampled_ethernet')?.dstMac,
  ),
  ethernetprotocol: num(
    (p) => p.ethernet_type,
    (ctx) => ctx.record('sampled_ethernet')?.type,
  ),
  vlan: num((p) => p.decodedVLAN),
  priority: num((p) => p.decodedPriority),
  isbroadcast: { get: (p) => (p.dstMAC === undefined ? undefined : bool(p.dstMAC === BROADCAST)) },
  ismulticast: {
    get: (p) => (p.dstMAC === undefined ? undefined : bool(p.dstMAC !== BROADCAST && isGroup(p.dstMAC))),
  },
  isunicast: { get: (p) => (p.dstMAC === undefined ? undefined : bool(!isGroup(p.dstMAC))) },

  // IPv4.
  ipsource: {
    get: (p) => (p.ipVersion === 4 ? p.srcIP : undefined),
    fallback: (ctx) => ctx.record('sampled_ipv4')?.srcIp,
  },
  ipdestination: {
    get: (p) => (p.ipVersion === 4 ? p.dstIP : undefined),
    fallback: (ctx) => ctx.record('sampled_ipv4')?.dstIp,
  },
  ipprotocol: num(
    v4((p) => p.IPProtocol),
    (ctx) => ctx.record('sampled_ipv4')?.protocol,
  ),
  // Not one of sFlow-RT's names (it has ipdscp and ip6dscp): the DSCP of either IP version, as the issue asks.
  dscp: num((p) => (p.IPTOS === undefined ? undefined : p.IPTOS >> 2)),
  ...tosKeys(4, 'ip'),
  ipttl: num(v4((p) => p.IPTTL)),
  /** Reserved, DF and MF bits, read from the header bytes (the decoder keeps only MF). */
  ipflags: {
    get: (p, ctx) => {
      if (p.ipVersion !== 4 || p.offsetToIP === undefined) return undefined;
      const h = ctx.record('sampled_header')?.header;
      const at = p.offsetToIP + 6;
      return h === undefined || at >= h.length ? undefined : binary(h[at] >> 5, 3);
    },
  },
  ipfragoffset: num(v4((p) => p.IPFragmentOffset)),
  /** The IP packet's length as its header gives it (sFlow-RT's sflow-test checks bytes = ip_offset + ipbytes + stripped). */
  ipbytes: num(
    v4((p) => p['ip.tot_len']),
    (ctx) => ctx.record('sampled_ipv4')?.length,
  ),
  ip_offset: num((p) => p.offsetToIP),

  // IPv6.
  ip6source: {
    get: (p) => (p.ipVersion === 6 ? p.srcIP6 : undefined),
    fallback: (ctx) => ctx.record('sampled_ipv6')?.srcIp,
    normalize: normalizeIpv6,
  },
  ip6destination: {
    get: (p) => (p.ipVersion === 6 ? p.dstIP6 : undefined),
    fallback: (ctx) => ctx.record('sampled_ipv6')?.dstIp,
    normalize: normalizeIpv6,
  },
  ip6nexthdr: num(
    v6((p) => p.IPProtocol),
    (ctx) => ctx.record('sampled_ipv6')?.protocol,
  ),
  ...tosKeys(6, 'ip6'),
  ip6flowlabel: num(v6((p) => p.IP6_label)),
  /** `yes`/`no` (ddos-protect's filter `ip6fragm=yes`): the fragment header's M flag; absent without one. */
  ip6fragm: { get: (p) => (hasFragmentHeader(p) ? (p.IPMoreFragments ? 'yes' : 'no') : undefined) },
  ip6fragoffset: num((p) => (hasFragmentHeader(p) ? p.IPFragmentOffset : undefined)),
  ip6bytes: num(
    v6((p) => (p.IPV6_payloadLen ? p.IPV6_payloadLen + 40 : undefined)),
    (ctx) => ctx.record('sampled_ipv6')?.length,
  ),

  // Transport.
  tcpsourceport: num((p) => p.TCPSrcPort, sampledPort(6, true)),
  tcpdestinationport: num((p) => p.TCPDstPort, sampledPort(6, false)),
  /** Nine binary digits, NS CWR ECE URG ACK PSH RST SYN FIN (NS is not decoded: always 0). */
  tcpflags: {
    get: (p) => (p.TCPFlags === undefined ? undefined : binary(p.TCPFlags, 9)),
    num: (p) => p.TCPFlags,
    fallback: (ctx) => {
      const r = ctx.record('sampled_ipv4') ?? ctx.record('sampled_ipv6');
      return r === undefined || r.protocol !== 6 ? undefined : binary(r.tcpFlags, 9);
    },
  },
  udpsourceport: num((p) => p.UDPSrcPort, sampledPort(17, true)),
  udpdestinationport: num((p) => p.UDPDstPort, sampledPort(17, false)),
  /**
   * sflowkit's own (sFlow-RT has none): `tcp/443`, `udp/53`, the lower of the two ports, which is the service's
   * in the usual case of a well-known port and an ephemeral one; the protocol's name for other IP protocols.
   */
  service: { get: service },
  icmptype: num(v4((p) => (p.IPProtocol === 1 ? p.ICMPType : undefined))),
  icmpcode: num(v4((p) => (p.IPProtocol === 1 ? p.ICMPCode : undefined))),
  icmp6type: num(v6((p) => (p.IPProtocol === 58 ? p.ICMPType : undefined))),
  icmp6code: num(v6((p) => (p.IPProtocol === 58 ? p.ICMPCode : undefined))),

  // ARP.
  arpoperation: num((p) => p.ARPOperation),
  arpipsender: { get: (p) => p.ARPSenderIP },
  arpiptarget: { get: (p) => p.ARPTargetIP },

  // Tunnels: the identifier in this packet's tunnel header; the payload is the next depth (`ipsource.1`).
  vxlanvni: num((p) => (p.tunnel === 'vxlan' ? p.VNI : undefined)),
  genevevni: num((p) => (p.tunnel === 'geneve' ? p.VNI : undefined)),
  /** NVGRE (RFC 7637): the virtual subnet ID, the key's upper 24 bits, on GRE carrying Ethernet (0x6558). */
  grevsid: num((p) =>
    p.tunnel === 'gre' && p.tunnelEtherType === 0x6558 && p.GREKey !== undefined ? p.GREKey >>> 8 : undefined,
  ),
  grekey: num((p) => (p.tunnel === 'gre' ? p.GREKey : undefined)),
  /** VXLAN or Geneve VNI; for the outer packet, else the extended_vni_ingress/egress record's. */
  vni: num((p, ctx) => p.VNI ?? (p.start === 0 ? recordVni(ctx) : undefined), recordVni),

  stack: { get: (p) => stackOf(p) },
};
