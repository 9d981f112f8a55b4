import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CapturedFrame } from './captured-frame.js';
import {
  buildIpUdp,
  type Ipv6Extension,
  internetChecksum,
  type WrapUdpOptions,
  wrapUdp,
} from './frame-builder.js';
import { LINKTYPE } from './link-types.js';
import {
  emptySkipCounts,
  extractUdp,
  type SkipReason,
  type UdpDatagram,
  udpPayloads,
} from './udp-extract.js';

const V4 = {
  srcAddress: Uint8Array.of(192, 0, 2, 1),
  srcPort: 40000,
  dstAddress: Uint8Array.of(198, 51, 100, 7),
  dstPort: 6343,
};
const V6 = {
  srcAddress: Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
  srcPort: 1234,
  dstAddress: Uint8Array.of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0, 2),
  dstPort: 6343,
};
const PAYLOAD = Uint8Array.from({ length: 37 }, (_, i) => i * 7);

function frameOf(linkType: number, data: Uint8Array, timestampNs = 1n): CapturedFrame {
  return { linkType, timestampNs, data, originalLength: data.length, interfaceId: 0, offset: 0 };
}

function datagram(frame: CapturedFrame): UdpDatagram {
  const r = extractUdp(frame);
  assert.equal(typeof r, 'object', `expected a datagram, got ${String(r)}`);
  return r as UdpDatagram;
}

const LINKS: Array<[string, number, 4 | 6 | 0]> = [
  ['Ethernet', LINKTYPE.ETHERNET, 0],
  ['Linux SLL', LINKTYPE.LINUX_SLL, 0],
  ['Linux SLL2', LINKTYPE.LINUX_SLL2, 0],
  ['raw IP', LINKTYPE.RAW, 0],
  ['IPv4', LINKTYPE.IPV4, 4],
  ['IPv6', LINKTYPE.IPV6, 6],
  ['BSD loopback', LINKTYPE.NULL, 0],
  ['OpenBSD loopback', LINKTYPE.LOOP, 0],
];

for (const [name, linkType, only] of LINKS) {
  for (const [version, endpoints] of [
    [4, V4],
    [6, V6],
  ] as const) {
    if (only !== 0 && only !== version) continue;
    test(`${name} over IPv${version}: addresses, ports and the payload as a view`, () => {
      const data = wrapUdp(PAYLOAD, { ...endpoints, linkType });
      const d = datagram(frameOf(linkType, data, 42n));
      assert.deepEqual(d.payload, PAYLOAD);
      assert.equal(d.payload.buffer, data.buffer);
      assert.deepEqual(
        [d.ipVersion, d.srcAddress, d.srcPort, d.dstAddress, d.dstPort, d.timestampNs],
        version === 4
          ? [4, '192.0.2.1', 40000, '198.51.100.7', 6343, 42n]
          : [6, '2001:db8::1', 1234, 'fe80::abcd:2', 6343, 42n],
      );
    });
  }
}

test('VLAN tags: 802.1Q, QinQ and three deep', () => {
  for (const vlans of [[5], [100, 200], [1, 2, 3]]) {
    const data = wrapUdp(PAYLOAD, { ...V6, vlans });
    assert.deepEqual(datagram(frameOf(LINKTYPE.ETHERNET, data)).payload, PAYLOAD);
  }
});

test('802.3 with LLC/SNAP and with LLC SAP 0x06 carries IPv4', () => {
  const packet = buildIpUdp(PAYLOAD, V4);
  const mac = new Uint8Array(12);
  const snap = Uint8Array.of(0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00);
  const llc = Uint8Array.of(0x06, 0x06, 0x03);
  for (const header of [snap, llc]) {
    const length = Uint8Array.of(
      (header.length + packet.length) >> 8,
      (header.length + packet.length) & 0xff,
    );
    const data = Uint8Array.from([...mac, ...length, ...header, ...packet]);
    assert.deepEqual(datagram(frameOf(LINKTYPE.ETHERNET, data)).payload, PAYLOAD);
  }
  const otherOui = Uint8Array.from([...mac, 0, 50, 0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0x08, 0x00, ...packet]);
  assert.equal(extractUdp(frameOf(LINKTYPE.ETHERNET, otherOui)), 'not-ip');
});

test('BSD loopback in big-endian byte order, with each IPv6 family value', () => {
  const packet = buildIpUdp(PAYLOAD, V6);
  for (const family of [24, 28, 30]) {
    for (const header of [Uint8Array.of(0, 0, 0, family), Uint8Array.of(family, 0, 0, 0)]) {
      assert.deepEqual(
        datagram(frameOf(LINKTYPE.NULL, Uint8Array.from([...header, ...packet]))).payload,
        PAYLOAD,
      );
    }
  }
  assert.equal(extractUdp(frameOf(LINKTYPE.NULL, Uint8Array.from([0, 0, 0, 7, ...packet]))), 'not-ip');
  assert.equal(extractUdp(frameOf(LINKTYPE.NULL, Uint8Array.from([2, 0, 0, 0, ...packet]))), 'not-ip');
});

test('Ethernet padding and a trailing FCS are not payload, unless asked for as sflowtool takes them', () => {
  const data = wrapUdp(Uint8Array.of(1), V4);
  const trailer = [...new Uint8Array(60 - data.length), 0xde, 0xad, 0xbe, 0xef];
  const padded = frameOf(LINKTYPE.ETHERNET, Uint8Array.from([...data, ...trailer]));
  assert.deepEqual(datagram(padded).payload, Uint8Array.of(1));
  assert.deepEqual(extractUdp(padded, true), { ...datagram(padded), payload: Uint8Array.of(1, ...trailer) });
  assert.deepEqual([...udpPayloads([padded], { toFrameEnd: true })][0].payload, Uint8Array.of(1, ...trailer));
});

/** The IPv4 packet of `data` (an Ethernet frame) with some header bytes changed and the checksum redone. */
function patchIpv4(data: Uint8Array, patch: (ip: DataView) => void): Uint8Array {
  const out = data.slice();
  const ip = new DataView(out.buffer, 14, 20);
  patch(ip);
  ip.setUint16(10, 0);
  ip.setUint16(10, internetChecksum(out.subarray(14, 34)));
  return out;
}

test('IPv4 fragments are skipped and counted, first ones too; Don\u2019t Fragment is not a fragment', () => {
  const data = wrapUdp(PAYLOAD, V4);
  const first = patchIpv4(data, (ip) => ip.setUint16(6, 0x2000));
  const later = patchIpv4(data, (ip) => ip.setUint16(6, 0x0010));
  const last = patchIpv4(data, (ip) => ip.setUint16(6, 0x0020));
  const dontFragment = patchIpv4(data, (ip) => ip.setUint16(6, 0x4000));
  const counts = emptySkipCounts();
  const out = [
    ...udpPayloads(
      [first, later, last, dontFragment].map((d) => frameOf(1, d)),
      { counts },
    ),
  ];
  assert.equal(out.length, 1);
  assert.equal(counts.fragment, 3);
});

test('IPv4: options, and a zero total length (offload) where the UDP length decides', () => {
  const packet = buildIpUdp(PAYLOAD, V4);
  // Add 4 bytes of options (NOP, NOP, NOP, EOL): IHL 6.
  const withOptions = Uint8Array.from([...packet.subarray(0, 20), 1, 1, 1, 0, ...packet.subarray(20)]);
  withOptions[0] = 0x46;
  new DataView(withOptions.buffer).setUint16(2, packet.length + 4);
  assert.deepEqual(datagram(frameOf(LINKTYPE.RAW, withOptions)).payload, PAYLOAD);
  const zeroLength = Uint8Array.from([...packet, 0, 0, 0, 0]);
  new DataView(zeroLength.buffer).setUint16(2, 0);
  assert.deepEqual(datagram(frameOf(LINKTYPE.RAW, zeroLength)).payload, PAYLOAD);
  new DataView(zeroLength.buffer).setUint16(24, 7);
  assert.equal(extractUdp(frameOf(LINKTYPE.RAW, zeroLength)), 'malformed');
});

test('when the UDP length disagrees with the IP length, the IP length decides (as sflowtool and tshark)', () => {
  const packet = buildIpUdp(PAYLOAD, V4);
  for (const udpLength of [0, 7, 16, 0xffff]) {
    const b = packet.slice();
    new DataView(b.buffer).setUint16(24, udpLength);
    const d = datagram(frameOf(LINKTYPE.RAW, b));
    assert.deepEqual(d.payload, PAYLOAD);
    assert.equal(d.udpLength, udpLength);
  }
});

test('IPv4 headers and lengths too short for what they hold are malformed', () => {
  const packet = buildIpUdp(PAYLOAD, V4);
  const cases: Array<[(dv: DataView, b: Uint8Array) => void, SkipReason]> = [
    [(_, b) => (b[0] = 0x44), 'malformed'], // IHL 4
    [(dv) => dv.setUint16(2, 19), 'malformed'], // total length below the header
    [(dv) => dv.setUint16(2, 27), 'malformed'], // no room for the UDP header
    [(dv) => dv.setUint16(2, packet.length + 1), 'truncated'], // more than was captured
    [(_, b) => (b[9] = 6), 'not-udp'],
    [(_, b) => (b[0] = 0x55), 'not-ip'],
  ];
  for (const [patch, reason] of cases) {
    const b = packet.slice();
    patch(new DataView(b.buffer), b);
    assert.equal(extractUdp(frameOf(LINKTYPE.RAW, b)), reason);
  }
});

const IPV6_EXTENSIONS = {
  hopByHop: { type: 0, bytes: Uint8Array.of(0, 0, 1, 4, 0, 0, 0, 0) }, // PadN
  destination: { type: 60, bytes: Uint8Array.of(0, 1, 1, 12, ...new Uint8Array(12)) }, // 16 bytes, PadN
  routing: { type: 43, bytes: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0) }, // type 0, segments left 0
  atomicFragment: { type: 44, bytes: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 9) },
  authentication: {
    type: 51,
    bytes: Uint8Array.of(0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 5, ...new Uint8Array(4)),
  }, // (2+2)*4
};

test('IPv6 extension headers are skipped to find UDP; fragments and ESP are not UDP datagrams', () => {
  const { hopByHop, destination, routing, atomicFragment, authentication } = IPV6_EXTENSIONS;
  const build = (...ipv6Extensions: Ipv6Extension[]) => buildIpUdp(PAYLOAD, { ...V6, ipv6Extensions });
  const chain = build(hopByHop, destination, routing, atomicFragment, authentication, destination);
  const d = datagram(frameOf(LINKTYPE.IPV6, chain));
  assert.deepEqual(d.payload, PAYLOAD);
  assert.equal(d.dstAddress, 'fe80::abcd:2');
  const firstFragment = { type: 44, bytes: Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 9) };
  const laterFragment = { type: 44, bytes: Uint8Array.of(0, 0, 0, 8, 0, 0, 0, 9) };
  assert.equal(extractUdp(frameOf(LINKTYPE.IPV6, build(hopByHop, firstFragment))), 'fragment');
  assert.equal(extractUdp(frameOf(LINKTYPE.IPV6, build(laterFragment))), 'fragment');
  const esp = build(hopByHop);
  esp[40] = 50;
  assert.equal(extractUdp(frameOf(LINKTYPE.IPV6, esp)), 'not-udp');
  const noNext = build(hopByHop);
  noNext[40] = 59;
  assert.equal(extractUdp(frameOf(LINKTYPE.IPV6, noNext)), 'not-udp');
  // An extension header claiming more bytes than the packet has.
  const overlong = build(hopByHop);
  overlong[41] = 200;
  assert.equal(extractUdp(frameOf(LINKTYPE.IPV6, overlong)), 'truncated');
});

test('frames the snap length cut short are truncated, at every length', () => {
  for (const endpoints of [V4, V6]) {
    const options: WrapUdpOptions = { ...endpoints, vlans: [7] };
    const data = wrapUdp(PAYLOAD, options);
    for (let cut = 0; cut < data.length; cut++) {
      const r = extractUdp({
        ...frameOf(LINKTYPE.ETHERNET, data.subarray(0, cut)),
        originalLength: data.length,
      });
      assert.equal(r, 'truncated', `cut at ${cut}`);
    }
  }
});

test('non-IP, non-UDP, unsupported link types and the port filter are counted by reason', () => {
  const arp = wrapUdp(PAYLOAD, V4);
  arp[12] = 0x08;
  arp[13] = 0x06;
  const other = wrapUdp(PAYLOAD, { ...V4, dstPort: 53 });
  const frames = [
    frameOf(LINKTYPE.ETHERNET, arp),
    frameOf(105, wrapUdp(PAYLOAD, V4)), // IEEE 802.11
    frameOf(LINKTYPE.ETHERNET, other),
    frameOf(LINKTYPE.ETHERNET, wrapUdp(PAYLOAD, V4)),
  ];
  const counts = emptySkipCounts();
  const sflow = [...udpPayloads(frames, { dstPort: 6343, counts })];
  assert.equal(sflow.length, 1);
  assert.deepEqual(counts, {
    'unsupported-link': 1,
    'not-ip': 1,
    'not-udp': 0,
    fragment: 0,
    truncated: 0,
    malformed: 0,
    'other-port': 1,
  });
  // Without a port, every UDP datagram: sflowtool reads every packet of a pcap.
  assert.deepEqual(
    [...udpPayloads(frames)].map((d) => d.dstPort),
    [53, 6343],
  );
});
