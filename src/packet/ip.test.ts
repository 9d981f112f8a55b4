/** IPv4 and IPv6 headers: fields, options, fragments, extension headers, raw IP header protocols. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHeader } from './decode-header.js';
import { HEADER_PROTOCOL } from './header-protocols.js';
import {
  ethernet,
  filler,
  icmp,
  ipv4,
  ipv6,
  TCP_ACK,
  TCP_FIN,
  tcp,
  udp,
} from './packet-builder.test-util.js';

const ETH = HEADER_PROTOCOL.ETHERNET_ISO8023;
const V4 = HEADER_PROTOCOL.IPv4;
const V6 = HEADER_PROTOCOL.IPv6;

test('IPv4 header fields', () => {
  const bytes = ethernet({
    type: 0x0800,
    payload: ipv4({
      src: '192.168.1.10',
      dst: '8.8.4.4',
      protocol: 17,
      tos: 0xb8,
      ttl: 3,
      id: 0xbeef,
      dontFragment: true,
      payload: udp({ srcPort: 33000, dstPort: 53, payload: filler(30) }),
    }),
  });
  const p = decodeHeader(ETH, bytes, bytes.length + 4, 4);
  assert.equal(p.ipVersion, 4);
  assert.equal(p.offsetToIP, 14);
  assert.equal(p.IPSize, bytes.length - 14);
  assert.equal(p.IPHeaderLength, 20);
  assert.equal(p['ip.tot_len'], 20 + 8 + 30);
  assert.equal(p.srcIP, '192.168.1.10');
  assert.equal(p.dstIP, '8.8.4.4');
  assert.equal(p.IPProtocol, 17);
  assert.equal(p.IPTOS, 0xb8);
  assert.equal(p.IPTTL, 3);
  assert.equal(p.IPID, 0xbeef);
  assert.equal(p.IPFragmentOffset, 0);
  assert.equal(p.IPMoreFragments, false);
  assert.equal(p.srcIP6, undefined);
  assert.equal(p.UDPBytes, 38);
});

test('IPSize is left out without the frame length, and counts from the IP header', () => {
  const bytes = ethernet({
    vlans: [{ vid: 2 }],
    type: 0x0800,
    payload: ipv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 0 }),
  });
  assert.equal(decodeHeader(ETH, bytes).IPSize, undefined);
  assert.equal(decodeHeader(ETH, bytes, 1518, 4).IPSize, 1518 - 4 - 18);
});

test('IPv4 options are skipped by the header length', () => {
  const options = Uint8Array.from([0x94, 0x04, 0x00, 0x00, 0x07, 0x07, 0x04, 0x00]); // router alert, record route
  const p = decodeHeader(
    V4,
    ipv4({
      src: '10.0.0.1',
      dst: '224.0.0.22',
      protocol: 6,
      options,
      payload: tcp({ srcPort: 1, dstPort: 2, flags: TCP_FIN | TCP_ACK }),
    }),
  );
  assert.equal(p.IPHeaderLength, 28);
  assert.equal(p.TCPSrcPort, 1);
  assert.equal(p.TCPFlags, TCP_FIN | TCP_ACK);
  assert.equal(p.stopOffset, 28 + 20);
});

test('IPv4 first fragment: transport decoded; later fragments: not', () => {
  const first = decodeHeader(
    V4,
    ipv4({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: 17,
      id: 7,
      moreFragments: true,
      payload: udp({ srcPort: 4000, dstPort: 4001, length: 3000 }),
    }),
  );
  assert.equal(first.IPMoreFragments, true);
  assert.equal(first.IPFragmentOffset, 0);
  assert.equal(first.UDPSrcPort, 4000);
  assert.equal(first.UDPBytes, 3000);

  const later = decodeHeader(
    V4,
    ipv4({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: 17,
      id: 7,
      fragmentOffset: 185,
      payload: filler(40),
    }),
  );
  assert.equal(later.IPFragmentOffset, 185);
  assert.equal(later.IPMoreFragments, false);
  assert.equal(later.IPProtocol, 17);
  assert.equal(later.UDPSrcPort, undefined);
  assert.equal(later.stopOffset, 20);
  assert.equal(later.truncated, undefined);
});

test('raw IPv4 header protocol (11): IP at offset 0', () => {
  const bytes = ipv4({ src: '203.0.113.9', dst: '203.0.113.10', protocol: 1, payload: icmp({ type: 8 }) });
  const p = decodeHeader(V4, bytes, 84, 0);
  assert.equal(p.offsetToIP, 0);
  assert.equal(p.IPSize, 84);
  assert.equal(p.srcMAC, undefined);
  assert.equal(p.ICMPType, 8);
});

test('IPv4 with a wrong version or a header length under 5 words is malformed', () => {
  const wrong = decodeHeader(
    ETH,
    ethernet({ type: 0x0800, payload: ipv4({ src: '1.2.3.4', dst: '5.6.7.8', protocol: 6, version: 6 }) }),
  );
  assert.equal(wrong.malformed, 'ipv4');
  assert.equal(wrong.stopOffset, 14);
  assert.equal(wrong.ipVersion, undefined);
  const short = decodeHeader(V4, ipv4({ src: '1.2.3.4', dst: '5.6.7.8', protocol: 6, ihl: 4 }));
  assert.equal(short.malformed, 'ipv4');
  assert.equal(short.srcIP, undefined);
});

test('IPv6 header fields', () => {
  const bytes = ethernet({
    type: 0x86dd,
    payload: ipv6({
      src: '2001:db8:4::1',
      dst: 'fe80::2:3',
      protocol: 6,
      trafficClass: 0xa5,
      flowLabel: 0xabcde,
      hopLimit: 255,
      payload: tcp({ srcPort: 22, dstPort: 50000 }),
    }),
  });
  const p = decodeHeader(ETH, bytes, 1000, 4);
  assert.equal(p.ipVersion, 6);
  assert.equal(p.offsetToIP, 14);
  assert.equal(p.IPSize, 1000 - 4 - 14);
  assert.equal(p.IPTOS, 0xa5);
  assert.equal(p.IP6_label, 0xabcde);
  assert.equal(p.IPV6_payloadLen, 20);
  assert.equal(p.IPTTL, 255);
  assert.equal(p.srcIP6, '2001:db8:4::1');
  assert.equal(p.dstIP6, 'fe80::2:3');
  assert.equal(p.IPProtocol, 6);
  assert.equal(p.IP6HeaderExtensions, undefined);
  assert.equal(p.IPFragmentOffset, 0);
  assert.equal(p.IPID, undefined);
  assert.equal(p.srcIP, undefined);
  assert.equal(p.TCPDstPort, 50000);
});

test('IPv6 extension headers: hop-by-hop, routing, destination options, AH, then UDP', () => {
  const p = decodeHeader(
    V6,
    ipv6({
      src: '::1',
      dst: '::2',
      protocol: 17,
      extensions: [
        { type: 0, data: Uint8Array.from([5, 2, 0, 0, 1, 0]) }, // router alert + PadN
        { type: 43, data: new Uint8Array(22) },
        { type: 60, data: new Uint8Array(4) },
        { type: 51, icvLength: 16 },
      ],
      payload: udp({ srcPort: 500, dstPort: 4500 }),
    }),
  );
  assert.deepEqual(p.IP6HeaderExtensions, [0, 43, 60, 51]);
  assert.equal(p.IPProtocol, 17);
  assert.equal(p.UDPSrcPort, 500);
  assert.equal(p.stopOffset, 40 + 8 + 24 + 8 + 28 + 8);
});

test('IPv6 fragment header: first fragment decoded, later ones not', () => {
  const first = decodeHeader(
    V6,
    ipv6({
      src: '2001:db8::a',
      dst: '2001:db8::b',
      protocol: 58,
      extensions: [{ type: 44, offset: 0, more: true, id: 0xdeadbeef }],
      payload: icmp({ type: 128, code: 0 }),
    }),
  );
  assert.deepEqual(first.IP6HeaderExtensions, [44]);
  assert.equal(first.IPID, 0xdeadbeef);
  assert.equal(first.IPMoreFragments, true);
  assert.equal(first.IPFragmentOffset, 0);
  assert.equal(first.IPProtocol, 58);
  assert.equal(first.ICMPType, 128);

  const later = decodeHeader(
    V6,
    ipv6({
      src: '2001:db8::a',
      dst: '2001:db8::b',
      protocol: 58,
      extensions: [{ type: 44, offset: 181 }],
      payload: filler(16),
    }),
  );
  assert.equal(later.IPFragmentOffset, 181);
  assert.equal(later.IPProtocol, 58);
  assert.equal(later.ICMPType, undefined);
  assert.equal(later.stopOffset, 48);
});

test('IPv6 ESP and no-next-header end decoding without complaint', () => {
  for (const protocol of [50, 59]) {
    const p = decodeHeader(V6, ipv6({ src: '::1', dst: '::2', protocol, payload: filler(24) }));
    assert.equal(p.IPProtocol, protocol);
    assert.equal(p.stopOffset, 40);
    assert.equal(p.truncated, undefined);
    assert.equal(p.malformed, undefined);
  }
});

test('IPv6 jumbogram payload length 0 is kept as 0', () => {
  const p = decodeHeader(
    V6,
    ipv6({ src: '::1', dst: '::2', protocol: 6, payloadLength: 0, payload: tcp({ srcPort: 1, dstPort: 2 }) }),
  );
  assert.equal(p.IPV6_payloadLen, 0);
  assert.equal(p.TCPSrcPort, 1);
});

test('IPv6 with a wrong version is malformed', () => {
  const p = decodeHeader(
    ETH,
    ethernet({ type: 0x86dd, payload: ipv6({ src: '::1', dst: '::2', protocol: 6, version: 4 }) }),
  );
  assert.equal(p.malformed, 'ipv6');
  assert.equal(p.ipVersion, undefined);
  assert.equal(p.stopOffset, 14);
});

test('IPv4-mapped addresses print as inet_ntop does', () => {
  const p = decodeHeader(V6, ipv6({ src: '::ffff:192.0.2.1', dst: '64:ff9b::c000:201', protocol: 59 }));
  assert.equal(p.srcIP6, '::ffff:192.0.2.1');
  assert.equal(p.dstIP6, '64:ff9b::c000:201');
});
