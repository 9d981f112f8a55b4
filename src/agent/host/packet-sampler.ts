/**
 * Packet sampling as hsflowd's `pcap { dev = eth0 }` does it, with the sampling in the kernel: a BPF filter on
 * the device's packet socket passes a random 1 in N (native/packet-reader), and each packet it passes becomes
 * a flow sample with the frame's header. As hsflowd's takeSample: the data source is the device (0:ifIndex);
 * the frame length counts a 4-byte FCS, which is `stripped`; the pool counts N packets a sample (the kernel
 * does not say how many it passed over); drops are what the socket lost (PACKET_STATISTICS). hsflowd tells
 * direction by looking the MACs up among the host's interfaces; the packet socket says it outright, so a
 * packet the host sends goes from the internal interface to the device, one it receives the other way.
 * https://github.com/sflow/host-sflow/blob/master/src/Linux/mod_pcap.c, readPackets.c
 */
import { fileURLToPath } from 'node:url';
import type { FlowSample } from '../../sflow/model.js';
import { ETHERNET, headerSample, IPV4, IPV6 } from './header-sample.js';
import { NativeReader } from './native-reader.js';

/** Where `npm run build` puts the reader (dist/native/packet-reader); absent when there was no C compiler. */
export const PACKET_READER = fileURLToPath(new URL('../../../native/packet-reader', import.meta.url));

export interface PacketSamplerOptions {
  /** The device, by name (hsflowd.conf's `pcap { dev }`). */
  dev: string;
  /** 1 in this many packets, drawn by the kernel. */
  samplingRate: number;
  headerBytes: number;
  /** `pcap { promisc = on }`: also see frames to other hosts' MACs. */
  promisc?: boolean;
  emit: (sample: FlowSample) => void;
  onError?: (message: string) => void;
  /** Prepended to the reader's command (tests: `ip netns exec NAME`). */
  prefix?: string[];
  reader?: string;
}

/** sFlow's ifIndex for the host itself: "packet originated / destined to the internal interface". */
export const INTERNAL_INTERFACE = 0x3fffffff;
// linux/if_packet.h PACKET_*, linux/if_arp.h ARPHRD_*.
const PACKET_OTHERHOST = 3;
const PACKET_OUTGOING = 4;
const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;
const FCS = 4;
const MAC_HEADER = 14;
const RECORD_HEADER = 16;

export class PacketSampler {
  private readonly reader: NativeReader;
  private sequence = 0;
  private pool = 0;
  private drops = 0;
  readonly counts = { samples: 0, drops: 0, malformed: 0, notIp: 0 };

  constructor(private readonly o: PacketSamplerOptions) {
    this.reader = new NativeReader({
      reader: o.reader ?? PACKET_READER,
      args: [o.dev, String(o.samplingRate), String(o.headerBytes), ...(o.promisc ? ['promisc'] : [])],
      prefix: o.prefix,
      ready: 'bound',
      dropReportBytes: 4,
      onRecord: (r) => this.record(r),
      // The reader sends its running total: the kernel's count resets each time it is read.
      onDrops: (report) => {
        this.drops = report.readUInt32LE(0);
        this.counts.drops = this.drops;
      },
      onError: o.onError,
    });
  }

  /** Starts the reader; resolves once its filter is on the device, rejects if it cannot. */
  start(): Promise<void> {
    return this.reader.start();
  }

  stop(): void {
    this.reader.stop();
  }

  private record(r: Buffer): void {
    if (r.length < RECORD_HEADER || r.length < RECORD_HEADER + r.readUInt32LE(12)) {
      this.counts.malformed++;
      return;
    }
    const ifIndex = r.readUInt32LE(0);
    const packetType = r.readUInt16LE(4);
    const linkType = r.readUInt16LE(6);
    const wireLength = r.readUInt32LE(8);
    const frame = r.subarray(RECORD_HEADER, RECORD_HEADER + r.readUInt32LE(12));
    const header = sampledHeader(linkType, frame, wireLength);
    if (header === undefined) {
      // hsflowd sends nothing for a non-IP packet on a link without a MAC header: its type is unknown.
      this.counts.notIp++;
      return;
    }
    const [input, output] =
      packetType === PACKET_OUTGOING
        ? [INTERNAL_INTERFACE, ifIndex]
        : [ifIndex, packetType === PACKET_OTHERHOST ? 0 : INTERNAL_INTERFACE];
    this.sequence = (this.sequence + 1) >>> 0;
    this.pool = (this.pool + this.o.samplingRate) >>> 0;
    this.counts.samples++;
    this.o.emit(
      headerSample({
        sequenceNumber: this.sequence,
        ifIndex,
        samplingRate: this.o.samplingRate,
        samplePool: this.pool,
        drops: this.drops,
        input,
        output,
        header,
      }),
    );
  }
}

/**
 * The sampled_header of a captured frame, as hsflowd's takeSample makes it: an Ethernet frame when there is a
 * MAC header (not all zeros, as loopback's is), else the IP packet, with the 14 bytes of a MAC header that it
 * assumes counted in frame length and `stripped`; undefined for a packet that is neither.
 */
export function sampledHeader(
  linkType: number,
  frame: Buffer,
  wireLength: number,
): { protocol: number; frameLength: number; stripped: number; header: Uint8Array } | undefined {
  const withMac = linkType === ARPHRD_ETHER || linkType === ARPHRD_LOOPBACK;
  if (withMac && frame.length >= MAC_HEADER && frame.subarray(0, 12).some((b) => b !== 0))
    return {
      protocol: ETHERNET,
      frameLength: wireLength + FCS,
      stripped: FCS,
      header: new Uint8Array(frame),
    };
  const macLength = withMac ? MAC_HEADER : 0;
  const packet = frame.subarray(macLength);
  const version = packet.length > 0 ? packet[0] >> 4 : 0;
  if (version !== 4 && version !== 6) return undefined;
  return {
    protocol: version === 4 ? IPV4 : IPV6,
    frameLength: wireLength - macLength + MAC_HEADER + FCS,
    stripped: MAC_HEADER + FCS,
    header: new Uint8Array(packet),
  };
}
