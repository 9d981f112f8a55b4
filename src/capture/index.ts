/**
 * Capture files: read pcap and pcapng, find the UDP datagrams in their frames, write pcap and pcapng.
 * pcap https://www.tcpdump.org/manpages/pcap-savefile.5.html, pcapng
 * https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html, link types https://www.tcpdump.org/linktypes.html
 */
export {
  CAPTURE_ERRORS,
  CaptureError,
  type CaptureErrorCode,
  type CaptureErrorInfo,
} from './capture-error.js';
export type { CapturedFrame } from './captured-frame.js';
export {
  buildIpUdp,
  type IpUdpOptions,
  type Ipv6Extension,
  internetChecksum,
  onesComplementSum,
  type UdpEndpoints,
  type WrapUdpOptions,
  wrapUdp,
} from './frame-builder.js';
export { type LinkSkipReason, type NetworkLayer, networkLayer } from './link-layers.js';
export { LINKTYPE, type LinkTypeName, linkTypeName } from './link-types.js';
export {
  isPcap,
  PCAP_MAGIC_MODIFIED,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  type PcapHeader,
  readPcap,
  readPcapHeader,
} from './pcap-reader.js';
export {
  concatChunks,
  DEFAULT_SNAP_LENGTH,
  type FrameToWrite,
  PcapWriter,
  type PcapWriterOptions,
  writePcap,
} from './pcap-writer.js';
export { BLOCK_TYPE, BYTE_ORDER_MAGIC, isPcapng, OPTION, readPcapng } from './pcapng-reader.js';
export {
  encodeBlock,
  encodeOptions,
  type PcapngInterfaceOptions,
  type PcapngOption,
  PcapngWriter,
  type PcapngWriterOptions,
  writePcapng,
} from './pcapng-writer.js';
export {
  type CaptureContents,
  type CaptureFormat,
  captureFormat,
  readCapture,
  readCaptureAll,
} from './read-capture.js';
export { readCaptureStream } from './read-capture-stream.js';
export {
  NS_PER_SECOND,
  splitTimestamp,
  type TimestampParts,
  type TimestampResolution,
  timestampNs,
  timestampSeconds,
} from './timestamp.js';
export {
  emptySkipCounts,
  extractUdp,
  SKIP_REASONS,
  type SkipCounts,
  type SkipReason,
  type UdpDatagram,
  type UdpPayloadOptions,
  udpPayloads,
} from './udp-extract.js';
