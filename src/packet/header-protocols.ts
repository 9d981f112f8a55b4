/**
 * `header_protocol` of the sampled_header record (sFlow v5, https://sflow.org/sflow_version_5.txt, 0:1;
 * 16–18 from later sFlow structures). The decoder starts at Ethernet, IPv4, IPv6, MPLS or 802.11 and leaves
 * the others undecoded.
 */
export const HEADER_PROTOCOL = {
  ETHERNET_ISO8023: 1,
  ISO88024_TOKENBUS: 2,
  ISO88025_TOKENRING: 3,
  FDDI: 4,
  FRAME_RELAY: 5,
  X25: 6,
  PPP: 7,
  SMDS: 8,
  AAL5: 9,
  AAL5_IP: 10,
  IPv4: 11,
  IPv6: 12,
  MPLS: 13,
  POS: 14,
  IEEE80211MAC: 15,
  IEEE80211_AMPDU: 16,
  IEEE80211_AMSDU_SUBFRAME: 17,
  INFINIBAND: 18,
} as const;

export type HeaderProtocolName = keyof typeof HEADER_PROTOCOL;
