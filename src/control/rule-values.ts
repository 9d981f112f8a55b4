/**
 * The checks of option values in rule lines (rule-allowlist.ts says which option takes which): addresses and
 * prefixes as literals only, ports and ranges, interface names, DSCP, marks, and short plain text for log
 * prefixes and comments. Each says what it expects, for the refusal's message and for the docs.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** A check of one option value, with what it expects (for the refusal's message and for the docs). */
export interface ValueCheck {
  what: string;
  ok: (v: string) => boolean;
}

const oneOf = (what: string, values: readonly string[]): ValueCheck => ({
  what: `${what} (${values.join(', ')})`,
  ok: (v) => values.includes(v),
});
const pattern = (what: string, re: RegExp): ValueCheck => ({ what, ok: (v) => re.test(v) });
const listOf = (c: ValueCheck, max: number): ValueCheck => ({
  what: `${c.what}, or up to ${max} of them separated by commas`,
  ok: (v) => {
    const items = v.split(',');
    return items.length <= max && items.every((i) => c.ok(i));
  },
});

const int = (v: string, max: number) => /^\d{1,10}$/.test(v) && Number(v) <= max;
const prefixed = (v: string, isAddr: (a: string) => boolean, bits: number) => {
  const [addr, len, more] = v.split('/');
  if (more !== undefined || !isAddr(addr)) return false;
  return len === undefined || int(len, bits) || (bits === 32 && isIPv4(len));
};

const PORT = /^\d{1,5}$/;
const port = (v: string) => PORT.test(v) && Number(v) <= 65535;
const portRange = (v: string) => {
  const [a, b, more] = v.split(':');
  return more === undefined && port(a) && (b === undefined || port(b));
};

export const V = {
  ipv4: listOf({ what: 'an IPv4 address or prefix', ok: (v) => prefixed(v, isIPv4, 32) }, 16),
  ipv6: listOf({ what: 'an IPv6 address or prefix', ok: (v) => prefixed(v, isIPv6, 128) }, 16),
  ipv4Range: pattern('an IPv4 range a.b.c.d-e.f.g.h', /^[\d.]+-[\d.]+$/),
  ipv6Range: pattern('an IPv6 range a::b-c::d', /^[\da-fA-F:]+-[\da-fA-F:]+$/),
  // An interface name as the kernel allows it (up to 15 characters), `+` at the end matching any suffix.
  iface: pattern(
    'an interface name, `+` at the end for any suffix (swp+)',
    /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}\+?$/,
  ),
  protocol: {
    what: 'a protocol name (tcp, udp, icmp, icmpv6, sctp, esp, ah, gre, all) or number 0-255',
    ok: (v: string) =>
      ['tcp', 'udp', 'udplite', 'icmp', 'icmpv6', 'ipv6-icmp', 'sctp', 'esp', 'ah', 'gre', 'all'].includes(
        v,
      ) || int(v, 255),
  },
  port: { what: 'a port 0-65535 or a range first:last', ok: portRange },
  ports: listOf({ what: 'a port or a range first:last', ok: portRange }, 15),
  tcpFlags: pattern(
    'TCP flags (SYN, ACK, FIN, RST, URG, PSH, ALL, NONE) separated by commas',
    /^(SYN|ACK|FIN|RST|URG|PSH|ALL|NONE)(,(SYN|ACK|FIN|RST|URG|PSH|ALL|NONE))*$/,
  ),
  icmpType: pattern('an ICMP type name or number[/code]', /^([a-z][a-z-]{0,40}|\d{1,3}(\/\d{1,3})?)$/),
  ctstate: pattern(
    'connection states (NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED) separated by commas',
    /^(NEW|ESTABLISHED|RELATED|INVALID|UNTRACKED|SNAT|DNAT)(,(NEW|ESTABLISHED|RELATED|INVALID|UNTRACKED|SNAT|DNAT))*$/,
  ),
  dscp: { what: 'a DSCP value 0-63 (decimal or 0x hex)', ok: (v: string) => dscp(v) },
  dscpClass: pattern('a DSCP class (BE, EF, CS0-CS7, AF11-AF43)', /^(BE|EF|CS[0-7]|AF[1-4][1-3])$/),
  cos: { what: 'a CoS value 0-7', ok: (v: string) => int(v, 7) },
  mark: pattern(
    'a mark value[/mask] (decimal or 0x hex, 32 bits)',
    /^(0x[\da-fA-F]{1,8}|\d{1,10})(\/(0x[\da-fA-F]{1,8}|\d{1,10}))?$/,
  ),
  classId: pattern('a class MAJOR:MINOR (hex)', /^[\da-fA-F]{1,4}:[\da-fA-F]{1,4}$/),
  uint: { what: 'a whole number up to 4294967295', ok: (v: string) => int(v, 4294967295) },
  limit: pattern(
    'a rate N/second, N/minute, N/hour or N/day',
    /^\d{1,9}\/(second|sec|s|minute|min|m|hour|h|day|d)$/,
  ),
  length: pattern('a length or a range first:last', /^\d{1,5}(:\d{1,5})?$/),
  mac: pattern('a MAC address xx:xx:xx:xx:xx:xx', /^[\da-fA-F]{2}(:[\da-fA-F]{2}){5}$/),
  macMasked: pattern(
    'a MAC address[/mask], or Unicast, Multicast, Broadcast, BGA',
    /^([\da-fA-F]{1,2}(:[\da-fA-F]{1,2}){5}(\/[\da-fA-F]{1,2}(:[\da-fA-F]{1,2}){5})?|Unicast|Multicast|Broadcast|BGA)$/,
  ),
  ethertype: pattern(
    'an Ethernet type (IPv4, IPv6, ARP, 802_1Q, LENGTH or 0x hex)',
    /^(IPv4|IPv6|ARP|RARP|802_1Q|LENGTH|0x[\da-fA-F]{4})$/,
  ),
  pktType: oneOf('a packet type', ['unicast', 'broadcast', 'multicast']),
  // Text that reaches a log or a comment: plain characters only, no spaces (a rule line has no quoting).
  text: pattern('up to 29 characters of A-Z a-z 0-9 _ . : = / + -', /^[A-Za-z0-9_.:=/+-]{1,29}$/),
  comment: pattern('up to 128 characters of A-Z a-z 0-9 _ . : = / + -', /^[A-Za-z0-9_.:=/+-]{1,128}$/),
  logLevel: pattern(
    'a log level 0-7 or emerg, alert, crit, error, warning, notice, info, debug',
    /^([0-7]|emerg|alert|crit|error|warning|notice|info|debug)$/,
  ),
  rejectWith: oneOf('an ICMP reply', [
    'icmp-net-unreachable',
    'icmp-host-unreachable',
    'icmp-port-unreachable',
    'icmp-proto-unreachable',
    'icmp-net-prohibited',
    'icmp-host-prohibited',
    'icmp-admin-prohibited',
    'icmp6-no-route',
    'no-route',
    'icmp6-adm-prohibited',
    'adm-prohibited',
    'icmp6-addr-unreachable',
    'addr-unreach',
    'icmp6-port-unreachable',
    'tcp-reset',
  ]),
  policeMode: oneOf('a policing mode', ['pkt', 'KB']),
  ebTarget: oneOf('a target', ['ACCEPT', 'DROP', 'CONTINUE', 'RETURN']),
  vlanId: { what: 'a VLAN id 0-4095', ok: (v: string) => int(v, 4095) },
  tos: { what: 'a TOS byte 0-255 (decimal or 0x hex)', ok: (v: string) => tos(v) },
} satisfies Record<string, ValueCheck>;

function tos(v: string): boolean {
  return /^0x[\da-fA-F]{1,2}$/.test(v) || int(v, 255);
}

function dscp(v: string): boolean {
  const n = /^0x[\da-fA-F]{1,2}$/.test(v) ? Number.parseInt(v, 16) : /^\d{1,2}$/.test(v) ? Number(v) : 64;
  return n <= 63;
}
