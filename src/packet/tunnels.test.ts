/** VXLAN, Geneve, GRE and IP-in-IP: the tunnel header and the nested inner packet. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHeader, MAX_TUNNEL_DEPTH } from './decode-header.js';
import type { DecodedPacket } from './decoded-packet.js';
import { HEADER_PROTOCOL } from './header-protocols.js';
import {
  ethernet,
  geneve,
  gre,
  icmp,
  ipv4,
  ipv6,
  mpls,
  TCP_SYN,
  tcp,
  udp,
  vxlan,
} from './packet-builder.test-util.js';

const ETH = HEADER_PROTOCOL.ETHERNET_ISO8023;
const V4 = HEADER_PROTOCOL.IPv4;

const innerFrame = ethernet({
  dst: '00:00:5e:00:53:02',
  src: '00:00:5e:00:53:01',
  type: 0x0800,
  payload: ipv4({
    src: '172.16.0.1',
    dst: '172.16.0.2',
    protocol: 6,
    payload: tcp({ srcPort: 1111, dstPort: 22, flags: TCP_SYN }),
  }),
});

function overUdp(dstPort: number, payload: Uint8Array): Uint8Array {
  return ethernet({
    type: 0x0800,
    payload: ipv4({
      src: '192.0.2.1',
      dst: '192.0.2.2',
      protocol: 17,
      payload: udp({ srcPort: 49152, dstPort, payload }),
    }),
  });
}

function assertInnerFrame(inner: DecodedPacket | undefined, start: number) {
  assert.ok(inner);
  assert.equal(inner.headerProtocol, ETH);
  assert.equal(inner.start, start);
  assert.equal(inner.dstMAC, '00:00:5e:00:53:02');
  assert.equal(inner.offsetToIP, start + 14);
  assert.equal(inner.srcIP, '172.16.0.1');
  assert.equal(inner.TCPDstPort, 22);
  assert.equal(inner.TCPFlags, TCP_SYN);
  assert.equal(inner.IPSize, undefined);
  assert.equal(inner.inner, undefined);
}

test('VXLAN: VNI and the inner Ethernet frame', () => {
  const p = decodeHeader(ETH, overUdp(4789, vxlan({ vni: 0xabcdef, payload: innerFrame })));
  assert.equal(p.UDPDstPort, 4789);
  assert.equal(p.tunnel, 'vxlan');
  assert.equal(p.VNI, 0xabcdef);
  assert.equal(p.tunnelEtherType, 0x6558);
  assert.equal(p.stopOffset, 14 + 20 + 8 + 8);
  assert.equal(p.srcIP, '192.0.2.1');
  assertInnerFrame(p.inner, 50);
});

test('VXLAN without the I flag is malformed; no inner packet', () => {
  const p = decodeHeader(ETH, overUdp(4789, vxlan({ vni: 5, flags: 0, payload: innerFrame })));
  assert.equal(p.malformed, 'vxlan');
  assert.equal(p.tunnel, undefined);
  assert.equal(p.inner, undefined);
  assert.equal(p.stopOffset, 42);
});

test('a VXLAN source port alone is not VXLAN', () => {
  const bytes = ethernet({
    type: 0x0800,
    payload: ipv4({
      src: '192.0.2.1',
      dst: '192.0.2.2',
      protocol: 17,
      payload: udp({ srcPort: 4789, dstPort: 5000, payload: vxlan({ vni: 1 }) }),
    }),
  });
  const p = decodeHeader(ETH, bytes);
  assert.equal(p.tunnel, undefined);
  assert.equal(p.stopOffset, 42);
});

test('Geneve with options: VNI, protocol type, inner Ethernet', () => {
  const options = Uint8Array.from([0x01, 0x02, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef]);
  const p = decodeHeader(
    ETH,
    overUdp(6081, geneve({ vni: 77, protocol: 0x6558, options, payload: innerFrame })),
  );
  assert.equal(p.tunnel, 'geneve');
  assert.equal(p.VNI, 77);
  assert.equal(p.tunnelEtherType, 0x6558);
  assertInnerFrame(p.inner, 42 + 16);
});

test('Geneve carrying IPv6 directly', () => {
  const p = decodeHeader(
    ETH,
    overUdp(
      6081,
      geneve({
        vni: 1,
        protocol: 0x86dd,
        payload: ipv6({ src: 'fd00::1', dst: 'fd00::2', protocol: 58, payload: icmp({ type: 129 }) }),
      }),
    ),
  );
  assert.equal(p.inner?.headerProtocol, HEADER_PROTOCOL.IPv6);
  assert.equal(p.inner?.srcIP6, 'fd00::1');
  assert.equal(p.inner?.ICMPType, 129);
});

test('Geneve with an unknown version is malformed', () => {
  const p = decodeHeader(
    ETH,
    overUdp(6081, geneve({ vni: 1, protocol: 0x6558, version: 1, payload: innerFrame })),
  );
  assert.equal(p.malformed, 'geneve');
  assert.equal(p.inner, undefined);
});

test('GRE transparent Ethernet bridging with key, checksum and sequence', () => {
  const p = decodeHeader(
    V4,
    ipv4({
      src: '198.18.0.1',
      dst: '198.18.0.2',
      protocol: 47,
      payload: gre({ protocol: 0x6558, checksum: true, key: 0x01020304, sequence: 9, payload: innerFrame }),
    }),
  );
  assert.equal(p.IPProtocol, 47);
  assert.equal(p.tunnel, 'gre');
  assert.equal(p.GREKey, 0x01020304);
  assert.equal(p.tunnelEtherType, 0x6558);
  assertInnerFrame(p.inner, 20 + 16);
});

test('GRE carrying IPv4, and MPLS', () => {
  const inner4 = ipv4({
    src: '10.9.9.9',
    dst: '10.8.8.8',
    protocol: 17,
    payload: udp({ srcPort: 1, dstPort: 2 }),
  });
  const p = decodeHeader(
    V4,
    ipv4({
      src: '198.18.0.1',
      dst: '198.18.0.2',
      protocol: 47,
      payload: gre({ protocol: 0x0800, payload: inner4 }),
    }),
  );
  assert.equal(p.GREKey, undefined);
  assert.equal(p.inner?.headerProtocol, V4);
  assert.equal(p.inner?.start, 24);
  assert.equal(p.inner?.offsetToIP, 24);
  assert.equal(p.inner?.srcIP, '10.9.9.9');
  assert.equal(p.inner?.UDPDstPort, 2);

  const m = decodeHeader(
    V4,
    ipv4({
      src: '198.18.0.1',
      dst: '198.18.0.2',
      protocol: 47,
      payload: gre({ protocol: 0x8847, payload: mpls({ labels: [{ label: 42 }], payload: inner4 }) }),
    }),
  );
  assert.equal(m.inner?.headerProtocol, HEADER_PROTOCOL.MPLS);
  assert.deepEqual(
    m.inner?.mplsLabelStack?.map((e) => e >>> 12),
    [42],
  );
  assert.equal(m.inner?.dstIP, '10.8.8.8');
});

test('GRE version 1 (PPTP) and unknown protocol types stop after what is known', () => {
  const pptp = decodeHeader(
    V4,
    ipv4({
      src: '1.1.1.1',
      dst: '2.2.2.2',
      protocol: 47,
      payload: gre({ protocol: 0x880b, version: 1, key: 5 }),
    }),
  );
  assert.equal(pptp.tunnel, 'gre');
  assert.equal(pptp.tunnelEtherType, 0x880b);
  assert.equal(pptp.inner, undefined);
  assert.equal(pptp.stopOffset, 20);
  const erspan = decodeHeader(
    V4,
    ipv4({
      src: '1.1.1.1',
      dst: '2.2.2.2',
      protocol: 47,
      payload: gre({ protocol: 0x88be, sequence: 1, payload: innerFrame }),
    }),
  );
  assert.equal(erspan.inner, undefined);
  assert.equal(erspan.stopOffset, 28);
});

test('IP in IP: IPv6 in IPv4 and IPv4 in IPv6', () => {
  const p = decodeHeader(
    V4,
    ipv4({
      src: '192.88.99.1',
      dst: '192.0.2.9',
      protocol: 41,
      payload: ipv6({
        src: '2002:c058:6301::1',
        dst: '2001:db8::9',
        protocol: 17,
        payload: udp({ srcPort: 3, dstPort: 4 }),
      }),
    }),
  );
  assert.equal(p.tunnel, 'ipip');
  assert.equal(p.stopOffset, 20);
  assert.equal(p.inner?.headerProtocol, HEADER_PROTOCOL.IPv6);
  assert.equal(p.inner?.srcIP6, '2002:c058:6301::1');
  assert.equal(p.inner?.UDPSrcPort, 3);

  const q = decodeHeader(
    HEADER_PROTOCOL.IPv6,
    ipv6({
      src: '2001:db8::1',
      dst: '2001:db8::2',
      protocol: 4,
      payload: ipv4({
        src: '10.0.0.1',
        dst: '10.0.0.2',
        protocol: 6,
        payload: tcp({ srcPort: 5, dstPort: 6 }),
      }),
    }),
  );
  assert.equal(q.tunnel, 'ipip');
  assert.equal(q.inner?.srcIP, '10.0.0.1');
  assert.equal(q.inner?.TCPSrcPort, 5);
});

test(`tunnels nest at most ${MAX_TUNNEL_DEPTH} deep`, () => {
  let bytes = ipv4({
    src: '10.0.0.100',
    dst: '10.0.0.101',
    protocol: 6,
    payload: tcp({ srcPort: 1, dstPort: 2 }),
  });
  for (let i = 0; i < MAX_TUNNEL_DEPTH + 2; i++)
    bytes = ipv4({ src: `10.0.0.${i}`, dst: '10.0.1.1', protocol: 4, payload: bytes });
  let p: DecodedPacket | undefined = decodeHeader(V4, bytes);
  let depth = 0;
  while (p.inner) {
    p = p.inner;
    depth++;
  }
  assert.equal(depth, MAX_TUNNEL_DEPTH);
  assert.equal(p.tunnel, 'ipip');
  assert.equal(p.stopOffset, p.start + 20);
});

test('a tunnel cut inside its inner packet: the outer packet is whole, the inner one truncated', () => {
  const bytes = overUdp(4789, vxlan({ vni: 9, payload: innerFrame })).slice(0, 50 + 14 + 10);
  const p = decodeHeader(ETH, bytes);
  assert.equal(p.truncated, undefined);
  assert.equal(p.VNI, 9);
  assert.equal(p.inner?.truncated, 'ipv4');
  assert.equal(p.inner?.stopOffset, 64);
  assert.equal(p.inner?.srcMAC, '00:00:5e:00:53:01');
});
