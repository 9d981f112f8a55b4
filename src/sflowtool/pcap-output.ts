/**
 * sflowtool's binary outputs, pcap on stdout: -t the sampled headers of flow samples, -T those of discarded-
 * packet samples (both as Ethernet frames with their original length), -M each datagram itself, wrapped in
 * Ethernet, IPv4 and UDP to port 6343.
 */
import { LINKTYPE, PcapWriter, wrapUdp } from '../capture/index.js';
import { parseIpv4 } from '../xdr/address-text.js';
import { type Context, Output, type Received, receivedNs, type SampleKind } from './output.js';
import type { SampleState } from './sample-state.js';

export type PcapContent = 'headers' | 'discards' | 'datagrams';

/** sflowtool's snap length (SA_MAX_PCAP_PKT). */
const SNAP = 65536;
const NO_ADDRESS = new Uint8Array(4);

export class PcapOutput extends Output {
  readonly wantsFields = false;
  private readonly writer = new PcapWriter({ linkType: LINKTYPE.ETHERNET, snapLength: SNAP });

  /** `redact` (-x) cuts each header where its payload starts. */
  constructor(
    private readonly content: PcapContent,
    private readonly redact = false,
  ) {
    super();
    this.binary.push(this.writer.fileHeader());
  }

  override datagramStart(r: Received): void {
    if (this.content !== 'datagrams') return;
    // IPv4 frames: an IPv6 sender's datagram is wrapped with no source address.
    const source = r.sender?.includes('.') ? parseIpv4(r.sender) : NO_ADDRESS;
    const frame = wrapUdp(r.bytes, {
      srcAddress: source,
      srcPort: 6343,
      dstAddress: NO_ADDRESS,
      dstPort: 6343,
    });
    this.binary.push(this.writer.record({ timestampNs: receivedNs(r), data: frame }));
  }

  override sampleDone(kind: SampleKind, s: SampleState, _c: Context, r: Received, passed: boolean): void {
    const wanted = this.content === 'headers' ? 'flow' : this.content === 'discards' ? 'discard' : undefined;
    if (kind !== wanted || !passed || s.header === undefined) return;
    const data = this.redact && s.offsetToPayload > 0 ? s.header.subarray(0, s.offsetToPayload) : s.header;
    this.binary.push(
      this.writer.record({
        timestampNs: receivedNs(r),
        data,
        originalLength: Math.max(s.sampledPacketSize, data.length),
      }),
    );
  }
}
