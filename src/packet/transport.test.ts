/** TCP, UDP, ICMP and ICMPv6 headers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHeader } from './decode-header.js';
import { HEADER_PROTOCOL } from './header-protocols.js';
import {
  filler,
  icmp,
  ipv4,
  ipv6,
  TCP_ACK,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  tcp,
  udp,
} from './packet-builder.test-util.js';

const V4 = HEADER_PROTOCOL.IPv4;
const V6 = HEADER_PROTOCOL.IPv6;

function overIpv4(protocol: number, payload: Uint8Array) {
  return decodeHeader(V4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol, payload }));
}

test('TCP ports, flags and header length', () => {
  const p = overIpv4(
    6,
    tcp({ srcPort: 65535, dstPort: 80, flags: TCP_SYN | TCP_ACK | 0xc0, payload: filler(10) }),
  );
  assert.equal(p.TCPSrcPort, 65535);
  assert.equal(p.TCPDstPort, 80);
  assert.equal(p.TCPFlags, TCP_SYN | TCP_ACK | 0xc0);
  assert.equal(p.TCPHeaderLength, 20);
  assert.equal(p.UDPSrcPort, undefined);
  assert.equal(p.stopOffset, 40);
});

test('TCP options are inside the header length', () => {
  const options = Uint8Array.from([2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2]); // MSS, NOP, window scale, SACK permitted
  const p = overIpv4(6, tcp({ srcPort: 1, dstPort: 2, flags: TCP_SYN, options, payload: filler(4) }));
  assert.equal(p.TCPHeaderLength, 32);
  assert.equal(p.stopOffset, 20 + 32);
  assert.equal(p.truncated, undefined);
});

test('TCP with a data offset under 5 words is malformed', () => {
  const p = overIpv4(6, tcp({ srcPort: 1, dstPort: 2, flags: TCP_RST, dataOffset: 3 }));
  assert.equal(p.TCPSrcPort, 1);
  assert.equal(p.TCPFlags, TCP_RST);
  assert.equal(p.malformed, 'tcp');
  assert.equal(p.stopOffset, 20);
});

test('UDP ports and length', () => {
  const p = overIpv4(17, udp({ srcPort: 123, dstPort: 123, payload: filler(48) }));
  assert.equal(p.UDPSrcPort, 123);
  assert.equal(p.UDPDstPort, 123);
  assert.equal(p.UDPBytes, 56);
  assert.equal(p.TCPSrcPort, undefined);
  assert.equal(p.stopOffset, 28);
  assert.equal(p.tunnel, undefined);
});

test('ICMP type and code', () => {
  const p = overIpv4(1, icmp({ type: 3, code: 4, rest: 1400, payload: filler(28) }));
  assert.equal(p.ICMPType, 3);
  assert.equal(p.ICMPCode, 4);
  assert.equal(p.stopOffset, 28);
});

test('ICMPv6 type and code', () => {
  const p = decodeHeader(
    V6,
    ipv6({ src: 'fe80::1', dst: 'ff02::1', protocol: 58, payload: icmp({ type: 134, code: 0 }) }),
  );
  assert.equal(p.IPProtocol, 58);
  assert.equal(p.ICMPType, 134);
  assert.equal(p.ICMPCode, 0);
});

test('TCP over IPv6', () => {
  const p = decodeHeader(
    V6,
    ipv6({
      src: '2001:db8::1',
      dst: '2001:db8::2',
      protocol: 6,
      payload: tcp({ srcPort: 8080, dstPort: 5555, flags: TCP_PSH }),
    }),
  );
  assert.equal(p.TCPSrcPort, 8080);
  assert.equal(p.TCPFlags, TCP_PSH);
});

test('unknown IP protocols stop at their payload', () => {
  const p = overIpv4(132, filler(16)); // SCTP
  assert.equal(p.IPProtocol, 132);
  assert.equal(p.stopOffset, 20);
  assert.equal(p.truncated, undefined);
});
