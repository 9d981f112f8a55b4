/**
 * The decoded form of a sampled packet header (sFlow v5 `sampled_header`, flow record 0:1,
 * https://sflow.org/sflow_version_5.txt). One flat plain object: `createPacket` initialises every property,
 * always in the same order, so that every packet shares one hidden class and field reads stay monomorphic.
 * Names are sflowtool's where it prints the field (`srcMAC`, `IPTOS`, `ip.tot_len`, …); values are numbers,
 * addresses are text. A field the header did not reach is `undefined`.
 */

/** The layers the decoder knows, as `truncated` and `malformed` name them. */
export type PacketLayer =
  | 'ethernet'
  | 'vlan'
  | 'llc'
  | 'mpls'
  | 'arp'
  | 'ipv4'
  | 'ipv6'
  | 'ipv6-ext'
  | 'tcp'
  | 'udp'
  | 'icmp'
  | 'icmpv6'
  | 'gre'
  | 'vxlan'
  | 'geneve'
  | 'ieee80211';

/** How an inner packet is carried. `ipip` is IPv4 or IPv6 directly in IPv4 or IPv6 (IP protocols 4 and 41). */
export type TunnelKind = 'vxlan' | 'geneve' | 'gre' | 'ipip';

export interface DecodedPacket {
  /** The `header_protocol` the bytes were decoded as (HEADER_PROTOCOL); an inner packet's is 1, 11, 12 or 13. */
  headerProtocol: number;
  /** Offset in the header bytes of this packet's first byte: 0, or where a tunnel's inner packet starts. */
  start: number;

  // Link layer: Ethernet (IEEE 802.3) or IEEE 802.11.
  dstMAC: string | undefined;
  srcMAC: string | undefined;
  /** 802.11 receiver and transmitter addresses (address 1 and 2 of a data frame). */
  rxMAC: string | undefined;
  txMAC: string | undefined;
  /** The outer 802.1Q / 802.1ad tag: VLAN id and priority (PCP). */
  decodedVLAN: number | undefined;
  decodedPriority: number | undefined;
  /** The second tag of QinQ (sflowtool's `decodedVLAN.1` / `decodedPriority.1`). */
  innerVLAN: number | undefined;
  innerPriority: number | undefined;
  /** Number of VLAN tags: 0 when untagged. */
  vlanDepth: number;
  /** The OUI of a vendor-specific SNAP header (not decoded further), as a 24-bit number. */
  VSNAP_OUI: number | undefined;
  /** The EtherType after VLAN tags and LLC/SNAP (0x0800 for IP over 802.2, as sflowtool has it). */
  ethernet_type: number | undefined;
  /** MPLS label stack entries, top first, as 32-bit words: label = e >>> 12, TC = (e >>> 9) & 7, TTL = e & 255. */
  mplsLabelStack: number[] | undefined;

  // ARP and RARP (RFC 826); addresses only for Ethernet/IPv4.
  ARPOperation: number | undefined;
  ARPSenderMAC: string | undefined;
  ARPSenderIP: string | undefined;
  ARPTargetMAC: string | undefined;
  ARPTargetIP: string | undefined;

  // IP, either version.
  /** 4 or 6 once an IP header of that version was found. */
  ipVersion: number | undefined;
  /** Offset of the IP header in the header bytes. */
  offsetToIP: number | undefined;
  /** The size of the sampled IP packet: frame length − stripped bytes − offsetToIP (needs the frame length). */
  IPSize: number | undefined;
  IPProtocol: number | undefined;
  /** IPv4 TOS byte, or IPv6 traffic class. */
  IPTOS: number | undefined;
  /** IPv4 TTL, or IPv6 hop limit. */
  IPTTL: number | undefined;
  /**
   * IPv4 identification in network byte order, or the IPv6 fragment header's. (sflowtool prints the IPv4 one
   * byte-swapped on little-endian hosts: it skips ntohs.)
   */
  IPID: number | undefined;
  /** Fragment offset in 8-byte units; 0 for unfragmented packets and first fragments. */
  IPFragmentOffset: number | undefined;
  IPMoreFragments: boolean | undefined;

  // IPv4 (RFC 791).
  /** Header length in bytes, options included. */
  IPHeaderLength: number | undefined;
  'ip.tot_len': number | undefined;
  srcIP: string | undefined;
  dstIP: string | undefined;

  // IPv6 (RFC 8200).
  IP6_label: number | undefined;
  /** 0 means a jumbogram (RFC 2675). */
  IPV6_payloadLen: number | undefined;
  srcIP6: string | undefined;
  dstIP6: string | undefined;
  /** Next-header values of the extension headers passed, in order (sflowtool prints each as IP6HeaderExtension). */
  IP6HeaderExtensions: number[] | undefined;

  // Transport.
  TCPSrcPort: number | undefined;
  TCPDstPort: number | undefined;
  /** The TCP flags byte: CWR ECE URG ACK PSH RST SYN FIN. */
  TCPFlags: number | undefined;
  /** TCP header length in bytes (data offset × 4). */
  TCPHeaderLength: number | undefined;
  UDPSrcPort: number | undefined;
  UDPDstPort: number | undefined;
  /** The UDP length field: header and payload. */
  UDPBytes: number | undefined;
  /** ICMP or ICMPv6 type and code (IPProtocol tells which). */
  ICMPType: number | undefined;
  ICMPCode: number | undefined;

  // Tunnels.
  tunnel: TunnelKind | undefined;
  /** VXLAN or Geneve virtual network identifier. */
  VNI: number | undefined;
  GREKey: number | undefined;
  /** The EtherType the tunnel header gives its payload (GRE and Geneve protocol type; 0x6558 for VXLAN). */
  tunnelEtherType: number | undefined;
  /** The decoded inner packet; its offsets, like all offsets here, count from the start of the header bytes. */
  inner: DecodedPacket | undefined;

  // Where decoding stopped.
  /** The layer whose header ran past the end of the bytes. */
  truncated: PacketLayer | undefined;
  /** The layer whose header cannot be right (wrong IP version, IPv4 IHL < 5, TCP data offset < 5, …). */
  malformed: PacketLayer | undefined;
  /**
   * Where decoding stopped: the start of the truncated or malformed header, or else the first byte no decoder
   * read (a transport payload, an unknown EtherType, a non-first fragment's payload, an inner packet's start).
   */
  stopOffset: number;
}

export function createPacket(headerProtocol: number, start: number): DecodedPacket {
  return {
    headerProtocol,
    start,
    dstMAC: undefined,
    srcMAC: undefined,
    rxMAC: undefined,
    txMAC: undefined,
    decodedVLAN: undefined,
    decodedPriority: undefined,
    innerVLAN: undefined,
    innerPriority: undefined,
    vlanDepth: 0,
    VSNAP_OUI: undefined,
    ethernet_type: undefined,
    mplsLabelStack: undefined,
    ARPOperation: undefined,
    ARPSenderMAC: undefined,
    ARPSenderIP: undefined,
    ARPTargetMAC: undefined,
    ARPTargetIP: undefined,
    ipVersion: undefined,
    offsetToIP: undefined,
    IPSize: undefined,
    IPProtocol: undefined,
    IPTOS: undefined,
    IPTTL: undefined,
    IPID: undefined,
    IPFragmentOffset: undefined,
    IPMoreFragments: undefined,
    IPHeaderLength: undefined,
    'ip.tot_len': undefined,
    srcIP: undefined,
    dstIP: undefined,
    IP6_label: undefined,
    IPV6_payloadLen: undefined,
    srcIP6: undefined,
    dstIP6: undefined,
    IP6HeaderExtensions: undefined,
    TCPSrcPort: undefined,
    TCPDstPort: undefined,
    TCPFlags: undefined,
    TCPHeaderLength: undefined,
    UDPSrcPort: undefined,
    UDPDstPort: undefined,
    UDPBytes: undefined,
    ICMPType: undefined,
    ICMPCode: undefined,
    tunnel: undefined,
    VNI: undefined,
    GREKey: undefined,
    tunnelEtherType: undefined,
    inner: undefined,
    truncated: undefined,
    malformed: undefined,
    stopOffset: start,
  };
}
