/** The rule checker: the seed's own ACLs and the usual QoS and filter rules pass; each refusal says why. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AclError } from './acl-errors.js';
import { asLines, checkAcl, LIMITS, parseAcl } from './rule-check.js';

/** The reason a one-rule ACL of `family` is refused (or undefined when it passes). */
function reason(rule: string, family = 'iptables'): string | undefined {
  const r = checkAcl([`[${family}]`, rule]);
  return r.ok ? undefined : r.problems.map((p) => `${p.line}: ${p.reason}`).join('; ');
}

test("the seed's ACLs pass, parsed into table, chain and the rest of the line", () => {
  const ddos = parseAcl([
    '[iptables]',
    '-A FORWARD --in-interface swp+ -d 10.10.100.10 -p udp --sport 53 -j DROP',
  ]);
  assert.deepEqual(ddos, [
    {
      family: 'iptables',
      table: 'filter',
      chain: 'FORWARD',
      op: 'append',
      args: ['--in-interface', 'swp+', '-d', '10.10.100.10', '-p', 'udp', '--sport', '53', '-j', 'DROP'],
      line: 2,
    },
  ]);
  const mark = parseAcl([
    '[iptables]',
    '# mark Elephant',
    '-t mangle -A FORWARD --in-interface swp+ -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 40000 --dport 5001 -j SETQOS --set-dscp 10 --set-cos 5',
  ]);
  assert.equal(mark.length, 1);
  assert.equal(mark[0].table, 'mangle');
  assert.equal(mark[0].line, 3);
  assert.deepEqual(mark[0].args.slice(-6), ['-j', 'SETQOS', '--set-dscp', '10', '--set-cos', '5']);
});

test('allowed: families, negation, modules, targets, insert positions, blank lines and comments', () => {
  const ok = [
    ['iptables', '-I INPUT 2 -p tcp ! --dport 22 -j ACCEPT'],
    [
      'iptables',
      '-A FORWARD -i swp1 -o swp2 ! -s 192.168.0.0/16 -j REJECT --reject-with icmp-port-unreachable',
    ],
    [
      'iptables',
      '-A FORWARD -p tcp -m multiport --dports 80,443,8000:8080 -m conntrack --ctstate NEW -j LOG --log-prefix acl:',
    ],
    ['iptables', '-t mangle -A PREROUTING -p udp -m dscp --dscp 10 -j DSCP --set-dscp-class AF21'],
    ['iptables', '-t mangle -A FORWARD -p tcp --tcp-flags SYN,ACK SYN -j MARK --set-mark 0x10/0xff'],
    [
      'iptables',
      '-t raw -A PREROUTING -s 10.0.0.0/255.0.0.0 -m limit --limit 10/second --limit-burst 5 -j DROP',
    ],
    ['iptables', '-A INPUT -p icmp --icmp-type echo-request -m comment --comment ping-limit -j ACCEPT'],
    ['ip6tables', '-A FORWARD -s 2001:db8::/32 -d fd00::1 -p icmpv6 --icmpv6-type 128 -j DROP'],
    ['ip6tables', '-t mangle -A FORWARD -p tcp --sport 1:1024 -j DSCP --set-dscp 0x2e'],
    ['ebtables', '-A FORWARD -i swp+ -s 00:11:22:33:44:55 -p IPv4 --ip-src 10.1.1.1 --ip-proto udp -j DROP'],
    ['ebtables', '-A FORWARD -p 802_1Q --vlan-id 100 -j mark --mark-set 7 --mark-target ACCEPT'],
  ];
  for (const [family, rule] of ok) assert.equal(reason(rule, family), undefined, rule);
  assert.ok(checkAcl(['', '# comment', '[iptables]', '  ', '-A INPUT -j ACCEPT', '[ip6tables]']).ok);
  assert.ok(checkAcl([]).ok, 'an empty ACL is an ACL with no rules');
});

test('refused: characters a shell or the back-end would read', () => {
  const cases: [string, RegExp][] = [
    ["-A INPUT -s '10.0.0.1' -j DROP", /"'" is not allowed: .* a quote/],
    ['-A INPUT -j DROP `reboot`', /command substitution/],
    ['-A INPUT -s $HOST -j DROP', /shell expansion/],
    ['-A INPUT -j DROP; iptables -F', /command separator/],
    ['-A INPUT -j DROP | tee x', /a pipe/],
    ['-A INPUT -j DROP && reboot', /background or AND/],
    ['-A INPUT -j DROP > /etc/passwd', /redirection/],
    ['-A INPUT -j DROP\n-F', /line break inside the line/],
    ['-A INPUT -j DROP\r', /line break/],
    ['-A INPUT\t-j DROP', /control character U\+0009/],
    ['-A INPUT -i swp1\u00e9 -j DROP', /plain ASCII/],
    ['-A INPUT -s 10.0.0.* -j DROP', /a glob/],
  ];
  for (const [rule, re] of cases) assert.match(reason(rule) ?? '', re, JSON.stringify(rule));
});

test('refused: table and chain manipulation, restore directives, user chains', () => {
  const cases: [string, RegExp][] = [
    ['-F', /-F flushes a chain/],
    ['-A INPUT -j ACCEPT --flush', /--flush flushes a chain/],
    ['-X sflowkit-INPUT', /-X deletes a chain/],
    ['-P FORWARD DROP', /-P sets a chain's policy/],
    ['-N mine', /-N creates a chain/],
    ['-D FORWARD 1', /-D deletes rules/],
    ['-A FORWARD -g other', /jumps to a user chain/],
    ['*filter', /iptables-restore directive/],
    [':INPUT ACCEPT [0:0]', /iptables-restore directive/],
    ['COMMIT', /iptables-restore directive/],
    ['-A mychain -j DROP', /chain 'mychain' is not a built-in chain of the filter table/],
    ['-t mangle -A sflowkit-FORWARD -j DROP', /not a built-in chain of the mangle table/],
    ['-A PREROUTING -j DROP', /not a built-in chain of the filter table \(INPUT, FORWARD, OUTPUT\)/],
    ['-t nat -A PREROUTING -j DROP', /table 'nat' is not allowed in iptables \(filter, mangle, raw\)/],
    ['-t filter -t mangle -A FORWARD -j DROP', /table is given twice/],
    ['-A INPUT -A FORWARD -j DROP', /adds to one chain/],
    ['-j DROP', /must add to a chain/],
    ['-A FORWARD -j mychain', /target 'mychain' is not allowed .*user chains/],
    ['-A FORWARD -j DROP -j ACCEPT', /target is given twice/],
  ];
  for (const [rule, re] of cases) assert.match(reason(rule) ?? '', re, rule);
});

test('refused: options, values and modules outside the allowlist, and options before what loads them', () => {
  const cases: [string, string, RegExp][] = [
    [
      'iptables',
      '-A INPUT --frobnicate -j DROP',
      /option --frobnicate is not in the allowlist of iptables options/,
    ],
    ['iptables', '-A INPUT -s example.com -j DROP', /-s 'example.com': expected an IPv4 address/],
    ['iptables', '-A INPUT -s 2001:db8::1 -j DROP', /expected an IPv4 address/],
    ['ip6tables', '-A INPUT -s 10.0.0.1 -j DROP', /expected an IPv6 address/],
    ['iptables', '-A INPUT -s 10.0.0.0/33 -j DROP', /expected an IPv4 address or prefix/],
    ['iptables', '-A INPUT -p tcp --dport 70000 -j DROP', /--dport '70000': expected a port/],
    ['iptables', '-A INPUT --dport 53 -p udp -j DROP', /--dport needs -p tcp or -p udp or -p sctp earlier/],
    ['iptables', '-A INPUT -m string --string x -j DROP', /module 'string' is not allowed/],
    ['iptables', '-A INPUT -p tcp --dports 80,443 -j DROP', /--dports needs -m multiport/],
    [
      'iptables',
      '-t mangle -A FORWARD --set-dscp 10 -j DSCP',
      /--set-dscp needs -j DSCP or -j SETQOS earlier/,
    ],
    ['iptables', '-t mangle -A FORWARD -j DSCP --set-dscp 64', /--set-dscp '64': expected a DSCP value/],
    ['iptables', '-A INPUT -i -F -j DROP', /-i '-F': expected an interface name/],
    ['iptables', '-A INPUT -i .bad -j DROP', /expected an interface name/],
    ['iptables', '-A INPUT -j LOG --log-prefix', /--log-prefix needs a value/],
    ['iptables', '-A INPUT -j', /-j needs a value/],
    ['iptables', '-A INPUT 10.0.0.1 -j DROP', /'10.0.0.1' is not an option: values follow their option/],
    ['iptables', '-A INPUT ! -j DROP', /-j cannot be negated/],
    ['iptables', '-A INPUT ! ! -s 10.0.0.1 -j DROP', /'!' twice/],
    ['iptables', '-A INPUT -j DROP !', /negates nothing/],
    ['iptables', '-I INPUT 0 -j DROP', /position 0 is out of range/],
    ['ebtables', '-A FORWARD --ip-src 10.0.0.1 -j DROP', /--ip-src needs -p IPv4 earlier/],
    ['ebtables', '-A FORWARD -m tcp -j DROP', /ebtables rules load no modules/],
    ['ebtables', '-t broute -A BROUTING -j DROP', /table 'broute' is not allowed in ebtables/],
  ];
  for (const [family, rule, re] of cases) assert.match(reason(rule, family) ?? '', re, rule);
});

test('refused: sections, rules outside a section, and the size bounds', () => {
  assert.match(reason('-A INPUT -j DROP', 'arptables') ?? '', /unknown section \[arptables\]/);
  const before = checkAcl(['-A INPUT -j DROP']);
  assert.ok(!before.ok);
  assert.match(before.problems[0].reason, /before any section header/);
  const long = checkAcl([
    '[iptables]',
    `-A INPUT -m comment --comment ${'x'.repeat(LIMITS.lineLength)} -j DROP`,
  ]);
  assert.ok(!long.ok);
  assert.equal(long.problems[0].line, 2);
  assert.match(long.problems[0].reason, /characters; at most 512/);
  const many = checkAcl(['[iptables]', ...Array.from({ length: LIMITS.lines }, () => '-A INPUT -j DROP')]);
  assert.ok(!many.ok);
  assert.match(many.problems[0].reason, /has 257 lines; at most 256/);
});

test('every problem is reported with its line; parseAcl throws BAD_RULE carrying them', () => {
  const lines = ['[iptables]', '-A INPUT -j DROP', '-F', '-A INPUT -s $x -j DROP', '*filter'];
  const r = checkAcl(lines);
  assert.ok(!r.ok);
  assert.deepEqual(
    r.problems.map((p) => [p.line, p.text]),
    [
      [3, '-F'],
      [4, '-A INPUT -s $x -j DROP'],
      [5, '*filter'],
    ],
  );
  assert.throws(
    () => parseAcl(lines),
    (e: unknown) =>
      e instanceof AclError &&
      e.code === 'BAD_RULE' &&
      /^line 3: -F flushes a chain.*\(and 2 more, in problems\)$/.test(e.message) &&
      (e.toJSON().problems as unknown[]).length === 3,
  );
});

test('a body must be an array of strings', () => {
  assert.deepEqual(asLines(['[iptables]']), ['[iptables]']);
  assert.throws(() => asLines({ rules: [] }), /array of rule lines, not an object/);
  assert.throws(
    () => asLines(['[iptables]', 5]),
    (e: unknown) => e instanceof AclError && e.code === 'BAD_BODY',
  );
  assert.throws(() => asLines(null), /not null/);
});
