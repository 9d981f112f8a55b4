/**
 * Fuzzing with fast-check: random bytes, and real headers (the corpus, plus builder packets of every kind)
 * with bytes overwritten, inserted, removed and cut. The decoder must never throw, and every result must
 * keep the one shape and offsets inside the bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeHeader, MAX_TUNNEL_DEPTH } from './decode-header.js';
import { createPacket, type DecodedPacket, type PacketLayer } from './decoded-packet.js';
import {
  arp,
  ethernet,
  ethernetIpv4Tcp,
  filler,
  geneve,
  gre,
  icmp,
  ieee80211,
  ipv4,
  ipv6,
  mpls,
  snap,
  tcp,
  udp,
  vxlan,
} from './packet-builder.test-util.js';
import { corpusHeaders } from './sflowtool-corpus.test-util.js';

const SHAPE = Object.keys(createPacket(0, 0));
const LAYERS = new Set<PacketLayer>([
  'ethernet',
  'vlan',
  'llc',
  'mpls',
  'arp',
  'ipv4',
  'ipv6',
  'ipv6-ext',
  'tcp',
  'udp',
  'icmp',
  'icmpv6',
  'gre',
  'vxlan',
  'geneve',
  'ieee80211',
]);
const TEXT_FIELDS = new Set([
  'dstMAC',
  'srcMAC',
  'rxMAC',
  'txMAC',
  'ARPSenderMAC',
  'ARPSenderIP',
  'ARPTargetMAC',
  'ARPTargetIP',
  'srcIP',
  'dstIP',
  'srcIP6',
  'dstIP6',
]);

function checkPacket(p: DecodedPacket, length: number, depth: number): void {
  assert.deepEqual(Object.keys(p), SHAPE);
  assert.ok(depth <= MAX_TUNNEL_DEPTH);
  assert.ok(Number.isInteger(p.stopOffset) && p.stopOffset >= p.start && p.stopOffset <= length);
  assert.ok(!(p.truncated && p.malformed), 'truncated and malformed both set');
  if (p.truncated !== undefined) assert.ok(LAYERS.has(p.truncated));
  if (p.malformed !== undefined) assert.ok(LAYERS.has(p.malformed));
  for (const [key, value] of Object.entries(p)) {
    if (
      value === undefined ||
      key === 'inner' ||
      key === 'truncated' ||
      key === 'malformed' ||
      key === 'tunnel'
    )
      continue;
    if (TEXT_FIELDS.has(key)) assert.equal(typeof value, 'string', key);
    else if (Array.isArray(value))
      assert.ok(
        value.every((v) => Number.isInteger(v) && v >= 0),
        key,
      );
    else if (typeof value === 'number') assert.ok(Number.isInteger(value), key);
    else if (key !== 'IPMoreFragments' && key !== 'headerProtocol') assert.fail(`${key}: ${String(value)}`);
  }
  if (p.offsetToIP !== undefined) assert.ok(p.offsetToIP >= p.start && p.offsetToIP <= length);
  if (p.inner) {
    assert.equal(p.inner.start, p.stopOffset);
    assert.ok(p.tunnel !== undefined);
    checkPacket(p.inner, length, depth + 1);
  }
}

function decodeAndCheck(protocol: number, bytes: Uint8Array, frameLength?: number): void {
  const p = decodeHeader(protocol, bytes, frameLength, 0);
  assert.equal(p.start, 0);
  checkPacket(p, bytes.length, 0);
}

const PROTOCOLS = [1, 11, 12, 13, 15];
const protocolArb = fc.oneof(fc.constantFrom(...PROTOCOLS), fc.integer({ min: -1, max: 20 }));

test('random bytes never throw', () => {
  fc.assert(
    fc.property(
      protocolArb,
      fc.uint8Array({ maxLength: 256 }),
      fc.integer({ min: -1, max: 9000 }),
      (protocol, bytes, frame) => {
        decodeAndCheck(protocol, bytes, frame);
      },
    ),
    { numRuns: 20000 },
  );
});

/** Random bytes behind a plausible start, so the fuzzer gets past the first checks more often. */
test('random bytes behind real first headers never throw', () => {
  const prefixes: [number, Uint8Array][] = [
    [1, ethernet({ type: 0x0800 })],
    [1, ethernet({ type: 0x86dd })],
    [1, ethernet({ vlans: [{ vid: 1 }], type: 0x8847 })],
    [11, Uint8Array.of(0x45)],
    [11, Uint8Array.of(0x46)],
    [12, Uint8Array.of(0x60)],
    [15, Uint8Array.of(0x08, 0x03)],
  ];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: prefixes.length - 1 }),
      fc.uint8Array({ maxLength: 200 }),
      (i, tail) => {
        const [protocol, head] = prefixes[i];
        const bytes = new Uint8Array(head.length + tail.length);
        bytes.set(head);
        bytes.set(tail, head.length);
        decodeAndCheck(protocol, bytes);
      },
    ),
    { numRuns: 20000 },
  );
});

const innerFrame = ethernet({
  type: 0x0800,
  payload: ipv4({
    src: '10.0.0.1',
    dst: '10.0.0.2',
    protocol: 6,
    payload: tcp({ srcPort: 1, dstPort: 2, payload: filler(20) }),
  }),
});

function builderSeeds(): [number, Uint8Array][] {
  const overUdp = (dstPort: number, payload: Uint8Array) =>
    ethernet({
      type: 0x0800,
      payload: ipv4({
        src: '192.0.2.1',
        dst: '192.0.2.2',
        protocol: 17,
        payload: udp({ srcPort: 9, dstPort, payload }),
      }),
    });
  return [
    [1, ethernetIpv4Tcp(200)],
    [
      1,
      ethernet({
        vlans: [{ tpid: 0x88a8, vid: 5 }, { vid: 6 }],
        type: 0x86dd,
        payload: ipv6({
          src: '::1',
          dst: '::2',
          protocol: 17,
          extensions: [{ type: 0 }, { type: 44, more: true }, { type: 51 }, { type: 60 }],
          payload: udp({ srcPort: 1, dstPort: 2, payload: filler(10) }),
        }),
      }),
    ],
    [
      1,
      ethernet({
        payload: snap({
          type: 0x0800,
          payload: ipv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 1, payload: icmp({ type: 8 }) }),
        }),
      }),
    ],
    [
      1,
      ethernet({
        type: 0x0806,
        payload: arp({
          op: 1,
          senderMac: '02:00:00:00:00:01',
          senderIp: '10.0.0.1',
          targetMac: '00:00:00:00:00:00',
          targetIp: '10.0.0.2',
        }),
      }),
    ],
    [
      1,
      ethernet({
        type: 0x8847,
        payload: mpls({
          labels: [{ label: 1 }, { label: 2 }],
          payload: ipv4({
            src: '1.1.1.1',
            dst: '2.2.2.2',
            protocol: 6,
            options: new Uint8Array(4),
            payload: tcp({ srcPort: 1, dstPort: 2, options: new Uint8Array(8) }),
          }),
        }),
      }),
    ],
    [1, overUdp(4789, vxlan({ vni: 1, payload: innerFrame }))],
    [1, overUdp(6081, geneve({ vni: 1, protocol: 0x6558, options: new Uint8Array(8), payload: innerFrame }))],
    [
      11,
      ipv4({
        src: '1.1.1.1',
        dst: '2.2.2.2',
        protocol: 47,
        payload: gre({ protocol: 0x6558, checksum: true, key: 1, sequence: 2, payload: innerFrame }),
      }),
    ],
    [
      12,
      ipv6({
        src: '::1',
        dst: '::2',
        protocol: 4,
        payload: ipv4({
          src: '1.1.1.1',
          dst: '2.2.2.2',
          protocol: 41,
          payload: ipv6({ src: '::3', dst: '::4', protocol: 58, payload: icmp({ type: 1 }) }),
        }),
      }),
    ],
    [
      13,
      mpls({
        labels: [{ label: 3 }],
        payload: ipv6({ src: '::1', dst: '::2', protocol: 6, payload: tcp({ srcPort: 1, dstPort: 2 }) }),
      }),
    ],
    [
      15,
      ieee80211({
        subtype: 8,
        toDS: true,
        fromDS: true,
        order: true,
        address1: '02:00:00:00:00:01',
        address2: '02:00:00:00:00:02',
        address3: '02:00:00:00:00:03',
        payload: snap({
          type: 0x0800,
          payload: ipv4({
            src: '1.1.1.1',
            dst: '2.2.2.2',
            protocol: 17,
            payload: udp({ srcPort: 1, dstPort: 4789, payload: vxlan({ vni: 2, payload: innerFrame }) }),
          }),
        }),
      }),
    ],
  ];
}

const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), value: fc.constant(0) }),
);

function mutate(
  seed: Uint8Array,
  mutations: { kind: 'set' | 'insert' | 'delete'; at: number; value: number }[],
  cutTo: number,
): Uint8Array {
  const bytes = Array.from(seed);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % (bytes.length + (m.kind === 'insert' ? 1 : 0));
    if (m.kind === 'set' && bytes.length > 0) bytes[at] = m.value;
    else if (m.kind === 'insert') bytes.splice(at, 0, m.value);
    else if (m.kind === 'delete') bytes.splice(at, 1);
  }
  return Uint8Array.from(bytes.slice(0, cutTo));
}

function fuzzSeeds(name: string, seeds: [number, Uint8Array][], numRuns: number): void {
  test(`${name}: mutated and cut, never throw`, () => {
    assert.ok(seeds.length > 0);
    for (const [protocol, bytes] of seeds) decodeAndCheck(protocol, bytes);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(mutationArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 300 }),
        (i, mutations, cutTo) => {
          const [protocol, seed] = seeds[i];
          decodeAndCheck(protocol, mutate(seed, mutations, cutTo));
        },
      ),
      { numRuns },
    );
  });
}

fuzzSeeds('builder packets of every kind', builderSeeds(), 20000);

// Without the corpus there is nothing to mutate here; the builder seeds above still run.
const corpus = corpusHeaders().map((h): [number, Uint8Array] => [h.headerProtocol, h.bytes]);
if (corpus.length > 0) fuzzSeeds('corpus headers', corpus, 20000);
else
  test('corpus headers: mutated and cut, never throw', {
    skip: 'corpus not found (set SFLOWKIT_CORPUS)',
  }, () => {});
