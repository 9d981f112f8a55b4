/**
 * One packet record of a pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html) or pcapng
 * (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html) file, as the readers return it.
 */
export interface CapturedFrame {
  /** LINKTYPE_ number of the frame's interface (https://www.tcpdump.org/linktypes.html). */
  linkType: number;
  /** Nanoseconds since the epoch; 0n for a pcapng Simple Packet Block, which has no timestamp. */
  timestampNs: bigint;
  /** The captured bytes: a view into the file's bytes, not a copy. */
  data: Uint8Array;
  /** Length of the packet on the wire; more than data.length when the capture cut it short (snap length). */
  originalLength: number;
  /** pcapng interface number within its section; 0 for pcap. */
  interfaceId: number;
  /** Byte offset of the record or block in the file, for error reports. */
  offset: number;
}
