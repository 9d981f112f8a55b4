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
  /** The data source's name ("3", "2.1"). */
  readonly dataSource: string;
  /** Its key in flow tables, "agent dataSource". */
  readonly source: string;

  constructor(
    /** The agent address. */
    readonly agent: string,
    readonly sample: FlowSample | DiscardedPacketSample,
    /** When the sample arrived, milliseconds since the epoch. */
    readonly time: number,
    /** The names of the sample's data source, when the caller keeps them (SourceNames). */
    names?: { dataSource: string; source: string },
  ) {
    this.dataSource = names?.dataSource ?? dataSourceName(sample.sourceIdType, sample.sourceIdIndex);
    this.source = names?.source ?? `${agent} ${this.dataSource}`;
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

/**
 * The names of data sources, made once and kept: a sample's data source is looked up by its agent (a string
 * hashed once per datagram) and its numbers, instead of building and hashing "agent dataSource" per sample.
 */
export class SourceNames {
  private readonly agents = new Map<string, Map<number, { dataSource: string; source: string }>>();

  of(agent: string, type: number, index: number): { dataSource: string; source: string } {
    let sources = this.agents.get(agent);
    if (sources === undefined) {
      sources = new Map();
      this.agents.set(agent, sources);
    }
    const id = type * 0x1000000 + index;
    let names = sources.get(id);
    if (names === undefined) {
      const dataSource = dataSourceName(type, index);
      names = { dataSource, source: `${agent} ${dataSource}` };
      sources.set(id, names);
    }
    return names;
  }

  /** Forgets an agent's names (it was lost). */
  forget(agent: string): void {
    this.agents.delete(agent);
  }
}
