/** Flow and counter records of the core specification: https://sflow.org/sflow_version_5.txt */
import {
  address,
  array,
  enumOf,
  i32,
  ipv4,
  ipv6,
  mac,
  opaque,
  string,
  struct,
  u32,
  u64,
  union,
} from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_version_5.txt';

/** header_protocol */
export const HEADER_PROTOCOLS = {
  1: 'ETHERNET-ISO88023',
  2: 'ISO88024-TOKENBUS',
  3: 'ISO88025-TOKENRING',
  4: 'FDDI',
  5: 'FRAME-RELAY',
  6: 'X25',
  7: 'PPP',
  8: 'SMDS',
  9: 'AAL5',
  10: 'AAL5-IP',
  11: 'IPv4',
  12: 'IPv6',
  13: 'MPLS',
  14: 'POS',
  15: 'IEEE80211MAC',
  16: 'IEEE80211-AMPDU',
  17: 'IEEE80211-AMSDU-SUBFRAME',
} as const;

/** 0:1 sampled_header */
export const SampledHeader = struct({
  protocol: enumOf(HEADER_PROTOCOLS),
  frameLength: u32,
  stripped: u32,
  header: opaque(),
});

/** 0:2 sampled_ethernet */
export const SampledEthernet = struct({ length: u32, srcMac: mac, dstMac: mac, type: u32 });

/** 0:3 sampled_ipv4 */
export const SampledIpv4 = struct({
  length: u32,
  protocol: u32,
  srcIp: ipv4,
  dstIp: ipv4,
  srcPort: u32,
  dstPort: u32,
  tcpFlags: u32,
  tos: u32,
});

/** 0:4 sampled_ipv6 */
export const SampledIpv6 = struct({
  length: u32,
  protocol: u32,
  srcIp: ipv6,
  dstIp: ipv6,
  srcPort: u32,
  dstPort: u32,
  tcpFlags: u32,
  priority: u32,
});

/** 0:1001 extended_switch */
export const ExtendedSwitch = struct({ srcVlan: u32, srcPriority: u32, dstVlan: u32, dstPriority: u32 });

/** 0:1002 extended_router */
export const ExtendedRouter = struct({ nexthop: address, srcMaskLen: u32, dstMaskLen: u32 });

/** as_path_type: 1 AS_SET, 2 AS_SEQUENCE */
const AsPathSegment = union({ 1: array(u32), 2: array(u32) });

/** 0:1003 extended_gateway */
export const ExtendedGateway = struct({
  nexthop: address,
  as: u32,
  srcAs: u32,
  srcPeerAs: u32,
  dstAsPath: array(AsPathSegment),
  communities: array(u32),
  localpref: u32,
});

/** 0:1004 extended_user (charset is a MIBEnum, 106 = UTF-8) */
export const ExtendedUser = struct({
  srcCharset: u32,
  srcUser: opaque(),
  dstCharset: u32,
  dstUser: opaque(),
});

/** 0:1005 extended_url (deprecated); direction 1 src, 2 dst */
export const ExtendedUrl = struct({
  direction: enumOf({ 1: 'src', 2: 'dst' }),
  url: string(),
  host: string(),
});

/** 0:1006 extended_mpls (label_stack is int<>) */
export const ExtendedMpls = struct({ nexthop: address, inStack: array(i32), outStack: array(i32) });

/** 0:1007 extended_nat */
export const ExtendedNat = struct({ srcAddress: address, dstAddress: address });

/** 0:1008 extended_mpls_tunnel */
export const ExtendedMplsTunnel = struct({ tunnelLspName: string(), tunnelId: u32, tunnelCos: u32 });

/** 0:1009 extended_mpls_vc */
export const ExtendedMplsVc = struct({ vcInstanceName: string(), vllVcId: u32, vcLabelCos: u32 });

/** 0:1010 extended_mpls_FTN */
export const ExtendedMplsFtn = struct({ mplsFTNDescr: string(), mplsFTNMask: u32 });

/** 0:1011 extended_mpls_LDP_FEC */
export const ExtendedMplsLdpFec = struct({ mplsFecAddrPrefixLength: u32 });

/** 0:1012 extended_vlantunnel: stripped 802.1Q TPID/TCI layers, outermost first */
export const ExtendedVlantunnel = struct({ stack: array(u32) });

/** 0:1 if_counters (RFC 2233) */
export const IfCounters = struct({
  ifIndex: u32,
  ifType: u32,
  ifSpeed: u64,
  ifDirection: u32,
  ifStatus: u32,
  ifInOctets: u64,
  ifInUcastPkts: u32,
  ifInMulticastPkts: u32,
  ifInBroadcastPkts: u32,
  ifInDiscards: u32,
  ifInErrors: u32,
  ifInUnknownProtos: u32,
  ifOutOctets: u64,
  ifOutUcastPkts: u32,
  ifOutMulticastPkts: u32,
  ifOutBroadcastPkts: u32,
  ifOutDiscards: u32,
  ifOutErrors: u32,
  ifPromiscuousMode: u32,
});

/** 0:2 ethernet_counters (RFC 2358) */
export const EthernetCounters = struct({
  dot3StatsAlignmentErrors: u32,
  dot3StatsFCSErrors: u32,
  dot3StatsSingleCollisionFrames: u32,
  dot3StatsMultipleCollisionFrames: u32,
  dot3StatsSQETestErrors: u32,
  dot3StatsDeferredTransmissions: u32,
  dot3StatsLateCollisions: u32,
  dot3StatsExcessiveCollisions: u32,
  dot3StatsInternalMacTransmitErrors: u32,
  dot3StatsCarrierSenseErrors: u32,
  dot3StatsFrameTooLongs: u32,
  dot3StatsInternalMacReceiveErrors: u32,
  dot3StatsSymbolErrors: u32,
});

/** 0:3 tokenring_counters (RFC 1748) */
export const TokenringCounters = struct({
  dot5StatsLineErrors: u32,
  dot5StatsBurstErrors: u32,
  dot5StatsACErrors: u32,
  dot5StatsAbortTransErrors: u32,
  dot5StatsInternalErrors: u32,
  dot5StatsLostFrameErrors: u32,
  dot5StatsReceiveCongestions: u32,
  dot5StatsFrameCopiedErrors: u32,
  dot5StatsTokenErrors: u32,
  dot5StatsSoftErrors: u32,
  dot5StatsHardErrors: u32,
  dot5StatsSignalLoss: u32,
  dot5StatsTransmitBeacons: u32,
  dot5StatsRecoverys: u32,
  dot5StatsLobeWires: u32,
  dot5StatsRemoves: u32,
  dot5StatsSingles: u32,
  dot5StatsFreqErrors: u32,
});

/** 0:4 vg_counters (RFC 2020) */
export const VgCounters = struct({
  dot12InHighPriorityFrames: u32,
  dot12InHighPriorityOctets: u64,
  dot12InNormPriorityFrames: u32,
  dot12InNormPriorityOctets: u64,
  dot12InIPMErrors: u32,
  dot12InOversizeFrameErrors: u32,
  dot12InDataErrors: u32,
  dot12InNullAddressedFrames: u32,
  dot12OutHighPriorityFrames: u32,
  dot12OutHighPriorityOctets: u64,
  dot12TransitionIntoTrainings: u32,
  dot12HCInHighPriorityOctets: u64,
  dot12HCInNormPriorityOctets: u64,
  dot12HCOutHighPriorityOctets: u64,
});

/** 0:5 vlan_counters */
export const VlanCounters = struct({
  vlanId: u32,
  octets: u64,
  ucastPkts: u32,
  multicastPkts: u32,
  broadcastPkts: u32,
  discards: u32,
});

/** 0:1001 processor (cpu values in hundredths of a percent) */
export const Processor = struct({ cpu5s: u32, cpu1m: u32, cpu5m: u32, totalMemory: u64, freeMemory: u64 });

export const flowRecords = {
  sampled_header: record(0, 1, SampledHeader, SPEC),
  sampled_ethernet: record(0, 2, SampledEthernet, SPEC),
  sampled_ipv4: record(0, 3, SampledIpv4, SPEC),
  sampled_ipv6: record(0, 4, SampledIpv6, SPEC),
  extended_switch: record(0, 1001, ExtendedSwitch, SPEC),
  extended_router: record(0, 1002, ExtendedRouter, SPEC),
  extended_gateway: record(0, 1003, ExtendedGateway, SPEC),
  extended_user: record(0, 1004, ExtendedUser, SPEC),
  extended_url: record(0, 1005, ExtendedUrl, SPEC),
  extended_mpls: record(0, 1006, ExtendedMpls, SPEC),
  extended_nat: record(0, 1007, ExtendedNat, SPEC),
  extended_mpls_tunnel: record(0, 1008, ExtendedMplsTunnel, SPEC),
  extended_mpls_vc: record(0, 1009, ExtendedMplsVc, SPEC),
  extended_mpls_FTN: record(0, 1010, ExtendedMplsFtn, SPEC),
  extended_mpls_LDP_FEC: record(0, 1011, ExtendedMplsLdpFec, SPEC),
  extended_vlantunnel: record(0, 1012, ExtendedVlantunnel, SPEC),
};

export const counterRecords = {
  if_counters: record(0, 1, IfCounters, SPEC),
  ethernet_counters: record(0, 2, EthernetCounters, SPEC),
  tokenring_counters: record(0, 3, TokenringCounters, SPEC),
  vg_counters: record(0, 4, VgCounters, SPEC),
  vlan_counters: record(0, 5, VlanCounters, SPEC),
  processor: record(0, 1001, Processor, SPEC),
};
