/**
 * Packet sampling as the seeds' hsflowd does it with ULOG, in its modern form: the kernel picks packets (an
 * iptables `-m statistic --mode random --probability P -j NFLOG --nflog-group G` rule, or nftables' numgen),
 * native/nflog-reader reads group G over nfnetlink, and each packet becomes a flow sample with its header.
 * The sampling rate is 1/P (hsflowd's floor), the sample pool counts rate packets a sample (the kernel does
 * not say how many it passed over), and drops count what the socket lost (ENOBUFS). The data source is the
 * packet's input interface (0:ifIndex), its output when it has no input (locally sent packets).
 */
import { fileURLToPath } from 'node:url';
import type { FlowSample } from '../../sflow/model.js';
import { ETHERNET, headerSample, IPV4, IPV6 } from './header-sample.js';
import { NativeReader } from './native-reader.js';

/** Where `npm run build` puts the reader (dist/native/nflog-reader); absent when there was no C compiler. */
export const NFLOG_READER = fileURLToPath(new URL('../../../native/nflog-reader', import.meta.url));

export interface NflogOptions {
  group: number;
  /** 1 in this many packets, as the rule's probability says. */
  samplingRate: number;
  headerBytes: number;
  /** Receives each sample. */
  emit: (sample: FlowSample) => void;
  onError?: (message: string) => void;
  /** Prepended to the reader's command (tests: `ip netns exec NAME`). */
  prefix?: string[];
  reader?: string;
}

interface Source {
  sequence: number;
  pool: number;
}

export class NflogSampler {
  private readonly reader: NativeReader;
  private drops = 0;
  private readonly sources = new Map<number, Source>();
  readonly counts = { samples: 0, drops: 0, malformed: 0 };

  constructor(private readonly o: NflogOptions) {
    this.reader = new NativeReader({
      reader: o.reader ?? NFLOG_READER,
      args: [String(o.group), String(o.headerBytes)],
      prefix: o.prefix,
      ready: 'bound',
      // nflog-reader's marker stands for one ENOBUFS: at least one packet lost.
      dropReportBytes: 0,
      onRecord: (r) => this.record(r),
      onDrops: () => {
        this.drops++;
        this.counts.drops++;
      },
      onError: o.onError,
    });
  }

  /** Starts the reader; resolves once it has bound the group, rejects if it cannot. */
  start(): Promise<void> {
    return this.reader.start();
  }

  stop(): void {
    this.reader.stop();
  }

  private record(r: Buffer): void {
    if (r.length < 16) {
      this.counts.malformed++;
      return;
    }
    const input = r.readUInt32LE(0);
    const output = r.readUInt32LE(4);
    const hwLength = r.readUInt16LE(10);
    const copied = r.readUInt32LE(12);
    const hw = r.subarray(16, 16 + hwLength);
    const packet = r.subarray(16 + hwLength, 16 + hwLength + copied);
    const version = packet.length > 0 ? packet[0] >> 4 : 0;
    const ipLength =
      version === 4 && packet.length >= 4
        ? packet.readUInt16BE(2)
        : version === 6 && packet.length >= 6
          ? packet.readUInt16BE(4) + 40
          : packet.length;
    // With the MAC header the sample is an Ethernet frame as a switch would send it; without, the IP packet.
    const ethernet = hwLength === 14;
    const header = ethernet ? Buffer.concat([hw, packet]) : packet;
    const protocol = ethernet ? ETHERNET : version === 6 ? IPV6 : IPV4;
    const index = input || output;
    const s = this.sources.get(index) ?? { sequence: 0, pool: 0 };
    s.sequence = (s.sequence + 1) >>> 0;
    s.pool = (s.pool + this.o.samplingRate) >>> 0;
    this.sources.set(index, s);
    this.counts.samples++;
    this.o.emit(
      headerSample({
        sequenceNumber: s.sequence,
        ifIndex: index,
        samplingRate: this.o.samplingRate,
        samplePool: s.pool,
        drops: this.drops,
        input,
        output,
        // Ethernet frames count their FCS in the frame length, as switches report them.
        header: {
          protocol,
          frameLength: ipLength + (ethernet ? 14 + 4 : 0),
          stripped: ethernet ? 4 : 0,
          header: new Uint8Array(header),
        },
      }),
    );
  }
}
