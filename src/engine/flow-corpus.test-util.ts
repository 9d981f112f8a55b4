/**
 * A corpus of flow samples, one per situation the flow keys read: Ethernet with 802.1Q, IPv4, IPv6 with a
 * fragment header, TCP, UDP, ICMP, ICMPv6, ARP, MPLS, VXLAN, Geneve and NVGRE tunnels, samples with only
 * sampled_ipv4/ipv6/ethernet records, the interface formats, a dropped packet, HTTP and memcache transactions.
 * Built once (module level) through encode and decode; the tests read them by name.
 */
import {
  arp,
  ethernet,
  filler,
  geneve,
  gre,
  icmp,
  ipv4,
  ipv6,
  mpls,
  TCP_ACK,
  TCP_SYN,
  tcp,
  udp,
  vxlan,
} from '../packet/packet-builder.test-util.js';
import type { FlowRecord } from '../sflow/model.js';
import type { FlowContext } from './flow-context.js';
import { dropContext, flowContext, frameContext } from './flow-sample.test-util.js';

const innerFrame = ethernet({
  src: '02:00:00:00:00:aa',
  dst: '02:00:00:00:00:bb',
  type: 0x0800,
  payload: ipv4({
    src: '192.168.0.1',
    dst: '192.168.0.2',
    protocol: 6,
    payload: tcp({ srcPort: 1234, dstPort: 80 }),
  }),
});

const innerUdp6 = ethernet({
  type: 0x86dd,
  payload: ipv6({ src: 'fd00::a', dst: 'fd00::b', protocol: 17, payload: udp({ srcPort: 7, dstPort: 9 }) }),
});

function outer4(protocol: number, payload: Uint8Array, src = '10.0.0.1'): Uint8Array {
  return ethernet({ type: 0x0800, payload: ipv4({ src, dst: '10.0.0.2', protocol, payload }) });
}

const switchRecords: FlowRecord[] = [
  {
    name: 'extended_switch',
    tag: '0:1001',
    value: { srcVlan: 10, srcPriority: 5, dstVlan: 20, dstPriority: 3 },
  },
  {
    name: 'extended_router',
    tag: '0:1002',
    value: { nexthop: '192.0.2.254', srcMaskLen: 8, dstMaskLen: 24 },
  },
  {
    name: 'extended_gateway',
    tag: '0:1003',
    value: {
      nexthop: '192.0.2.253',
      as: 65000,
      srcAs: 64500,
      srcPeerAs: 64501,
      dstAsPath: [{ type: 2, value: [64510, 64511] }],
      communities: [1],
      localpref: 100,
    },
  },
  { name: 'extended_egress_queue', tag: '0:1036', value: { queue: 2 } },
  { name: 'extended_queue', tag: '0:1040', value: { depth: 1500 } },
  { name: 'extended_transit', tag: '0:1039', value: { delay: 900 } },
];

const socket4: FlowRecord = {
  name: 'extended_socket_ipv4',
  tag: '0:2100',
  value: { protocol: 6, localIp: '10.1.2.3', remoteIp: '10.9.9.9', localPort: 80, remotePort: 50000 },
};

const APP = {
  sourceIdType: 3,
  sourceIdIndex: 65537,
  samplingRate: 100,
  inputValue: 0,
  outputValue: 0x3fffffff,
};

export const CORPUS: Record<string, FlowContext> = {
  /** Ethernet, 802.1Q (VLAN 10, PCP 5), IPv4 (DSCP EF, ECN 01, DF), TCP SYN-ACK; a switch's records. */
  tcp4: frameContext(
    ethernet({
      dst: '00:11:22:33:44:55',
      src: '66:77:88:99:aa:bb',
      vlans: [{ vid: 10, pcp: 5 }],
      type: 0x0800,
      payload: ipv4({
        src: '10.1.2.3',
        dst: '192.0.2.7',
        protocol: 6,
        tos: 0xb9,
        ttl: 63,
        dontFragment: true,
        payload: tcp({ srcPort: 43512, dstPort: 443, flags: TCP_SYN | TCP_ACK, payload: filler(100) }),
      }),
    }),
    {},
    switchRecords,
  ),
  /** To a multicast MAC: IPv6 (AF11, ECN 10, flow label 0x12345), UDP; sampled at the output port. */
  udp6: frameContext(
    ethernet({
      dst: '33:33:00:00:00:01',
      type: 0x86dd,
      payload: ipv6({
        src: '2001:db8::1',
        dst: 'fd00::2',
        protocol: 17,
        trafficClass: 0x2a,
        flowLabel: 0x12345,
        hopLimit: 9,
        payload: udp({ srcPort: 5353, dstPort: 53, payload: filler(20) }),
      }),
    }),
    { inputValue: 7, outputValue: 3 },
  ),
  /** An IPv6 fragment (offset 100, more to come). */
  frag6: frameContext(
    ethernet({
      type: 0x86dd,
      payload: ipv6({
        src: '2001:db8::1',
        dst: '2001:db8::2',
        protocol: 17,
        extensions: [{ type: 44, offset: 100, more: true }],
        payload: filler(16),
      }),
    }),
  ),
  /** An IPv4 fragment (offset 185, more to come), to the broadcast MAC. */
  frag4: frameContext(
    ethernet({
      dst: 'ff:ff:ff:ff:ff:ff',
      type: 0x0800,
      payload: ipv4({
        src: '10.0.0.9',
        dst: '10.0.0.255',
        protocol: 17,
        moreFragments: true,
        fragmentOffset: 185,
      }),
    }),
  ),
  icmp4: frameContext(outer4(1, icmp({ type: 3, code: 1 }))),
  icmp6: frameContext(
    ethernet({
      type: 0x86dd,
      payload: ipv6({ src: 'fe80::1', dst: 'ff02::1', protocol: 58, payload: icmp({ type: 128, code: 0 }) }),
    }),
  ),
  arp: frameContext(
    ethernet({
      dst: 'ff:ff:ff:ff:ff:ff',
      type: 0x0806,
      payload: arp({
        op: 1,
        senderMac: '02:00:00:00:00:01',
        senderIp: '10.0.0.1',
        targetMac: '00:00:00:00:00:00',
        targetIp: '10.0.0.2',
      }),
    }),
  ),
  mpls: frameContext(
    ethernet({
      type: 0x8847,
      payload: mpls({
        labels: [{ label: 100 }],
        payload: ipv4({
          src: '10.0.0.1',
          dst: '10.0.0.2',
          protocol: 6,
          payload: tcp({ srcPort: 1, dstPort: 2 }),
        }),
      }),
    }),
  ),
  vxlan: frameContext(
    outer4(
      17,
      udp({ srcPort: 49152, dstPort: 4789, payload: vxlan({ vni: 0xabcdef, payload: innerFrame }) }),
    ),
  ),
  geneve: frameContext(
    outer4(
      17,
      udp({
        srcPort: 49152,
        dstPort: 6081,
        payload: geneve({ vni: 4242, protocol: 0x6558, payload: innerUdp6 }),
      }),
    ),
  ),
  /** NVGRE: GRE carrying Ethernet, key = VSID 5000 << 8 | flow id 7. */
  nvgre: frameContext(outer4(47, gre({ protocol: 0x6558, key: (5000 << 8) | 7, payload: innerFrame }))),
  /** No header: a sampled_ipv4 record only (and one for the VNI). */
  ipv4only: flowContext([
    {
      name: 'sampled_ipv4',
      tag: '0:3',
      value: {
        length: 1000,
        protocol: 6,
        srcIp: '10.2.0.1',
        dstIp: '10.2.0.2',
        srcPort: 22,
        dstPort: 60000,
        tcpFlags: 0x18,
        tos: 0,
      },
    },
    { name: 'extended_vni_ingress', tag: '0:1030', value: { vni: 99 } },
  ]),
  ipv6only: flowContext([
    {
      name: 'sampled_ipv6',
      tag: '0:4',
      value: {
        length: 600,
        protocol: 17,
        srcIp: '2001:db8::5',
        dstIp: '2001:db8::6',
        srcPort: 123,
        dstPort: 123,
        tcpFlags: 0,
        priority: 0,
      },
    },
  ]),
  ethernetonly: flowContext([
    {
      name: 'sampled_ethernet',
      tag: '0:2',
      value: { length: 64, srcMac: '02:00:00:00:00:0a', dstMac: '02:00:00:00:00:0b', type: 0x88cc },
    },
  ]),
  /** From the device itself (input 0x3FFFFFFF) and dropped (output format 1, reason 258 acl). */
  discard: frameContext(outer4(6, tcp({ srcPort: 1, dstPort: 2 })), {
    inputValue: 0x3fffffff,
    outputFormat: 1,
    outputValue: 258,
  }),
  /** Out of several interfaces (output format 2). */
  multiple: frameContext(outer4(17, udp({ srcPort: 1, dstPort: 2 })), { outputFormat: 2, outputValue: 5 }),
  /** A discarded_packet sample (sflow_drops.txt): ttl_exceeded. */
  dropped: dropContext(outer4(17, udp({ srcPort: 1, dstPort: 2 })), 257, 3, 0),
  http: flowContext(
    [
      {
        name: 'http_request',
        tag: '0:2206',
        value: {
          method: 2,
          protocol: 1001,
          uri: '/metrics/json?x=1',
          host: 'example.com',
          referer: 'http://example.com/',
          useragent: 'curl/8.5',
          xff: '203.0.113.9',
          authuser: 'bob',
          mimeType: 'application/json',
          reqBytes: 100n,
          respBytes: 1900n,
          uS: 1500,
          status: 200,
        },
      },
      socket4,
      {
        name: 'extended_proxy_socket_ipv6',
        tag: '0:2103',
        value: {
          socket: {
            protocol: 6,
            localIp: '2001:db8::80',
            remoteIp: '2001:db8::99',
            localPort: 8080,
            remotePort: 40000,
          },
        },
      },
    ],
    APP,
  ),
  memcache: flowContext(
    [
      {
        name: 'memcache_operation',
        tag: '0:2200',
        value: { protocol: 1, cmd: 7, key: 'user:42', nkeys: 1, valueBytes: 512, uS: 120, status: 8 },
      },
      {
        name: 'extended_socket_ipv6',
        tag: '0:2101',
        value: {
          protocol: 6,
          localIp: 'fd00::11',
          remoteIp: 'fd00::22',
          localPort: 11211,
          remotePort: 40001,
        },
      },
      {
        name: 'extended_proxy_socket_ipv4',
        tag: '0:2102',
        value: {
          socket: {
            protocol: 17,
            localIp: '10.3.0.1',
            remoteIp: '10.3.0.2',
            localPort: 11211,
            remotePort: 40002,
          },
        },
      },
    ],
    APP,
  ),
};
