/**
 * One flow sample as the flow definitions see it: its agent and data source, its records by name, and the
 * sampled packet header decoded at most once, on the first key or filter that asks for it. Keys, filters and
 * values all read from here, so a sample that no definition looks into costs nothing more than its decode.
 */
import { type DecodedPacket, decodeHeader } from '../packet/index.js';
import type { DiscardedPacketSample, FlowSample, KnownFlowRecord } from '../sflow/model.js';
import type { FlowRecordName, FlowRecordValue } from '../sflow/registry.js';

export class FlowContext {
  private decoded: DecodedPacket | null | undefined;
  /** The data source's name, and its key in flow tables ("agent dataSource"): made once per sample. */
  readonly dataSource: string;
  readonly source: string;

  constructor(
    /** The agent address. */
    readonly agent: string,
    readonly sample: FlowSample | DiscardedPacketSample,
    /** When the sample arrived, milliseconds since the epoch. */
    readonly time: number,
  ) {
    this.dataSource = dataSourceName(sample.sourceIdType, sample.sourceIdIndex);
    this.source = `${agent} ${this.dataSource}`;
  }

  /** How many packets (or transactions) this one sample stands for. */
  get scale(): number {
    const s = this.sample;
    return s.name === 'discarded_packet' ? 1 : Math.max(1, s.samplingRate);
  }

  /** The first record called `name`, if the sample has one. */
  record<N extends FlowRecordName>(name: N): FlowRecordValue<N> | undefined {
    for (const r of this.sample.records as KnownFlowRecord[])
      if (r.name === name) return r.value as FlowRecordValue<N>;
    return undefined;
  }

  /** The sampled packet header, decoded (undefined when the sample carries none). */
  packet(): DecodedPacket | undefined {
    if (this.decoded === undefined) {
      const h = this.record('sampled_header');
      this.decoded = h === undefined ? null : decodeHeader(h.protocol, h.header, h.frameLength, h.stripped);
    }
    return this.decoded ?? undefined;
  }

  /** The sampled frame's length in bytes: the header record's frame length, else the sampled IP length. */
  frameBytes(): number | undefined {
    const h = this.record('sampled_header');
    if (h !== undefined) return h.frameLength;
    const v4 = this.record('sampled_ipv4');
    if (v4 !== undefined) return v4.length;
    return this.record('sampled_ipv6')?.length;
  }
}

export function dataSourceName(type: number, index: number): string {
  return type === 0 ? String(index) : `${type}.${index}`;
}
