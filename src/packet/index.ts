/**
 * The sampled packet header decoder: Ethernet, 802.1Q/QinQ, LLC/SNAP, MPLS, ARP, IPv4, IPv6 and its extension
 * headers, TCP, UDP, ICMP/ICMPv6, 802.11 data frames, and the inner packet of VXLAN, Geneve, GRE and IP in IP.
 */

export { decodeHeader, MAX_TUNNEL_DEPTH } from './decode-header.js';
export { createPacket, type DecodedPacket, type PacketLayer, type TunnelKind } from './decoded-packet.js';
export { HEADER_PROTOCOL, type HeaderProtocolName } from './header-protocols.js';
export { UDP_PORT_GENEVE, UDP_PORT_VXLAN } from './transport.js';
