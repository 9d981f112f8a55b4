/** IEEE 802.11 data frames: address mapping by To DS / From DS, QoS, and LLC/SNAP into IP. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHeader } from './decode-header.js';
import { HEADER_PROTOCOL } from './header-protocols.js';
import { ieee80211, ipv4, snap, udp } from './packet-builder.test-util.js';

const WIFI = HEADER_PROTOCOL.IEEE80211MAC;
const A1 = '02:00:00:00:00:a1';
const A2 = '02:00:00:00:00:a2';
const A3 = '02:00:00:00:00:a3';
const A4 = '02:00:00:00:00:a4';
const payload = snap({
  type: 0x0800,
  payload: ipv4({
    src: '10.0.0.5',
    dst: '10.0.0.6',
    protocol: 17,
    payload: udp({ srcPort: 67, dstPort: 68 }),
  }),
});

const cases = [
  { toDS: false, fromDS: false, dst: A1, src: A2, header: 24 },
  { toDS: false, fromDS: true, dst: A1, src: A3, header: 24 },
  { toDS: true, fromDS: false, dst: A3, src: A2, header: 24 },
  { toDS: true, fromDS: true, dst: A3, src: A4, header: 30 },
];

for (const c of cases) {
  test(`data frame, To DS ${+c.toDS} From DS ${+c.fromDS}: addresses, then LLC/SNAP and IPv4`, () => {
    const p = decodeHeader(
      WIFI,
      ieee80211({
        toDS: c.toDS,
        fromDS: c.fromDS,
        address1: A1,
        address2: A2,
        address3: A3,
        address4: A4,
        payload,
      }),
    );
    assert.equal(p.rxMAC, A1);
    assert.equal(p.txMAC, A2);
    assert.equal(p.dstMAC, c.dst);
    assert.equal(p.srcMAC, c.src);
    assert.equal(p.ethernet_type, 0x0800);
    assert.equal(p.offsetToIP, c.header + 8);
    assert.equal(p.srcIP, '10.0.0.5');
    assert.equal(p.UDPDstPort, 68);
  });
}

test('QoS data frame with HT control', () => {
  const p = decodeHeader(
    WIFI,
    ieee80211({
      subtype: 8,
      order: true,
      qos: 5,
      toDS: true,
      address1: A1,
      address2: A2,
      address3: A3,
      payload,
    }),
  );
  assert.equal(p.dstMAC, A3);
  assert.equal(p.offsetToIP, 24 + 2 + 4 + 8);
  assert.equal(p.UDPSrcPort, 67);
});

test('protected, null and A-MSDU data frames stop after the MAC header', () => {
  const protectedFrame = decodeHeader(
    WIFI,
    ieee80211({ protected: true, address1: A1, address2: A2, address3: A3, payload }),
  );
  assert.equal(protectedFrame.srcMAC, A2);
  assert.equal(protectedFrame.ethernet_type, undefined);
  assert.equal(protectedFrame.stopOffset, 24);
  const nullFrame = decodeHeader(WIFI, ieee80211({ subtype: 4, address1: A1, address2: A2, address3: A3 }));
  assert.equal(nullFrame.stopOffset, 24);
  assert.equal(nullFrame.truncated, undefined);
  const amsdu = decodeHeader(
    WIFI,
    ieee80211({ subtype: 8, qos: 0x80, address1: A1, address2: A2, address3: A3, payload }),
  );
  assert.equal(amsdu.stopOffset, 26);
  assert.equal(amsdu.ipVersion, undefined);
});

test('management and control frames are not decoded, as in sflowtool', () => {
  for (const type of [0, 1]) {
    const p = decodeHeader(WIFI, ieee80211({ type, subtype: 8, address1: A1, address2: A2, address3: A3 }));
    assert.equal(p.srcMAC, undefined);
    assert.equal(p.rxMAC, undefined);
    assert.equal(p.stopOffset, 0);
    assert.equal(p.truncated, undefined);
  }
});

test('a frame control with protocol version other than 0 is malformed', () => {
  const bytes = ieee80211({ address1: A1, address2: A2, address3: A3, payload });
  bytes[0] |= 1;
  const p = decodeHeader(WIFI, bytes);
  assert.equal(p.malformed, 'ieee80211');
  assert.equal(p.srcMAC, undefined);
});
