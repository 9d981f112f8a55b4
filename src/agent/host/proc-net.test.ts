import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import type { KnownCounterRecord } from '../../sflow/model.js';
import { readHostCounters } from './host-counters.js';
import { assertBracketed, missing, run } from './outside-tools.test-util.js';
import { parseNetDev } from './proc-net.js';

/** One entry of `ip -s -s -d -j link`. */
interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  operstate: string;
  link_type: string;
  address?: string;
  link?: string;
  link_index?: number;
  linkinfo?: { info_kind?: string };
  stats64: { rx: Record<string, number>; tx: Record<string, number> };
}

function ipLinks(): Map<number, IpLink> {
  const links = JSON.parse(run('ip', ['-s', '-s', '-d', '-j', 'link'])) as IpLink[];
  return new Map(links.map((l) => [l.ifindex, l]));
}

/**
 * A veth pair whose far end is in a namespace of its own, so the host has a non-loopback NIC to count
 * traffic on even where it has none. Addresses come from 198.19.0.0/16 (RFC 2544's benchmarking block, the
 * half the ACL tests do not use), the /30 from the pid.
 */
class VethPair {
  readonly ns = `sfk-hproc-${process.pid}`;
  readonly near = `hp${process.pid % 1_000_000}h`;
  readonly far = `hp${process.pid % 1_000_000}n`;
  readonly net = `198.19.${(process.pid >> 6) & 255}.${(process.pid & 63) * 4}`;
  readonly farAddress = this.net.replace(/\d+$/, (d) => String(Number(d) + 2));

  constructor() {
    const nearAddress = this.net.replace(/\d+$/, (d) => String(Number(d) + 1));
    try {
      run('ip', ['netns', 'add', this.ns]);
      run('ip', ['link', 'add', this.near, 'type', 'veth', 'peer', 'name', this.far, 'netns', this.ns]);
      run('ip', ['addr', 'add', `${nearAddress}/30`, 'dev', this.near]);
      run('ip', ['link', 'set', this.near, 'up']);
      run('ip', ['-n', this.ns, 'addr', 'add', `${this.farAddress}/30`, 'dev', this.far]);
      run('ip', ['-n', this.ns, 'link', 'set', this.far, 'up']);
    } catch (e) {
      this.destroy();
      throw e;
    }
  }

  /** Datagrams to the far end's discard port: ARP, UDP out, ICMP port-unreachable back. */
  async traffic(n: number): Promise<void> {
    const s = createSocket('udp4');
    for (let i = 0; i < n; i++) {
      await new Promise<void>((ok, fail) =>
        s.send(Buffer.alloc(100), 9, this.farAddress, (e) => (e ? fail(e) : ok())),
      );
    }
    s.close();
    await new Promise((r) => setTimeout(r, 50));
  }

  destroy(): void {
    spawnSync('ip', ['link', 'del', this.near]);
    spawnSync('ip', ['netns', 'del', this.ns]);
  }
}

function value<N extends KnownCounterRecord['name']>(records: KnownCounterRecord[], name: N) {
  const r = records.find((x) => x.name === name);
  assert.ok(r !== undefined, `no ${name}`);
  return r.value as Extract<KnownCounterRecord, { name: N }>['value'];
}

const hasFlag = (l: IpLink, f: string) => l.flags.includes(f);

const skip = process.getuid?.() !== 0 ? 'needs root (ip netns add)' : missing('ip');

test('if_counters, ethernet_counters, host_net_io and host_adapters agree with ip -s -s -d -j link', {
  skip,
}, async (t) => {
  const pair = new VethPair();
  t.after(() => pair.destroy());
  await pair.traffic(20);
  // Other tests on this machine add and remove interfaces; retry until none did so during our read.
  for (let attempt = 0; ; attempt++) {
    const before = ipLinks();
    const c = await readHostCounters('/');
    const after = ipLinks();
    const same = (m: Map<number, IpLink>) =>
      m.size === c.nics.length && c.nics.every((n) => m.get(n.ifIndex)?.ifname === n.name);
    if (!same(before) || !same(after)) {
      assert.ok(attempt < 5, 'interfaces kept changing');
      continue;
    }
    for (const nic of c.nics) {
      const a = before.get(nic.ifIndex)!;
      const b = after.get(nic.ifIndex)!;
      const ifc = value(nic.records, 'if_counters');
      const at = (what: string) => `${nic.name} ${what}`;
      assertBracketed(at('ifInOctets'), a.stats64.rx.bytes, ifc.ifInOctets, b.stats64.rx.bytes, 64);
      assertBracketed(at('ifInUcastPkts'), a.stats64.rx.packets, ifc.ifInUcastPkts, b.stats64.rx.packets);
      assertBracketed(at('ifInErrors'), a.stats64.rx.errors, ifc.ifInErrors, b.stats64.rx.errors);
      // /proc/net/dev's drop column adds the missed errors that netlink keeps apart.
      const drops = (l: IpLink) => l.stats64.rx.dropped + (l.stats64.rx.missed_errors ?? 0);
      assertBracketed(at('ifInDiscards'), drops(a), ifc.ifInDiscards, drops(b));
      assertBracketed(at('ifOutOctets'), a.stats64.tx.bytes, ifc.ifOutOctets, b.stats64.tx.bytes, 64);
      assertBracketed(at('ifOutUcastPkts'), a.stats64.tx.packets, ifc.ifOutUcastPkts, b.stats64.tx.packets);
      assertBracketed(at('ifOutErrors'), a.stats64.tx.errors, ifc.ifOutErrors, b.stats64.tx.errors);
      assertBracketed(at('ifOutDiscards'), a.stats64.tx.dropped, ifc.ifOutDiscards, b.stats64.tx.dropped);
      const operUp = a.operstate === 'UP' || (a.operstate === 'UNKNOWN' && hasFlag(a, 'LOWER_UP'));
      assert.equal(ifc.ifStatus, (hasFlag(a, 'UP') ? 1 : 0) | (operUp ? 2 : 0), at('ifStatus'));
      assert.equal(ifc.ifPromiscuousMode, hasFlag(a, 'PROMISC') ? 1 : 0, at('ifPromiscuousMode'));
      const type = { ether: 6, loopback: 24 }[a.link_type] ?? 1;
      assert.equal(ifc.ifType, type, at('ifType'));
      assert.equal(nic.loopback, type === 24);
      const eth = nic.records.find((r) => r.name === 'ethernet_counters');
      assert.equal(eth !== undefined, type === 6, at('has ethernet_counters'));
      if (eth?.name === 'ethernet_counters') {
        const e = eth.value;
        const pairs = [
          [e.dot3StatsAlignmentErrors, 'rx', 'frame_errors'],
          [e.dot3StatsFCSErrors, 'rx', 'crc_errors'],
          [e.dot3StatsSQETestErrors, 'tx', 'heartbeat_errors'],
          [e.dot3StatsLateCollisions, 'tx', 'window_errors'],
          [e.dot3StatsExcessiveCollisions, 'tx', 'aborted_errors'],
          [e.dot3StatsCarrierSenseErrors, 'tx', 'carrier_errors'],
        ] as const;
        for (const [v, dir, k] of pairs) assertBracketed(at(k), a.stats64[dir][k], v, b.stats64[dir][k]);
        assert.equal(e.dot3StatsSymbolErrors, 0xffffffff);
      }
    }

    // The veth driver reports 10 Gb/s, full duplex (drivers/net/veth.c); we made traffic on it.
    const veth = c.nics.find((n) => n.name === pair.near);
    assert.ok(veth, 'our veth is missing');
    const vc = value(veth.records, 'if_counters');
    assert.equal(vc.ifSpeed, 10_000_000_000n);
    assert.equal(vc.ifDirection, 1);
    assert.ok(vc.ifOutUcastPkts >= 20 && vc.ifInUcastPkts >= 1, 'no traffic on the veth');

    // host_net_io: the interfaces that are up, neither loopback nor bond master nor VLAN, as ip tells them.
    const counted = [...before.values()].filter(
      (l) =>
        hasFlag(l, 'UP') &&
        !hasFlag(l, 'LOOPBACK') &&
        !hasFlag(l, 'MASTER') &&
        l.linkinfo?.info_kind !== 'vlan',
    );
    const sum = (m: Map<number, IpLink>, dir: 'rx' | 'tx', k: string) =>
      counted.reduce((s, l) => s + (m.get(l.ifindex)!.stats64[dir][k] ?? 0), 0);
    const nio = value(c.host, 'host_net_io');
    assertBracketed('bytesIn', sum(before, 'rx', 'bytes'), nio.bytesIn, sum(after, 'rx', 'bytes'), 64);
    assertBracketed('pktsIn', sum(before, 'rx', 'packets'), nio.pktsIn, sum(after, 'rx', 'packets'));
    assertBracketed('errsIn', sum(before, 'rx', 'errors'), nio.errsIn, sum(after, 'rx', 'errors'));
    const dropsIn = (m: Map<number, IpLink>) => sum(m, 'rx', 'dropped') + sum(m, 'rx', 'missed_errors');
    assertBracketed('dropsIn', dropsIn(before), nio.dropsIn, dropsIn(after));
    assertBracketed('bytesOut', sum(before, 'tx', 'bytes'), nio.bytesOut, sum(after, 'tx', 'bytes'), 64);
    assertBracketed('packetsOut', sum(before, 'tx', 'packets'), nio.packetsOut, sum(after, 'tx', 'packets'));
    assertBracketed('errsOut', sum(before, 'tx', 'errors'), nio.errsOut, sum(after, 'tx', 'errors'));
    assertBracketed('dropsOut', sum(before, 'tx', 'dropped'), nio.dropsOut, sum(after, 'tx', 'dropped'));

    // host_adapters: up, not loopback, a real MAC, and no link to another device (our veth has one).
    const adapters = [...before.values()]
      .filter(
        (l) =>
          hasFlag(l, 'UP') &&
          !hasFlag(l, 'LOOPBACK') &&
          /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(l.address ?? '') &&
          l.address !== '00:00:00:00:00:00' &&
          l.link === undefined &&
          l.link_index === undefined,
      )
      .map((l) => ({ ifIndex: l.ifindex, macAddress: [l.address] }));
    assert.deepEqual(value(c.host, 'host_adapters').adapters, adapters);
    assert.ok(!adapters.some((x) => x.ifIndex === veth.ifIndex));
    return;
  }
});

test('/proc/net/dev: names, columns, 64-bit counters', () => {
  const text = [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
    '    lo: 18446744073709551615 4294967301 1 2 3 4 5 6 7 8 9 10 11 12 13 14',
    'eth0:1 2 3 4 0 0 0 0 5 6 7 8 0 0 0 0',
  ].join('\n');
  assert.deepEqual(parseNetDev(text), [
    [
      'lo',
      {
        rxBytes: 18446744073709551615n,
        rxPackets: 4294967301n,
        rxErrs: 1n,
        rxDrop: 2n,
        txBytes: 7n,
        txPackets: 8n,
        txErrs: 9n,
        txDrop: 10n,
      },
    ],
    [
      'eth0',
      {
        rxBytes: 1n,
        rxPackets: 2n,
        rxErrs: 3n,
        rxDrop: 4n,
        txBytes: 5n,
        txPackets: 6n,
        txErrs: 7n,
        txDrop: 8n,
      },
    ],
  ]);
});
