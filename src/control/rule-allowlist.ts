/**
 * The allowlist of rule lines: which tables and chains a rule may name, which matches and targets it may load,
 * and every option it may give, with a check of each value. Anything not listed here is refused
 * (rule-check.ts), so an ACL can filter, mark, police and log packets but never reach past its own rule:
 * no table or chain manipulation, no user chains, no host names (they would make the back-end resolve DNS),
 * no options whose values are free text beyond a short, plain charset. docs/acl-server.md renders this table.
 */
import { V, type ValueCheck } from './rule-values.js';

export type { ValueCheck } from './rule-values.js';

export type Family = 'iptables' | 'ip6tables' | 'ebtables';

export const FAMILIES: readonly Family[] = ['iptables', 'ip6tables', 'ebtables'];

const IP_TABLES = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
} as const;

/** The tables a rule may name (`-t`, default filter) and the built-in chains of each it may add to. */
export const TABLES: Record<Family, Readonly<Record<string, readonly string[]>>> = {
  iptables: IP_TABLES,
  ip6tables: IP_TABLES,
  ebtables: { filter: ['INPUT', 'FORWARD', 'OUTPUT'] },
};

/** Modules a rule may load with `-m`. */
export const MODULES: Record<Family, readonly string[]> = {
  iptables: [
    'tcp',
    'udp',
    'icmp',
    'sctp',
    'multiport',
    'conntrack',
    'state',
    'dscp',
    'mark',
    'limit',
    'mac',
    'length',
    'pkttype',
    'iprange',
    'comment',
  ],
  ip6tables: [
    'tcp',
    'udp',
    'icmp6',
    'sctp',
    'multiport',
    'conntrack',
    'state',
    'dscp',
    'mark',
    'limit',
    'mac',
    'length',
    'pkttype',
    'iprange',
    'comment',
  ],
  ebtables: [],
};

/** Targets a rule may jump to with `-j`. SETQOS, SETCLASS and POLICE are Cumulus Linux's (hardware QoS). */
export const TARGETS: Record<Family, readonly string[]> = {
  iptables: [
    'ACCEPT',
    'DROP',
    'REJECT',
    'RETURN',
    'LOG',
    'DSCP',
    'MARK',
    'CLASSIFY',
    'SETQOS',
    'SETCLASS',
    'POLICE',
  ],
  ip6tables: [
    'ACCEPT',
    'DROP',
    'REJECT',
    'RETURN',
    'LOG',
    'DSCP',
    'MARK',
    'CLASSIFY',
    'SETQOS',
    'SETCLASS',
    'POLICE',
  ],
  ebtables: ['ACCEPT', 'DROP', 'CONTINUE', 'RETURN', 'mark'],
};

/** Options that would manipulate tables or chains, named so that refusing them says why. */
export const CHAIN_COMMANDS: Readonly<Record<string, string>> = {
  '-F': 'flushes a chain',
  '--flush': 'flushes a chain',
  '-X': 'deletes a chain',
  '--delete-chain': 'deletes a chain',
  '-N': 'creates a chain',
  '--new-chain': 'creates a chain',
  '-E': 'renames a chain',
  '--rename-chain': 'renames a chain',
  '-P': "sets a chain's policy",
  '--policy': "sets a chain's policy",
  '-Z': 'zeroes counters',
  '--zero': 'zeroes counters',
  '-D': 'deletes rules',
  '--delete': 'deletes rules',
  '-R': 'replaces rules',
  '--replace': 'replaces rules',
  '-L': 'lists rules',
  '--list': 'lists rules',
  '-S': 'lists rules',
  '--list-rules': 'lists rules',
  '-C': 'checks rules',
  '--check': 'checks rules',
  '-g': 'jumps to a user chain',
  '--goto': 'jumps to a user chain',
  '--init-table': 'empties a table',
  '--atomic-file': 'replaces a table from a file',
  '--atomic-init': 'replaces a table',
  '--atomic-commit': 'replaces a table',
  '--atomic-save': 'writes a table to a file',
  '--modprobe': 'runs a program',
};

/** One option a rule may give: its names, the families that have it, its values, and what must load it. */
export interface OptionSpec {
  names: readonly string[];
  families: readonly Family[];
  /** A check per value the option takes (none for a flag such as --syn). */
  values: readonly ValueCheck[];
  /** May follow `!`. */
  negatable?: boolean;
  /**
   * Something earlier in the line must load the option: one of these as `-p X`, `-m X` or `-j X`. The
   * back-ends read options left to right, so `--sport` before `-p udp` would fail there; it is refused here.
   */
  needs?: readonly string[];
}

const IP: readonly Family[] = ['iptables', 'ip6tables'];
const V4: readonly Family[] = ['iptables'];
const V6: readonly Family[] = ['ip6tables'];
const EB: readonly Family[] = ['ebtables'];
const ALL: readonly Family[] = FAMILIES;
const L4 = ['tcp', 'udp', 'sctp'];

/** ebtables' IPv4 (--ip-…) or IPv6 (--ip6-…) match, which `-p IPv4` or `-p IPv6` loads: the same options. */
function ebtablesIpOptions(prefix: 'ip' | 'ip6', protocol: string, address: ValueCheck): OptionSpec[] {
  const names = (...n: string[]) => n.map((x) => `--${prefix}-${x}`);
  const option = (n: string[], value: ValueCheck): OptionSpec => ({
    names: n,
    families: EB,
    values: [value],
    negatable: true,
    needs: [protocol],
  });
  return [
    option(names('src', 'source', 'dst', 'destination'), address),
    option(names('proto', 'protocol'), V.protocol),
    option(names('sport', 'source-port', 'dport', 'destination-port'), V.port),
  ];
}

export const OPTIONS: readonly OptionSpec[] = [
  // Packet fields common to every family.
  { names: ['-i', '--in-interface'], families: ALL, values: [V.iface], negatable: true },
  { names: ['-o', '--out-interface'], families: ALL, values: [V.iface], negatable: true },
  { names: ['-s', '--source', '--src'], families: V4, values: [V.ipv4], negatable: true },
  { names: ['-d', '--destination', '--dst'], families: V4, values: [V.ipv4], negatable: true },
  { names: ['-s', '--source', '--src'], families: V6, values: [V.ipv6], negatable: true },
  { names: ['-d', '--destination', '--dst'], families: V6, values: [V.ipv6], negatable: true },
  { names: ['-p', '--protocol'], families: IP, values: [V.protocol], negatable: true },
  // Matches: tcp, udp, sctp (loaded by -p), multiport, icmp, conntrack, dscp, mark, limit, mac, length, …
  { names: ['--sport', '--source-port'], families: IP, values: [V.port], negatable: true, needs: L4 },
  { names: ['--dport', '--destination-port'], families: IP, values: [V.port], negatable: true, needs: L4 },
  {
    names: ['--sports', '--source-ports'],
    families: IP,
    values: [V.ports],
    negatable: true,
    needs: ['multiport'],
  },
  {
    names: ['--dports', '--destination-ports'],
    families: IP,
    values: [V.ports],
    negatable: true,
    needs: ['multiport'],
  },
  { names: ['--ports'], families: IP, values: [V.ports], negatable: true, needs: ['multiport'] },
  { names: ['--tcp-flags'], families: IP, values: [V.tcpFlags, V.tcpFlags], negatable: true, needs: ['tcp'] },
  { names: ['--syn'], families: IP, values: [], negatable: true, needs: ['tcp'] },
  { names: ['--icmp-type'], families: V4, values: [V.icmpType], negatable: true, needs: ['icmp'] },
  { names: ['--icmpv6-type'], families: V6, values: [V.icmpType], negatable: true, needs: ['icmp6'] },
  { names: ['--ctstate'], families: IP, values: [V.ctstate], negatable: true, needs: ['conntrack'] },
  { names: ['--state'], families: IP, values: [V.ctstate], negatable: true, needs: ['state'] },
  { names: ['--dscp'], families: IP, values: [V.dscp], negatable: true, needs: ['dscp'] },
  { names: ['--dscp-class'], families: IP, values: [V.dscpClass], negatable: true, needs: ['dscp'] },
  { names: ['--mark'], families: IP, values: [V.mark], negatable: true, needs: ['mark'] },
  { names: ['--limit'], families: IP, values: [V.limit], needs: ['limit'] },
  { names: ['--limit-burst'], families: IP, values: [V.uint], needs: ['limit'] },
  { names: ['--mac-source'], families: IP, values: [V.mac], negatable: true, needs: ['mac'] },
  { names: ['--length'], families: IP, values: [V.length], negatable: true, needs: ['length'] },
  { names: ['--pkt-type'], families: IP, values: [V.pktType], negatable: true, needs: ['pkttype'] },
  { names: ['--src-range'], families: V4, values: [V.ipv4Range], negatable: true, needs: ['iprange'] },
  { names: ['--dst-range'], families: V4, values: [V.ipv4Range], negatable: true, needs: ['iprange'] },
  { names: ['--src-range'], families: V6, values: [V.ipv6Range], negatable: true, needs: ['iprange'] },
  { names: ['--dst-range'], families: V6, values: [V.ipv6Range], negatable: true, needs: ['iprange'] },
  { names: ['--comment'], families: IP, values: [V.comment], needs: ['comment'] },
  // Target options.
  { names: ['--set-dscp'], families: IP, values: [V.dscp], needs: ['DSCP', 'SETQOS'] },
  { names: ['--set-dscp-class'], families: IP, values: [V.dscpClass], needs: ['DSCP'] },
  { names: ['--set-cos'], families: IP, values: [V.cos], needs: ['SETQOS'] },
  { names: ['--set-mark', '--set-xmark'], families: IP, values: [V.mark], needs: ['MARK'] },
  { names: ['--set-class'], families: IP, values: [V.classId], needs: ['CLASSIFY'] },
  { names: ['--class'], families: IP, values: [V.cos], needs: ['SETCLASS'] },
  { names: ['--set-mode'], families: IP, values: [V.policeMode], needs: ['POLICE'] },
  { names: ['--set-rate', '--set-burst'], families: IP, values: [V.uint], needs: ['POLICE'] },
  { names: ['--log-prefix'], families: IP, values: [V.text], needs: ['LOG'] },
  { names: ['--log-level'], families: IP, values: [V.logLevel], needs: ['LOG'] },
  { names: ['--reject-with'], families: IP, values: [V.rejectWith], needs: ['REJECT'] },
  // ebtables: Ethernet fields, the IPv4/IPv6 and VLAN matches (loaded by -p), the mark target and the log.
  { names: ['-s', '--source', '--src'], families: EB, values: [V.macMasked], negatable: true },
  { names: ['-d', '--destination', '--dst'], families: EB, values: [V.macMasked], negatable: true },
  { names: ['-p', '--protocol'], families: EB, values: [V.ethertype], negatable: true },
  { names: ['--logical-in', '--logical-out'], families: EB, values: [V.iface], negatable: true },
  ...ebtablesIpOptions('ip', 'IPv4', V.ipv4),
  { names: ['--ip-tos'], families: EB, values: [V.tos], negatable: true, needs: ['IPv4'] },
  ...ebtablesIpOptions('ip6', 'IPv6', V.ipv6),
  { names: ['--vlan-id'], families: EB, values: [V.vlanId], negatable: true, needs: ['802_1Q'] },
  { names: ['--vlan-prio'], families: EB, values: [V.cos], negatable: true, needs: ['802_1Q'] },
  { names: ['--vlan-encap'], families: EB, values: [V.ethertype], negatable: true, needs: ['802_1Q'] },
  {
    names: ['--mark-set', '--set-mark', '--mark-or', '--mark-and', '--mark-xor'],
    families: EB,
    values: [V.mark],
    needs: ['mark'],
  },
  { names: ['--mark-target'], families: EB, values: [V.ebTarget], needs: ['mark'] },
  { names: ['--log'], families: EB, values: [] },
  { names: ['--log-level'], families: EB, values: [V.logLevel] },
  { names: ['--log-prefix'], families: EB, values: [V.text] },
];

/** The options of a family by name, for the checker. */
export function optionsOf(family: Family): ReadonlyMap<string, OptionSpec> {
  const map = new Map<string, OptionSpec>();
  for (const o of OPTIONS) if (o.families.includes(family)) for (const n of o.names) map.set(n, o);
  return map;
}

/** What `-p X`, `-m X` or `-j X` makes available to later options (the `needs` above). */
export function provides(family: Family, option: '-p' | '-m' | '-j', value: string): string {
  if (option !== '-p') return value;
  if (family === 'ebtables') {
    const byNumber: Record<string, string> = { '0x0800': 'IPv4', '0x86dd': 'IPv6', '0x8100': '802_1Q' };
    return byNumber[value.toLowerCase()] ?? value;
  }
  const byNumber: Record<string, string> = {
    '6': 'tcp',
    '17': 'udp',
    '132': 'sctp',
    '1': 'icmp',
    '58': 'icmp6',
  };
  if (value === 'icmpv6' || value === 'ipv6-icmp') return 'icmp6';
  return byNumber[value] ?? value;
}
