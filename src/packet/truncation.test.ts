/**
 * Truncation at every byte: each packet is decoded cut to every length from 0 to its full size. Every cut
 * must name the layer it falls in and where that layer starts, report no value the whole packet does not
 * have, and keep every field of the layers it holds whole.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHeader } from './decode-header.js';
import type { DecodedPacket, PacketLayer } from './decoded-packet.js';
import { HEADER_PROTOCOL } from './header-protocols.js';
import {
  arp,
  cut,
  ethernet,
  filler,
  geneve,
  gre,
  icmp,
  ieee80211,
  ipv4,
  ipv6,
  mpls,
  snap,
  TCP_ACK,
  tcp,
  udp,
  vxlan,
} from './packet-builder.test-util.js';

interface Span {
  layer: PacketLayer;
  /** Cuts in [from, to) fall in this layer. */
  from: number;
  to: number;
  /** The stopOffset a cut reports, when it is not `from` (a VLAN tag starts at its TPID). */
  stop?: number;
  /** 0 for the outer packet, 1 for a tunnel's inner packet. */
  depth?: number;
  /** A field that is set once the layer is whole. */
  field?: keyof DecodedPacket;
}

interface Case {
  name: string;
  headerProtocol: number;
  bytes: Uint8Array;
  spans: Span[];
}

const tcp20 = tcp({ srcPort: 40000, dstPort: 443, flags: TCP_ACK, payload: filler(6) });
const tcpOpts = tcp({ srcPort: 40000, dstPort: 443, options: new Uint8Array(12), payload: filler(6) });
const innerFrame = ethernet({
  type: 0x0800,
  payload: ipv4({ src: '172.16.0.1', dst: '172.16.0.2', protocol: 6, payload: tcp20 }),
});

const cases: Case[] = [
  {
    name: 'Ethernet / 802.1Q / IPv4 / TCP',
    headerProtocol: 1,
    bytes: ethernet({
      vlans: [{ vid: 10 }],
      type: 0x0800,
      payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, payload: tcp20 }),
    }),
    spans: [
      { layer: 'ethernet', from: 0, to: 14, field: 'srcMAC' },
      { layer: 'vlan', from: 14, to: 18, stop: 12, field: 'decodedVLAN' },
      { layer: 'ipv4', from: 18, to: 38, field: 'dstIP' },
      { layer: 'tcp', from: 38, to: 58, field: 'TCPFlags' },
    ],
  },
  {
    name: 'Ethernet / QinQ / IPv4 with options / TCP with options',
    headerProtocol: 1,
    bytes: ethernet({
      vlans: [{ tpid: 0x88a8, vid: 10 }, { vid: 20 }],
      type: 0x0800,
      payload: ipv4({
        src: '10.0.0.1',
        dst: '10.0.0.2',
        protocol: 6,
        options: new Uint8Array(8),
        payload: tcpOpts,
      }),
    }),
    spans: [
      { layer: 'ethernet', from: 0, to: 14, field: 'srcMAC' },
      { layer: 'vlan', from: 14, to: 18, stop: 12, field: 'decodedVLAN' },
      { layer: 'vlan', from: 18, to: 22, stop: 16, field: 'innerVLAN' },
      { layer: 'ipv4', from: 22, to: 50, field: 'dstIP' },
      { layer: 'tcp', from: 50, to: 82, field: 'TCPHeaderLength' },
    ],
  },
  {
    name: 'Ethernet / IPv6 + hop-by-hop + fragment + AH / UDP',
    headerProtocol: 1,
    bytes: ethernet({
      type: 0x86dd,
      payload: ipv6({
        src: '2001:db8::1',
        dst: '2001:db8::2',
        protocol: 17,
        extensions: [{ type: 0 }, { type: 44, id: 3 }, { type: 51, icvLength: 12 }],
        payload: udp({ srcPort: 1000, dstPort: 2000, payload: filler(4) }),
      }),
    }),
    spans: [
      { layer: 'ethernet', from: 0, to: 14, field: 'ethernet_type' },
      { layer: 'ipv6', from: 14, to: 54, field: 'dstIP6' },
      { layer: 'ipv6-ext', from: 54, to: 62 },
      { layer: 'ipv6-ext', from: 62, to: 70, field: 'IPID' },
      { layer: 'ipv6-ext', from: 70, to: 94, field: 'IPProtocol' },
      { layer: 'udp', from: 94, to: 102, field: 'UDPBytes' },
    ],
  },
  {
    name: 'Ethernet / 802.3 LLC/SNAP / IPv4 / ICMP',
    headerProtocol: 1,
    bytes: ethernet({
      payload: snap({
        type: 0x0800,
        payload: ipv4({
          src: '10.0.0.1',
          dst: '10.0.0.2',
          protocol: 1,
          payload: icmp({ type: 0, payload: filler(8) }),
        }),
      }),
    }),
    spans: [
      { layer: 'ethernet', from: 0, to: 14, field: 'srcMAC' },
      { layer: 'llc', from: 14, to: 22, field: 'ethernet_type' },
      { layer: 'ipv4', from: 22, to: 42, field: 'dstIP' },
      { layer: 'icmp', from: 42, to: 50, field: 'ICMPCode' },
    ],
  },
  {
    name: 'Ethernet / ARP',
    headerProtocol: 1,
    bytes: ethernet({
      type: 0x0806,
      payload: arp({
        op: 2,
        senderMac: '02:00:00:00:00:01',
        senderIp: '10.0.0.1',
        targetMac: '02:00:00:00:00:02',
        targetIp: '10.0.0.2',
      }),
    }),
    spans: [
      { layer: 'ethernet', from: 0, to: 14, field: 'dstMAC' },
      { layer: 'arp', from: 14, to: 42, field: 'ARPTargetIP' },
    ],
  },
  {
    name: 'Ethernet / MPLS x2 / IPv6 / ICMPv6',
    headerProtocol: 1,
    bytes: ethernet({
      type: 0x8847,
      payload: mpls({
        labels: [{ label: 1000 }, { label: 2000 }],
        payload: ipv6({
          src: 'fd00::1',
          dst: 'fd00::2',
          protocol: 58,
          payload: icmp({ type: 128, payload: filler(4) }),
        }),
      }),
    }),
    spans: [
      { layer: 'ethernet', from: 0, to: 14, field: 'ethernet_type' },
      { layer: 'mpls', from: 14, to: 18 },
      { layer: 'mpls', from: 18, to: 22, field: 'mplsLabelStack' },
      // Cut right after the stack, nothing says what the payload would have been: not a truncation.
      { layer: 'ipv6', from: 23, to: 62, stop: 22, field: 'IPProtocol' },
      { layer: 'icmpv6', from: 62, to: 70, field: 'ICMPCode' },
    ],
  },
  {
    name: 'Ethernet / IPv4 / UDP / VXLAN / Ethernet / IPv4 / TCP',
    headerProtocol: 1,
    bytes: ethernet({
      type: 0x0800,
      payload: ipv4({
        src: '192.0.2.1',
        dst: '192.0.2.2',
        protocol: 17,
        payload: udp({ srcPort: 50000, dstPort: 4789, payload: vxlan({ vni: 42, payload: innerFrame }) }),
      }),
    }),
    spans: [
      { layer: 'ethernet', from: 0, to: 14, field: 'srcMAC' },
      { layer: 'ipv4', from: 14, to: 34, field: 'dstIP' },
      { layer: 'udp', from: 34, to: 42, field: 'UDPBytes' },
      { layer: 'vxlan', from: 42, to: 50, field: 'VNI' },
      { layer: 'ethernet', from: 50, to: 64, depth: 1, field: 'ethernet_type' },
      { layer: 'ipv4', from: 64, to: 84, depth: 1, field: 'dstIP' },
      { layer: 'tcp', from: 84, to: 104, depth: 1, field: 'TCPFlags' },
    ],
  },
  {
    name: 'IPv6 / UDP / Geneve with options / Ethernet / IPv4 / TCP',
    headerProtocol: HEADER_PROTOCOL.IPv6,
    bytes: ipv6({
      src: '2001:db8::1',
      dst: '2001:db8::2',
      protocol: 17,
      payload: udp({
        srcPort: 50000,
        dstPort: 6081,
        payload: geneve({ vni: 7, protocol: 0x6558, options: new Uint8Array(8), payload: innerFrame }),
      }),
    }),
    spans: [
      { layer: 'ipv6', from: 0, to: 40, field: 'dstIP6' },
      { layer: 'udp', from: 40, to: 48, field: 'UDPBytes' },
      { layer: 'geneve', from: 48, to: 64, field: 'VNI' },
      { layer: 'ethernet', from: 64, to: 78, depth: 1, field: 'ethernet_type' },
      { layer: 'ipv4', from: 78, to: 98, depth: 1, field: 'dstIP' },
      { layer: 'tcp', from: 98, to: 118, depth: 1, field: 'TCPFlags' },
    ],
  },
  {
    name: 'IPv4 / GRE with key / IPv4 / UDP',
    headerProtocol: HEADER_PROTOCOL.IPv4,
    bytes: ipv4({
      src: '198.18.0.1',
      dst: '198.18.0.2',
      protocol: 47,
      payload: gre({
        protocol: 0x0800,
        key: 99,
        payload: ipv4({
          src: '10.0.0.1',
          dst: '10.0.0.2',
          protocol: 17,
          payload: udp({ srcPort: 1, dstPort: 2 }),
        }),
      }),
    }),
    spans: [
      { layer: 'ipv4', from: 0, to: 20, field: 'dstIP' },
      { layer: 'gre', from: 20, to: 28, field: 'GREKey' },
      { layer: 'ipv4', from: 28, to: 48, depth: 1, field: 'dstIP' },
      { layer: 'udp', from: 48, to: 56, depth: 1, field: 'UDPBytes' },
    ],
  },
  {
    name: '802.11 four-address QoS data / LLC/SNAP / IPv4 / UDP',
    headerProtocol: HEADER_PROTOCOL.IEEE80211MAC,
    bytes: ieee80211({
      subtype: 8,
      toDS: true,
      fromDS: true,
      address1: '02:00:00:00:00:01',
      address2: '02:00:00:00:00:02',
      address3: '02:00:00:00:00:03',
      address4: '02:00:00:00:00:04',
      payload: snap({
        type: 0x0800,
        payload: ipv4({
          src: '10.0.0.1',
          dst: '10.0.0.2',
          protocol: 17,
          payload: udp({ srcPort: 1, dstPort: 2 }),
        }),
      }),
    }),
    spans: [
      { layer: 'ieee80211', from: 0, to: 32, stop: 0, field: 'srcMAC' },
      { layer: 'llc', from: 32, to: 40, field: 'ethernet_type' },
      { layer: 'ipv4', from: 40, to: 60, field: 'dstIP' },
      { layer: 'udp', from: 60, to: 68, field: 'UDPBytes' },
    ],
  },
];

function packetAt(p: DecodedPacket, depth: number): DecodedPacket | undefined {
  let q: DecodedPacket | undefined = p;
  for (let i = 0; i < depth && q; i++) q = q.inner;
  return q;
}

/** Every value the cut packet reports, the whole packet reports too. */
function assertNoInventedValues(part: DecodedPacket, whole: DecodedPacket, where: string): void {
  for (const key of Object.keys(part) as (keyof DecodedPacket)[]) {
    if (key === 'truncated' || key === 'stopOffset' || key === 'inner') continue;
    const value = part[key];
    if (key === 'vlanDepth') {
      assert.ok(part.vlanDepth <= whole.vlanDepth, `${where}: vlanDepth`);
    } else if (Array.isArray(value)) {
      assert.deepEqual(value, (whole[key] as number[]).slice(0, value.length), `${where}: ${key}`);
    } else if (value !== undefined) {
      assert.equal(value, whole[key], `${where}: ${key}`);
    }
  }
  if (part.inner) {
    assert.ok(whole.inner, `${where}: inner`);
    assertNoInventedValues(part.inner, whole.inner, `${where} inner`);
  }
}

for (const c of cases) {
  test(`truncation at every byte: ${c.name}`, () => {
    const whole = decodeHeader(c.headerProtocol, c.bytes);
    assert.equal(whole.truncated, undefined);
    assert.equal(whole.malformed, undefined);
    const last = c.spans[c.spans.length - 1];
    assert.ok(c.bytes.length > last.to || c.bytes.length === last.to);
    for (let n = 0; n <= c.bytes.length; n++) {
      const where = `${c.name} cut at ${n}`;
      const p = decodeHeader(c.headerProtocol, cut(c.bytes, n));
      const span = c.spans.find((s) => s.from <= n && n < s.to);
      const depth = span?.depth ?? 0;
      // Packets above the cut one are whole; the cut one names the layer and where it starts.
      for (let d = 0; d < depth; d++)
        assert.equal(packetAt(p, d)?.truncated, undefined, `${where}: depth ${d}`);
      const cutPacket = packetAt(p, depth);
      assert.ok(cutPacket, `${where}: packet at depth ${depth}`);
      assert.equal(cutPacket.truncated, span?.layer, `${where}: truncated`);
      if (span) assert.equal(cutPacket.stopOffset, span.stop ?? span.from, `${where}: stopOffset`);
      assert.equal(p.malformed, undefined, `${where}: malformed`);
      assertNoInventedValues(p, whole, where);
      for (const s of c.spans) {
        if (s.field && s.to <= n) {
          assert.notEqual(packetAt(p, s.depth ?? 0)?.[s.field], undefined, `${where}: ${s.layer} ${s.field}`);
        }
      }
    }
  });
}
