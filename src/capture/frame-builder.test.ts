import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  buildIpUdp,
  type Ipv6Extension,
  onesComplementSum,
  type WrapUdpOptions,
  wrapUdp,
} from './frame-builder.js';
import { LINKTYPE } from './link-types.js';
import { writePcap } from './pcap-writer.js';
import { writePcapng } from './pcapng-writer.js';
import { readCapture } from './read-capture.js';
import { hex, tsharkFrames, tsharkMissing } from './tshark-peer.js';
import { type UdpDatagram, udpPayloads } from './udp-extract.js';

const V4 = {
  srcAddress: Uint8Array.of(192, 0, 2, 1),
  srcPort: 40000,
  dstAddress: Uint8Array.of(10, 1, 2, 3),
  dstPort: 6343,
};
const V6 = {
  srcAddress: Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
  srcPort: 5555,
  dstAddress: Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42),
  dstPort: 6343,
};
const TEXT = { v4: ['192.0.2.1', '10.1.2.3'], v6: ['2001:db8::1', '2001:db8:1::42'] };
const T0 = 1_732_000_000_000_001_000n;

function payloadOf(n: number): Uint8Array {
  // An sFlow-looking start (version 5) then bytes that vary with n; odd lengths exercise checksum padding.
  return Uint8Array.from({ length: 28 + n }, (_, i) => (i < 4 ? [0, 0, 0, 5][i] : (i * 31 + n) & 0xff));
}

const EXTENSIONS: Ipv6Extension[] = [
  { type: 0, bytes: Uint8Array.of(0, 0, 1, 4, 0, 0, 0, 0) },
  { type: 60, bytes: Uint8Array.of(0, 1, 1, 12, ...new Uint8Array(12)) },
  { type: 44, bytes: Uint8Array.of(0, 0, 0, 0, 0, 0, 0x12, 0x34) },
];

interface Case {
  name: string;
  linkType: number;
  options: WrapUdpOptions;
  payload: Uint8Array;
}

/** Every link type with every IP version it carries, plus VLAN tags and IPv6 extension headers. */
const CASES: Case[] = [];
for (const [name, linkType] of Object.entries(LINKTYPE)) {
  for (const [version, endpoints] of [
    ['v4', V4],
    ['v6', V6],
  ] as const) {
    if (
      (linkType === LINKTYPE.IPV4 && version === 'v6') ||
      (linkType === LINKTYPE.IPV6 && version === 'v4')
    ) {
      continue;
    }
    CASES.push({
      name: `${name} ${version}`,
      linkType,
      options: { ...endpoints, linkType },
      payload: payloadOf(CASES.length),
    });
  }
}
CASES.push(
  { name: 'ETHERNET QinQ v4', linkType: 1, options: { ...V4, vlans: [100, 200] }, payload: payloadOf(1) },
  { name: 'ETHERNET 802.1Q v6', linkType: 1, options: { ...V6, vlans: [3] }, payload: payloadOf(2) },
  {
    name: 'RAW v6 extensions',
    linkType: 101,
    options: { ...V6, linkType: 101, ipv6Extensions: EXTENSIONS },
    payload: payloadOf(3),
  },
  { name: 'ETHERNET empty payload', linkType: 1, options: V4, payload: new Uint8Array(0) },
  { name: 'ETHERNET large v4', linkType: 1, options: V4, payload: payloadOf(9000) },
);

function expected(c: Case) {
  const [src, dst] = c.options.srcAddress.length === 4 ? TEXT.v4 : TEXT.v6;
  return {
    srcAddress: src,
    srcPort: c.options.srcPort,
    dstAddress: dst,
    dstPort: c.options.dstPort,
    payload: hex(c.payload),
  };
}

function ours(d: UdpDatagram) {
  const { srcAddress, srcPort, dstAddress, dstPort } = d;
  return { srcAddress, srcPort, dstAddress, dstPort, payload: hex(d.payload) };
}

test('checksums: the IPv4 header and the UDP datagram with its pseudo-header sum to 0xffff', () => {
  for (const payload of [new Uint8Array(0), payloadOf(1), payloadOf(2), new Uint8Array(1000).fill(0xff)]) {
    const v4 = buildIpUdp(payload, V4);
    assert.equal(onesComplementSum(v4.subarray(0, 20)), 0xffff);
    const pseudo4 = onesComplementSum(v4.subarray(12, 20), 17 + 8 + payload.length);
    assert.equal(onesComplementSum(v4.subarray(20), pseudo4), 0xffff);
    const v6 = buildIpUdp(payload, V6);
    const pseudo6 = onesComplementSum(v6.subarray(8, 40), 17 + 8 + payload.length);
    assert.equal(onesComplementSum(v6.subarray(40), pseudo6), 0xffff);
  }
});

test('a UDP checksum that computes to 0 is sent as 0xffff, never as 0', () => {
  // Over every 2-byte payload the checksum takes every value once, so one of them computes to 0.
  let sawAllOnes = false;
  for (let w = 0; w < 0x10000; w++) {
    const p = buildIpUdp(Uint8Array.of(w >> 8, w & 0xff), V4);
    const checksum = (p[26] << 8) | p[27];
    assert.notEqual(checksum, 0);
    sawAllOnes ||= checksum === 0xffff;
  }
  assert.ok(sawAllOnes);
});

test('builder arguments out of range are RangeErrors', () => {
  assert.throws(() => wrapUdp(new Uint8Array(0), { ...V4, dstAddress: V6.dstAddress }), RangeError);
  assert.throws(() => wrapUdp(new Uint8Array(0), { ...V4, srcPort: 65536 }), RangeError);
  assert.throws(() => wrapUdp(new Uint8Array(0), { ...V4, linkType: LINKTYPE.IPV6 }), RangeError);
  assert.throws(() => wrapUdp(new Uint8Array(0), { ...V4, linkType: 105 }), RangeError);
  assert.throws(() => wrapUdp(new Uint8Array(0), { ...V4, vlans: [4096] }), RangeError);
  assert.throws(() => wrapUdp(new Uint8Array(65508), V4), RangeError);
  assert.equal(wrapUdp(new Uint8Array(65507), V4).length, 14 + 65535);
  assert.equal(wrapUdp(new Uint8Array(65527), V6).length, 14 + 40 + 65535);
  assert.throws(() => buildIpUdp(new Uint8Array(0), { ...V4, ipv6Extensions: EXTENSIONS }), RangeError);
  assert.throws(
    () => buildIpUdp(new Uint8Array(0), { ...V6, ipv6Extensions: [{ type: 0, bytes: new Uint8Array(4) }] }),
    RangeError,
  );
});

test('built frames read back through our reader and UDP extraction', () => {
  for (const c of CASES) {
    const file = writePcap([{ timestampNs: T0, data: wrapUdp(c.payload, c.options) }], {
      linkType: c.linkType,
    });
    const datagrams = [...udpPayloads(readCapture(file))];
    assert.equal(datagrams.length, 1, c.name);
    assert.deepEqual(ours(datagrams[0]), expected(c), c.name);
    assert.equal(datagrams[0].timestampNs, T0);
  }
});

const dir = mkdtempSync(path.join(tmpdir(), 'sflowkit-capture-builder-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('tshark decodes every built frame as UDP with our addresses, ports, payload and good checksums', {
  skip: tsharkMissing,
}, async () => {
  const files = CASES.map((c) => {
    const file = path.join(dir, `${c.name.replaceAll(' ', '-')}.pcap`);
    writeFileSync(
      file,
      writePcap([{ timestampNs: T0, data: wrapUdp(c.payload, c.options) }], {
        linkType: c.linkType,
        resolution: 'ns',
      }),
    );
    return file;
  });
  const decoded = await Promise.all(files.map((file) => tsharkFrames(file)));
  for (const [i, c] of CASES.entries()) {
    const [frame, ...rest] = decoded[i];
    assert.equal(rest.length, 0);
    const { srcAddress, srcPort, dstAddress, dstPort, payloadHex } = frame;
    assert.deepEqual({ srcAddress, srcPort, dstAddress, dstPort, payload: payloadHex }, expected(c), c.name);
    assert.equal(frame.udpChecksum, 'Good', `${c.name}: UDP checksum`);
    if (c.options.srcAddress.length === 4) assert.equal(frame.ipChecksum, 'Good', `${c.name}: IPv4 checksum`);
    assert.equal(frame.timestampNs, T0);
  }
});

test('tshark reads our pcapng with one interface per link type, and so do we', {
  skip: tsharkMissing,
}, async () => {
  const interfaces = CASES.map((c) => ({ linkType: c.linkType }));
  const frames = CASES.map((c, i) => ({
    timestampNs: T0 + BigInt(i) * 1_000_000_007n,
    data: wrapUdp(c.payload, c.options),
    interfaceId: i,
  }));
  const bytes = writePcapng(frames, { interfaces, littleEndian: false });
  const file = path.join(dir, 'all-link-types.pcapng');
  writeFileSync(file, bytes);
  const theirs = await tsharkFrames(file);
  const mine = [...udpPayloads(readCapture(bytes))];
  assert.equal(theirs.length, CASES.length);
  assert.equal(mine.length, CASES.length);
  CASES.forEach((c, i) => {
    const t = theirs[i];
    assert.deepEqual(
      {
        srcAddress: t.srcAddress,
        srcPort: t.srcPort,
        dstAddress: t.dstAddress,
        dstPort: t.dstPort,
        payload: t.payloadHex,
      },
      expected(c),
      c.name,
    );
    assert.deepEqual(ours(mine[i]), expected(c), c.name);
    assert.equal(t.timestampNs, frames[i].timestampNs);
    assert.equal(mine[i].timestampNs, frames[i].timestampNs);
    assert.equal(mine[i].frame.interfaceId, i);
  });
});
