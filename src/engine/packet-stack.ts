/**
 * sFlow-RT's `stack` key: the protocols of the sampled header, outermost first, joined by dots (`eth.ip.tcp`,
 * `eth.ip.udp.vxlan.eth.ip6.tcp`; sFlow-RT's apps filter on it with `first:stack:.:ip:ip6=ip` and
 * `prefix:stack:.:1=eth`). A packet's layers are read from its DecodedPacket and packed as one number, four
 * bits a layer, so that the text of each stack seen is made once and then found in a map.
 */
import type { DecodedPacket } from '../packet/index.js';

const NAMES = [
  '',
  'eth',
  'ieee80211',
  'mpls',
  'arp',
  'ip',
  'ip6',
  'tcp',
  'udp',
  'icmp',
  'icmp6',
  'gre',
  'vxlan',
  'geneve',
];
const ETH = 1;
const WIFI = 2;
const MPLS = 3;
const ARP = 4;
const IP = 5;
const IP6 = 6;
const TCP = 7;
const UDP = 8;
const ICMP = 9;
const ICMP6 = 10;
const GRE = 11;
const VXLAN = 12;
const GENEVE = 13;

/** 12 layers of 4 bits stay below 2^48: exact in a double. Deeper stacks (rare: tunnels in tunnels) give up. */
const LIMIT = 2 ** 44;

function push(s: number, layer: number): number {
  return s < 0 || s >= LIMIT ? -1 : s * 16 + layer;
}

/** `s` followed by the layers of `p` itself (not of its inner packet). */
function layers(p: DecodedPacket, c: number): number {
  let s = c;
  if (p.srcMAC !== undefined) s = push(s, p.headerProtocol === 15 ? WIFI : ETH);
  if (p.mplsLabelStack !== undefined) s = push(s, MPLS);
  if (p.ARPOperation !== undefined) s = push(s, ARP);
  if (p.ipVersion === 4) s = push(s, IP);
  else if (p.ipVersion === 6) s = push(s, IP6);
  const protocol = p.IPProtocol;
  if (protocol === 6 && p.TCPSrcPort !== undefined) s = push(s, TCP);
  else if (protocol === 17 && p.UDPSrcPort !== undefined) s = push(s, UDP);
  else if (protocol === 1 && p.ipVersion === 4 && p.ICMPType !== undefined) s = push(s, ICMP);
  else if (protocol === 58 && p.ipVersion === 6 && p.ICMPType !== undefined) s = push(s, ICMP6);
  if (p.tunnel === 'gre') s = push(s, GRE);
  else if (p.tunnel === 'vxlan') s = push(s, VXLAN);
  else if (p.tunnel === 'geneve') s = push(s, GENEVE);
  return s;
}

function code(p: DecodedPacket, c: number): number {
  const s = layers(p, c);
  return s < 0 || p.inner === undefined ? s : code(p.inner, s);
}

function spell(c: number): string {
  const names: string[] = [];
  for (let v = c; v > 0; v = Math.floor(v / 16)) names.unshift(NAMES[v % 16]);
  return names.join('.');
}

const stacks = new Map<number, string>();

/** The protocol stack of `p` and its inner packets, or undefined when no layer was decoded. */
export function stackOf(p: DecodedPacket): string | undefined {
  const c = code(p, 0);
  if (c === 0) return undefined;
  if (c < 0) return slowStack(p);
  let s = stacks.get(c);
  if (s === undefined) {
    s = spell(c);
    stacks.set(c, s);
  }
  return s;
}

/** A stack too deep to pack: spelled packet by packet (each packet's own layers fit). */
function slowStack(p: DecodedPacket): string | undefined {
  const parts: string[] = [];
  for (let q: DecodedPacket | undefined = p; q !== undefined; q = q.inner) {
    const c = layers(q, 0);
    if (c > 0) parts.push(spell(c));
  }
  return parts.length === 0 ? undefined : parts.join('.');
}
