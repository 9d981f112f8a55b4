import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertBracketed, assertNear, missing, run } from './outside-tools.test-util.js';
import { readTcpip, tcpipRecords } from './proc-tcpip.js';

/** `nstat -asz`: absolute values, zeros included, without touching nstat's history file. */
function nstat(): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of run('nstat', ['-asz']).split('\n')) {
    const m = /^(\w+)\s+(\d+)/.exec(line);
    if (m) out.set(m[1], BigInt(m[2]));
  }
  return out;
}

/** nstat's name of a MIB field: the group and Linux's column name (`icmpInParamProbs` → `IcmpInParmProbs`). */
function nstatName(field: string): string {
  const name = field[0].toUpperCase() + field.slice(1);
  return name.replace('ParamProbs', 'ParmProbs').replace(/CsumErrs$/, 'CsumErrors');
}

function establishedTcp(): number {
  const m = /(\d+) connections established/.exec(run('netstat', ['-s']));
  assert.ok(m, 'netstat -s shows no established connections line');
  return Number(m[1]);
}

/** What nstat leaves out: the configuration, Linux's fixed TCP constants, and the one gauge. */
const NOT_COUNTERS = [
  'ipForwarding',
  'ipDefaultTTL',
  'tcpRtoAlgorithm',
  'tcpRtoMin',
  'tcpRtoMax',
  'tcpMaxConn',
  'tcpCurrEstab',
];

test('mib2 groups lie between two runs of nstat -asz', {
  skip: missing('nstat', 'netstat', 'sysctl'),
}, async () => {
  const estBefore = establishedTcp();
  const before = nstat();
  const records = await readTcpip('/');
  const after = nstat();
  const estAfter = establishedTcp();
  assert.deepEqual(
    records.map((r) => r.tag),
    ['0:2007', '0:2008', '0:2009', '0:2010'],
  );
  const unchecked: string[] = [];
  for (const r of records) {
    for (const [field, v] of Object.entries(r.value as unknown as Record<string, number>)) {
      const lo = before.get(nstatName(field));
      const hi = after.get(nstatName(field));
      if (lo === undefined || hi === undefined) unchecked.push(field);
      else assertBracketed(field, lo, v, hi);
    }
  }
  assert.deepEqual(unchecked, NOT_COUNTERS);
  const [ip, , tcp] = records;
  assert.ok(ip.name === 'mib2_ip_group' && tcp.name === 'mib2_tcp_group');
  // MIB-II ipForwarding: 1 forwarding, 2 not.
  const forward = run('sysctl', ['-n', 'net.ipv4.ip_forward']).trim() === '1' ? 1 : 2;
  assert.equal(ip.value.ipForwarding, forward);
  assert.equal(ip.value.ipDefaultTTL, Number(run('sysctl', ['-n', 'net.ipv4.ip_default_ttl'])));
  // Linux's constants (net/ipv4/proc.c): RTO algorithm "other", 200 ms to 120 s, no fixed connection limit.
  assert.deepEqual(
    [tcp.value.tcpRtoAlgorithm, tcp.value.tcpRtoMin, tcp.value.tcpRtoMax, tcp.value.tcpMaxConn],
    [1, 200, 120_000, 0xffffffff],
  );
  // A gauge: connections open and close on this machine between the netstat runs; allow what changed plus 5.
  assertNear('tcpCurrEstab', estBefore, tcp.value.tcpCurrEstab, estAfter, Math.abs(estAfter - estBefore) + 5);
});

test('/proc/net/snmp is read by column name, not position', () => {
  const snmp = [
    'Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InParmProbs OutParmProbs',
    'Icmp: 10 1 2 3 4 5',
    'Tcp: RtoAlgorithm MaxConn InCsumErrors',
    'Tcp: 1 -1 4294967303',
    'Udp: InDatagrams',
  ].join('\n');
  const [icmp, tcp, ...rest] = tcpipRecords(snmp);
  assert.deepEqual(rest, []);
  assert.ok(icmp.name === 'mib2_icmp_group' && tcp.name === 'mib2_tcp_group');
  assert.deepEqual(
    [
      icmp.value.icmpInMsgs,
      icmp.value.icmpInDestUnreachs,
      icmp.value.icmpInParamProbs,
      icmp.value.icmpOutParamProbs,
    ],
    [10, 3, 4, 5],
  );
  assert.equal(icmp.value.icmpOutMsgs, 0);
  assert.deepEqual([tcp.value.tcpMaxConn, tcp.value.tcpInCsumErrs], [0xffffffff, 7]);
});
