/** Ethernet, VLAN tags, LLC/SNAP, ARP and MPLS, from packets the builder assembles. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHeader } from './decode-header.js';
import { HEADER_PROTOCOL } from './header-protocols.js';
import {
  arp,
  ethernet,
  ipv4,
  ipv6,
  llc,
  mpls,
  mplsEntry,
  snap,
  TCP_SYN,
  tcp,
  udp,
} from './packet-builder.test-util.js';

const ETH = HEADER_PROTOCOL.ETHERNET_ISO8023;
const v4udp = ipv4({
  src: '10.1.2.3',
  dst: '10.4.5.6',
  protocol: 17,
  payload: udp({ srcPort: 5000, dstPort: 53 }),
});

test('Ethernet II: MACs and EtherType, then IPv4', () => {
  const p = decodeHeader(
    ETH,
    ethernet({ dst: '00:1b:21:aa:bb:cc', src: 'f0:de:f1:01:02:03', type: 0x0800, payload: v4udp }),
  );
  assert.equal(p.dstMAC, '00:1b:21:aa:bb:cc');
  assert.equal(p.srcMAC, 'f0:de:f1:01:02:03');
  assert.equal(p.ethernet_type, 0x0800);
  assert.equal(p.vlanDepth, 0);
  assert.equal(p.decodedVLAN, undefined);
  assert.equal(p.offsetToIP, 14);
  assert.equal(p.srcIP, '10.1.2.3');
  assert.equal(p.UDPDstPort, 53);
  assert.equal(p.truncated, undefined);
  assert.equal(p.malformed, undefined);
  assert.equal(p.stopOffset, 14 + 20 + 8);
});

test('802.1Q tag: VLAN id and priority', () => {
  const p = decodeHeader(
    ETH,
    ethernet({ vlans: [{ vid: 100, pcp: 5, dei: true }], type: 0x0800, payload: v4udp }),
  );
  assert.equal(p.decodedVLAN, 100);
  assert.equal(p.decodedPriority, 5);
  assert.equal(p.vlanDepth, 1);
  assert.equal(p.innerVLAN, undefined);
  assert.equal(p.ethernet_type, 0x0800);
  assert.equal(p.offsetToIP, 18);
  assert.equal(p.UDPSrcPort, 5000);
});

for (const tpid of [0x88a8, 0x9100, 0x9200, 0x9300, 0x8100]) {
  test(`QinQ with outer TPID 0x${tpid.toString(16)}: outer and inner tags`, () => {
    const p = decodeHeader(
      ETH,
      ethernet({
        vlans: [
          { tpid, vid: 4094, pcp: 7 },
          { vid: 1, pcp: 0 },
        ],
        type: 0x86dd,
        payload: ipv6({ src: '2001:db8::1', dst: '2001:db8::2', protocol: 59 }),
      }),
    );
    assert.equal(p.decodedVLAN, 4094);
    assert.equal(p.decodedPriority, 7);
    assert.equal(p.innerVLAN, 1);
    assert.equal(p.innerPriority, 0);
    assert.equal(p.vlanDepth, 2);
    assert.equal(p.ethernet_type, 0x86dd);
    assert.equal(p.offsetToIP, 22);
    assert.equal(p.srcIP6, '2001:db8::1');
  });
}

test('three VLAN tags are all skipped; the first two are reported', () => {
  const p = decodeHeader(
    ETH,
    ethernet({
      vlans: [{ tpid: 0x88a8, vid: 10 }, { tpid: 0x8100, vid: 20 }, { vid: 30 }],
      type: 0x0800,
      payload: v4udp,
    }),
  );
  assert.deepEqual([p.decodedVLAN, p.innerVLAN, p.vlanDepth, p.offsetToIP], [10, 20, 3, 26]);
  assert.equal(p.dstIP, '10.4.5.6');
});

test('802.3 with LLC/SNAP and OUI 0: the SNAP type is the EtherType', () => {
  const p = decodeHeader(ETH, ethernet({ payload: snap({ type: 0x0800, payload: v4udp }) }));
  assert.equal(p.ethernet_type, 0x0800);
  assert.equal(p.VSNAP_OUI, undefined);
  assert.equal(p.offsetToIP, 22);
  assert.equal(p.srcIP, '10.1.2.3');
});

test('802.3 with a vendor SNAP OUI: reported, not decoded further', () => {
  const p = decodeHeader(ETH, ethernet({ payload: snap({ oui: 0x00000c, type: 0x2000, payload: v4udp }) }));
  assert.equal(p.VSNAP_OUI, 0x00000c);
  assert.equal(p.ethernet_type, undefined);
  assert.equal(p.ipVersion, undefined);
  assert.equal(p.stopOffset, 22);
  assert.equal(p.truncated, undefined);
});

test('IP directly over 802.2 (SAP 0x06) counts as EtherType 0x0800', () => {
  const p = decodeHeader(ETH, ethernet({ payload: llc({ dsap: 0x06, ssap: 0x06, payload: v4udp }) }));
  assert.equal(p.ethernet_type, 0x0800);
  assert.equal(p.offsetToIP, 17);
  assert.equal(p.IPProtocol, 17);
});

test('other LLC (spanning tree) and raw 802.3 IPX stop after the MAC header', () => {
  const stp = decodeHeader(
    ETH,
    ethernet({ dst: '01:80:c2:00:00:00', payload: llc({ dsap: 0x42, ssap: 0x42 }) }),
  );
  assert.equal(stp.dstMAC, '01:80:c2:00:00:00');
  assert.equal(stp.ethernet_type, undefined);
  assert.equal(stp.stopOffset, 14);
  assert.equal(stp.truncated, undefined);
  const ipx = decodeHeader(ETH, ethernet({ payload: llc({ dsap: 0xff, ssap: 0xff, control: 0 }) }));
  assert.equal(ipx.ethernet_type, undefined);
  assert.equal(ipx.stopOffset, 14);
});

test('an EtherType we do not follow stops after the MAC header', () => {
  const p = decodeHeader(ETH, ethernet({ type: 0x88cc, payload: new Uint8Array(40) }));
  assert.equal(p.ethernet_type, 0x88cc);
  assert.equal(p.stopOffset, 14);
  assert.equal(p.truncated, undefined);
  assert.equal(p.malformed, undefined);
});

for (const [name, type] of [
  ['ARP', 0x0806],
  ['RARP', 0x8035],
] as const) {
  test(`${name}: operation and Ethernet/IPv4 addresses`, () => {
    const p = decodeHeader(
      ETH,
      ethernet({
        dst: 'ff:ff:ff:ff:ff:ff',
        type,
        payload: arp({
          op: 1,
          senderMac: '02:00:00:00:00:01',
          senderIp: '192.0.2.1',
          targetMac: '00:00:00:00:00:00',
          targetIp: '192.0.2.254',
        }),
      }),
    );
    assert.equal(p.ethernet_type, type);
    assert.equal(p.ARPOperation, 1);
    assert.equal(p.ARPSenderMAC, '02:00:00:00:00:01');
    assert.equal(p.ARPSenderIP, '192.0.2.1');
    assert.equal(p.ARPTargetMAC, '00:00:00:00:00:00');
    assert.equal(p.ARPTargetIP, '192.0.2.254');
    assert.equal(p.ipVersion, undefined);
    assert.equal(p.stopOffset, 14 + 28);
  });
}

test('MPLS: label stack, then IPv4 after the bottom of stack', () => {
  const labels = [
    { label: 16001, tc: 5, ttl: 254 },
    { label: 24005, tc: 0, ttl: 63 },
  ];
  const p = decodeHeader(
    ETH,
    ethernet({
      type: 0x8847,
      payload: mpls({
        labels,
        payload: ipv4({
          src: '198.51.100.1',
          dst: '198.51.100.2',
          protocol: 6,
          payload: tcp({ srcPort: 179, dstPort: 40000, flags: TCP_SYN }),
        }),
      }),
    }),
  );
  assert.equal(p.ethernet_type, 0x8847);
  assert.deepEqual(p.mplsLabelStack, [mplsEntry(labels[0], false), mplsEntry(labels[1], true)]);
  assert.equal(p.mplsLabelStack![0] >>> 12, 16001);
  assert.equal(p.offsetToIP, 22);
  assert.equal(p.srcIP, '198.51.100.1');
  assert.equal(p.TCPSrcPort, 179);
  assert.equal(p.TCPFlags, TCP_SYN);
});

test('MPLS multicast EtherType, IPv6 after the stack', () => {
  const p = decodeHeader(
    ETH,
    ethernet({
      type: 0x8848,
      payload: mpls({
        labels: [{ label: 3 }],
        payload: ipv6({
          src: 'fd00::1',
          dst: 'ff0e::1',
          protocol: 17,
          payload: udp({ srcPort: 1, dstPort: 2 }),
        }),
      }),
    }),
  );
  assert.equal(p.mplsLabelStack!.length, 1);
  assert.equal(p.ipVersion, 6);
  assert.equal(p.dstIP6, 'ff0e::1');
  assert.equal(p.UDPDstPort, 2);
});

test('MPLS with a payload that is not IP (a pseudowire) stops after the stack', () => {
  const p = decodeHeader(
    ETH,
    ethernet({
      type: 0x8847,
      payload: mpls({ labels: [{ label: 299776 }], payload: ethernet({ type: 0x0800 }) }),
    }),
  );
  assert.equal(p.mplsLabelStack![0] >>> 12, 299776);
  assert.equal(p.ipVersion, undefined);
  assert.equal(p.stopOffset, 18);
});

test('MPLS header protocol (13) starts at the label stack', () => {
  const p = decodeHeader(
    HEADER_PROTOCOL.MPLS,
    mpls({ labels: [{ label: 100 }, { label: 200 }], payload: v4udp }),
  );
  assert.deepEqual(
    p.mplsLabelStack!.map((e) => e >>> 12),
    [100, 200],
  );
  assert.equal(p.offsetToIP, 8);
  assert.equal(p.UDPSrcPort, 5000);
});

test('an MPLS stack without a bottom entry runs out as truncated', () => {
  const p = decodeHeader(
    HEADER_PROTOCOL.MPLS,
    mpls({ labels: [{ label: 1 }, { label: 2 }], noBottom: true }),
  );
  assert.equal(p.mplsLabelStack!.length, 2);
  assert.equal(p.truncated, 'mpls');
  assert.equal(p.stopOffset, 8);
});

test('header protocols we do not decode give an empty packet', () => {
  for (const protocol of [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 16, 17, 18, 19, 1000, -1, Number.NaN]) {
    const p = decodeHeader(protocol, ethernet({ type: 0x0800, payload: v4udp }));
    assert.equal(p.headerProtocol, protocol);
    assert.equal(p.srcMAC, undefined);
    assert.equal(p.stopOffset, 0);
    assert.equal(p.truncated, undefined);
  }
});
