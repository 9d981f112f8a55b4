/** sflowtool's names for the structures of records/sflow-v5.ts. */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { addressText, byteLength, DashedHex, dashed, macPlain, percentage, text } from '../format.js';

/** MPLS label entries as label.exp.bos.ttl, joined by '-'. */
function labelStack(stack: readonly number[]): string {
  return stack.map((l) => `${l >>> 12}.${(l >>> 9) & 7}.${(l >>> 8) & 1}.${l & 255}`).join('-');
}

/** 802.1Q layers as 0x + TPID (4 hex digits) then priority.cfi.vlan, joined by '-'. */
function vlanStack(stack: readonly number[]): string {
  return stack
    .map(
      (l) => `0x${(l >>> 16).toString(16).padStart(4, '0')}${(l >>> 13) & 7}.${(l >>> 12) & 1}.${l & 4095}`,
    )
    .join('-');
}

const TRANSPORT: Record<number, [string, string] | [string]> = {
  1: ['ICMPType'],
  6: ['TCPSrcPort', 'TCPDstPort'],
  17: ['UDPSrcPort', 'UDPDstPort'],
};

export const flowFields: FlowFieldTable = {
  sampled_header: [
    ['flowSampleType', () => 'HEADER'],
    ['headerProtocol', 'protocol'],
    ['sampledPacketSize', 'frameLength'],
    ['strippedBytes', 'stripped'],
    ['headerLen', (v) => byteLength(v.header)],
    ['headerBytes', (v) => new DashedHex(v.header)],
  ],
  sampled_ethernet: [
    ['flowSampleType', () => 'ETHERNET'],
    ['ethernet_type', 'type'],
    ['ethernet_len', 'length'],
    ['ethernet_src', (v) => macPlain(v.srcMac)],
    ['ethernet_dst', (v) => macPlain(v.dstMac)],
  ],
  sampled_ipv4: (v, put) => {
    put('flowSampleType', 'IPV4');
    put('sampledPacketSize', v.length);
    put('IPSize', v.length);
    put('srcIP', v.srcIp);
    put('dstIP', v.dstIp);
    put('IPProtocol', v.protocol);
    put('IPTOS', v.tos);
    putTransport(v, put);
  },
  sampled_ipv6: (v, put) => {
    put('flowSampleType', 'IPV6');
    put('sampledPacketSize', v.length);
    put('IPSize', v.length);
    put('srcIP6', addressText(v.srcIp));
    put('dstIP6', addressText(v.dstIp));
    put('IPProtocol', v.protocol);
    put('priority', v.priority);
    putTransport(v, put);
  },
  extended_switch: [
    ['extendedType', () => 'SWITCH'],
    ['in_vlan', 'srcVlan'],
    ['in_priority', 'srcPriority'],
    ['out_vlan', 'dstVlan'],
    ['out_priority', 'dstPriority'],
  ],
  extended_router: [
    ['extendedType', () => 'ROUTER'],
    ['nextHop', (v) => addressText(v.nexthop)],
    ['srcSubnetMask', 'srcMaskLen'],
    ['dstSubnetMask', 'dstMaskLen'],
  ],
  extended_gateway: (v, put) => {
    put('extendedType', 'GATEWAY');
    put('bgp_nexthop', addressText(v.nexthop));
    put('my_as', v.as);
    put('src_as', v.srcAs);
    put('src_peer_as', v.srcPeerAs);
    const segments = v.dstAsPath.filter((s) => s.value.length > 0);
    if (v.dstAsPath.length > 0) {
      put(
        'dst_as_path',
        segments.map((s) => (s.type === 1 ? `(${dashed(s.value)})` : dashed(s.value))).join(''),
      );
    }
    const first = v.dstAsPath[0]?.value;
    const last = v.dstAsPath[v.dstAsPath.length - 1]?.value;
    put('dst_as', last?.length ? last[last.length - 1] : 0);
    put('dst_peer_as', first?.length ? first[0] : 0);
    if (v.communities.length > 0) put('BGP_communities', dashed(v.communities));
    put('BGP_localpref', v.localpref);
  },
  extended_user: [
    ['extendedType', () => 'USER'],
    ['src_user_charset', 'srcCharset'],
    ['dst_user_charset', 'dstCharset'],
    ['src_user', (v) => text(v.srcUser, 201)],
    ['dst_user', (v) => text(v.dstUser, 201)],
  ],
  extended_url: [
    ['extendedType', () => 'URL'],
    ['url_direction', 'direction'],
    ['url', (v) => text(v.url, 201)],
    ['host', (v) => text(v.host, 201)],
  ],
  extended_mpls: (v, put) => {
    put('extendedType', 'MPLS');
    put('mpls_nexthop', addressText(v.nexthop));
    if (v.inStack.length > 0) put('mpls_input_stack', labelStack(v.inStack));
    if (v.outStack.length > 0) put('mpls_output_stack', labelStack(v.outStack));
  },
  extended_nat: [
    ['extendedType', () => 'NAT'],
    ['nat_src', (v) => addressText(v.srcAddress)],
    ['nat_dst', (v) => addressText(v.dstAddress)],
  ],
  extended_mpls_tunnel: (v, put) => {
    if (v.tunnelLspName.length > 0) put('mpls_tunnel_lsp_name', text(v.tunnelLspName, 101));
    put('mpls_tunnel_id', v.tunnelId);
    put('mpls_tunnel_cos', v.tunnelCos);
  },
  extended_mpls_vc: (v, put) => {
    if (v.vcInstanceName.length > 0) put('mpls_vc_name', text(v.vcInstanceName, 101));
    put('mpls_vll_vc_id', v.vllVcId);
    put('mpls_vc_cos', v.vcLabelCos);
  },
  extended_mpls_FTN: (v, put) => {
    if (v.mplsFTNDescr.length > 0) put('mpls_ftn_descr', text(v.mplsFTNDescr, 101));
    put('mpls_ftn_mask', v.mplsFTNMask);
  },
  extended_mpls_LDP_FEC: [['mpls_fec_addr_prefix_len', 'mplsFecAddrPrefixLength']],
  extended_vlantunnel: (v, put) => {
    if (v.stack.length > 0) put('vlan_tunnel', vlanStack(v.stack));
  },
};

/** sflowtool reads the transport fields of sampled_ipv4/6 by protocol; ICMP type comes from dst_port. */
function putTransport(
  v: { protocol: number; srcPort: number; dstPort: number; tcpFlags: number },
  put: (n: string, x: number) => void,
): void {
  const names = TRANSPORT[v.protocol];
  if (!names) return;
  if (names.length === 1) {
    put(names[0], v.dstPort);
    return;
  }
  put(names[0], v.srcPort);
  put(names[1], v.dstPort);
  if (v.protocol === 6) put('TCPFlags', v.tcpFlags);
}

const same = <K extends string>(...names: K[]) => names.map((n) => [n, n] as const);

export const counterFields: CounterFieldTable = {
  if_counters: [
    ['ifIndex', 'ifIndex'],
    ['networkType', 'ifType'],
    ...same(
      'ifSpeed',
      'ifDirection',
      'ifStatus',
      'ifInOctets',
      'ifInUcastPkts',
      'ifInMulticastPkts',
      'ifInBroadcastPkts',
      'ifInDiscards',
      'ifInErrors',
      'ifInUnknownProtos',
      'ifOutOctets',
      'ifOutUcastPkts',
      'ifOutMulticastPkts',
      'ifOutBroadcastPkts',
      'ifOutDiscards',
      'ifOutErrors',
      'ifPromiscuousMode',
    ),
  ],
  ethernet_counters: same(
    'dot3StatsAlignmentErrors',
    'dot3StatsFCSErrors',
    'dot3StatsSingleCollisionFrames',
    'dot3StatsMultipleCollisionFrames',
    'dot3StatsSQETestErrors',
    'dot3StatsDeferredTransmissions',
    'dot3StatsLateCollisions',
    'dot3StatsExcessiveCollisions',
    'dot3StatsInternalMacTransmitErrors',
    'dot3StatsCarrierSenseErrors',
    'dot3StatsFrameTooLongs',
    'dot3StatsInternalMacReceiveErrors',
    'dot3StatsSymbolErrors',
  ),
  tokenring_counters: same(
    'dot5StatsLineErrors',
    'dot5StatsBurstErrors',
    'dot5StatsACErrors',
    'dot5StatsAbortTransErrors',
    'dot5StatsInternalErrors',
    'dot5StatsLostFrameErrors',
    'dot5StatsReceiveCongestions',
    'dot5StatsFrameCopiedErrors',
    'dot5StatsTokenErrors',
    'dot5StatsSoftErrors',
    'dot5StatsHardErrors',
    'dot5StatsSignalLoss',
    'dot5StatsTransmitBeacons',
    'dot5StatsRecoverys',
    'dot5StatsLobeWires',
    'dot5StatsRemoves',
    'dot5StatsSingles',
    'dot5StatsFreqErrors',
  ),
  vg_counters: same(
    'dot12InHighPriorityFrames',
    'dot12InHighPriorityOctets',
    'dot12InNormPriorityFrames',
    'dot12InNormPriorityOctets',
    'dot12InIPMErrors',
    'dot12InOversizeFrameErrors',
    'dot12InDataErrors',
    'dot12InNullAddressedFrames',
    'dot12OutHighPriorityFrames',
    'dot12OutHighPriorityOctets',
    'dot12TransitionIntoTrainings',
    'dot12HCInHighPriorityOctets',
    'dot12HCInNormPriorityOctets',
    'dot12HCOutHighPriorityOctets',
  ),
  vlan_counters: [
    ['in_vlan', 'vlanId'],
    ...same('octets', 'ucastPkts', 'multicastPkts', 'broadcastPkts', 'discards'),
  ],
  processor: [
    ['5s_cpu', (v) => percentage(v.cpu5s)],
    ['1m_cpu', (v) => percentage(v.cpu1m)],
    ['5m_cpu', (v) => percentage(v.cpu5m)],
    ['total_memory_bytes', 'totalMemory'],
    ['free_memory_bytes', 'freeMemory'],
  ],
};
