/**
 * One datagram read the way sflowtool reads it, driving an Output. sflowtool reads field by field from the
 * datagram and prints as it goes; when something does not add up it stops the datagram where it is, and what
 * it printed so far stays printed. The envelope (datagram, sample and record headers) is read here in that
 * order; record bodies are decoded with the codec's schema and printed through the one name table
 * (field-names.ts). A record whose length disagrees with its contents is read past its end, as sflowtool
 * does, printed, and then ends the datagram with sflowtool's length error.
 */
import {
  COUNTER_BY_FORMAT,
  FLOW_BY_FORMAT,
  type FlowRecordValue,
  type RegistryEntry,
} from '../sflow/registry.js';
import { RtFlow, RtMetric } from '../sflow/rt-samples.js';
import { XdrReader } from '../xdr/reader.js';
import { XdrError } from '../xdr/xdr-error.js';
import { emit, type FieldMap, type Printable } from './field-map.js';
import { COUNTER_FIELDS, FLOW_FIELDS } from './field-names.js';
import { sflowtoolDropReason } from './fields/drops.js';
import { headerFields } from './header-fields.js';
import { SFLOWTOOL_COUNTER_FORMATS, SFLOWTOOL_FLOW_FORMATS } from './known-structures.js';
import type { Context, Output, Received, SampleKind } from './output.js';
import { decodePartial } from './partial-decode.js';
import { inOutPort, sampleFields } from './sample-fields.js';
import { COUNTER_MEMORY, FLOW_MEMORY } from './sample-memory.js';
import { SampleState } from './sample-state.js';
import { isoLocal } from './time-format.js';

export interface WalkOptions {
  /** Print structures sflowtool skips, in its style, instead of its "skipping unknown" line. */
  allStructures?: boolean;
  /** sflowtool's -v/-V: which VLANs pass (indexed by VLAN id); undefined lets everything through. */
  vlans?: Uint8Array;
}

/** sflowtool's exception codes, which it reports as "caught exception: N". */
const END_OF_DATA = 1;
const DECODE_ERROR = 2;
const LENGTH_ERROR = 3;

class Abort {
  constructor(readonly code: number) {}
}

const tagText = (t: number) => `${t >>> 12}:${t & 0xfff}`;
const padded = (n: number) => (((n + 3) >>> 2) << 2) >>> 0;

type FieldTable = Readonly<Record<string, FieldMap<unknown> | undefined>>;
type MemoryTable = Readonly<Record<string, ((s: SampleState, v: unknown, time: number) => void) | undefined>>;

/** What it takes to read a list of flow or counter records: codecs, names, what sflowtool knows and keeps. */
interface RecordList {
  byFormat: Map<number, RegistryEntry>;
  table: FieldTable;
  sflowtoolKnows: ReadonlySet<number>;
  memory: MemoryTable;
  /** sflowtool's word for one element, in its messages. */
  what: string;
}

const FLOW: RecordList = {
  byFormat: FLOW_BY_FORMAT,
  table: FLOW_FIELDS as FieldTable,
  sflowtoolKnows: SFLOWTOOL_FLOW_FORMATS,
  memory: FLOW_MEMORY as MemoryTable,
  what: 'flow_sample_element',
};

const COUNTERS: RecordList = {
  byFormat: COUNTER_BY_FORMAT,
  table: COUNTER_FIELDS as FieldTable,
  sflowtoolKnows: SFLOWTOOL_COUNTER_FORMATS,
  memory: COUNTER_MEMORY as MemoryTable,
  what: 'counters_sample_element',
};

/**
 * Structures whose optional tail sflowtool reads all or nothing, by the record's length: a length strictly
 * between these two makes it read the whole tail, past the record's end, and then stop on the length error.
 */
const WHOLE_TAIL: Readonly<Record<string, readonly [number, number]>> = {
  host_cpu: [68, 80],
  jvm_statistics: [100, 108],
};

const withAddress = new Map<unknown, boolean>();

/** Whether a structure has an address field of its own (cached: asked for every record). */
function hasAddress(codec: RegistryEntry['def']['codec']): boolean {
  let has = withAddress.get(codec);
  if (has === undefined) {
    const shape = codec.shape;
    has = shape.kind === 'struct' && Object.values(shape.fields).some((f) => f.shape.kind === 'address');
    withAddress.set(codec, has);
  }
  return has;
}

export class DatagramWalker {
  private data: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private c!: Context;
  private r!: Received;
  private s = new SampleState();
  private prefix = '';
  private readonly reader = new XdrReader();
  private readonly put: (name: string, value: Printable) => void;
  private readonly wants: boolean;

  constructor(
    private readonly out: Output,
    private readonly options: WalkOptions = {},
  ) {
    this.put = (name, value) => this.out.field(this.prefix ? this.prefix + name : name, value, this.c);
    this.wants = out.wantsFields;
  }

  walk(r: Received): void {
    this.r = r;
    this.data = r.bytes;
    this.pos = 0;
    this.prefix = '';
    this.c = {
      time: r.pcapSec || r.readSec,
      agent: '-',
      subAgentId: 0,
      sequenceNo: 0,
      dsClass: 0,
      dsIndex: 0,
      sampleType: 0,
      elementType: 0,
      scope: 'datagram',
    };
    this.reader.reset(r.bytes);
    this.out.mark();
    this.out.datagramStart(r, this.c);
    try {
      this.datagram();
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      this.out.error(`caught exception: ${e.code}\n`);
    }
    this.out.datagramEnd(r, this.c);
  }

  /** Numbers become text only for the formats that print fields. */
  private field(name: string, value: string | number): void {
    if (this.wants) this.out.field(this.prefix ? this.prefix + name : name, value, this.c);
  }

  private u32(): number {
    const p = this.pos;
    if (p + 4 > this.data.length) throw new Abort(END_OF_DATA);
    this.pos = p + 4;
    const d = this.data;
    return ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;
  }

  private skip(n: number): void {
    this.pos += padded(n);
    if (n > this.data.length || this.pos > this.data.length) throw new Abort(END_OF_DATA);
  }

  private lengthCheck(what: string, start: number, len: number): void {
    const found = this.pos - start;
    if (found !== padded(len)) {
      this.out.error(`${what} length error (expected ${len | 0}, found ${found})\n`);
      throw new Abort(LENGTH_ERROR);
    }
  }

  private address(): string {
    const type = this.u32();
    if (type === 1) {
      const p = this.pos;
      this.u32();
      const d = this.data;
      return `${d[p]}.${d[p + 1]}.${d[p + 2]}.${d[p + 3]}`;
    }
    if (type === 2) {
      const p = this.pos;
      this.skip(16);
      let a = '';
      for (let k = 0; k < 16; k += 2)
        a += `${k ? ':' : ''}${this.data[p + k].toString(16).padStart(2, '0')}${this.data[p + k + 1]
          .toString(16)
          .padStart(2, '0')}`;
      return a;
    }
    this.out.error(`unknown address type = ${type | 0}\n`);
    throw new Abort(END_OF_DATA);
  }

  private datagram(): void {
    const { r } = this;
    this.field('datagramSourceIP', r.source);
    this.field('datagramSize', r.bytes.length);
    this.field('unixSecondsUTC', r.readSec);
    this.field('unixSecondsUTC_uS', r.readUsec);
    if (this.wants) this.field('localtime', isoLocal(r.readSec));
    if (r.pcapSec && this.wants) {
      this.field('pcapTimestamp', isoLocal(r.pcapSec));
      this.field('pcapTimestamp_uS', r.pcapUsec);
    }
    const version = this.u32();
    this.field('datagramVersion', version);
    if (version !== 5) {
      this.receiveError(
        version === 2 || version === 4
          ? `sFlow version ${version} is not decoded by sflowkit\n`
          : 'unexpected datagram version number\n',
      );
    }
    this.c.agent = this.address();
    this.c.subAgentId = this.u32();
    this.field('agentSubId', this.c.subAgentId);
    this.c.sequenceNo = this.u32();
    const uptime = this.u32();
    const samples = this.u32();
    this.field('agent', this.c.agent);
    this.field('packetSequenceNo', this.c.sequenceNo);
    this.field('sysUpTime', uptime);
    this.field('samplesInPacket', samples);
    this.c.scope = 'sample';
    this.out.open('samples', '[');
    for (let i = 0; i < samples; i++) {
      if (this.pos >= this.data.length) {
        this.out.error(`unexpected end of datagram after sample ${i} of ${samples}\n`);
        throw new Abort(END_OF_DATA);
      }
      this.s = new SampleState();
      this.c.dsClass = 0;
      this.c.dsIndex = 0;
      this.c.elementType = 0;
      this.c.sampleType = this.u32();
      this.out.sampleStart(this.c);
      if (this.wants) this.field('sampleType_tag', tagText(this.c.sampleType));
      this.sample(this.c.sampleType);
      this.out.sampleEnd(this.c);
    }
    this.out.close(']');
  }

  /** sflowtool's receiveError: a message and a hex dump of the datagram, marked where reading stopped. */
  private receiveError(message: string): never {
    let dump = '';
    const d = this.data;
    for (let i = 0; i < d.length; i += 16) {
      const hex: string[] = [];
      for (let k = i; k < Math.min(i + 16, d.length); k++) {
        if (k === this.pos) hex.push('<*>');
        hex.push(d[k].toString(16).padStart(2, '0'));
      }
      dump += `${hex.join('-')}\n`;
    }
    this.out.error(`${message} (source IP = ${this.r.source})\n${dump}`);
    throw new Abort(DECODE_ERROR);
  }

  private sample(type: number): void {
    if (type === 1 || type === 3) this.flowSample(type === 3);
    else if (type === 2 || type === 4) this.countersSample(type === 4);
    else if (type === 5) this.discardSample();
    else if (type === ((4300 << 12) | 1002) || type === ((4300 << 12) | 1003)) this.rtSample(type);
    else {
      const len = this.u32();
      this.out.note(`skipping unknown sample: ${tagText(type)} len=${len | 0}\n`, this.c);
      this.skip(len);
    }
  }

  private done(kind: SampleKind): void {
    const { s } = this;
    const vlans = this.options.vlans;
    const passed = vlans === undefined || vlans[s.inVlan] === 1 || vlans[s.outVlan] === 1;
    this.out.sampleDone(kind, s, this.c, this.r, passed);
  }

  /** The sample's data source: two words when expanded, else class and index packed in one. */
  private dataSource(expanded: boolean): void {
    const { c } = this;
    if (expanded) {
      c.dsClass = this.u32();
      c.dsIndex = this.u32();
    } else {
      const id = this.u32();
      c.dsClass = id >>> 24;
      c.dsIndex = id & 0xffffff;
    }
  }

  private flowSample(expanded: boolean): void {
    const { c, s } = this;
    this.field('sampleType', 'FLOWSAMPLE');
    const len = this.u32();
    const start = this.pos;
    const seq = this.u32();
    this.dataSource(expanded);
    this.field('sampleSequenceNo', seq);
    if (this.wants) this.field('sourceId', `${c.dsClass}:${c.dsIndex}`);
    s.meanSkipCount = this.u32();
    const pool = this.u32();
    const drops = this.u32();
    this.field('meanSkipCount', s.meanSkipCount);
    this.field('samplePool', pool);
    this.field('dropEvents', drops);
    let inFormat: number;
    let outFormat: number;
    if (expanded) {
      inFormat = this.u32();
      s.inputPort = this.u32();
      outFormat = this.u32();
      s.outputPort = this.u32();
    } else {
      const i = this.u32();
      const o = this.u32();
      inFormat = i >>> 30;
      outFormat = o >>> 30;
      s.inputPort = i & 0x3fffffff;
      s.outputPort = o & 0x3fffffff;
    }
    if (this.wants) {
      this.field('inputPort', inOutPort(inFormat, s.inputPort));
      this.field('outputPort', inOutPort(outFormat, s.outputPort));
    }
    this.out.open('elements', '[');
    this.records(FLOW);
    this.lengthCheck('flow_sample', start, len);
    this.out.close(']');
    this.done('flow');
  }

  private discardSample(): void {
    const { c, s } = this;
    this.field('sampleType', 'DISCARD');
    const len = this.u32();
    const start = this.pos;
    const seq = this.u32();
    c.dsClass = this.u32();
    c.dsIndex = this.u32();
    this.field('sampleSequenceNo', seq);
    if (this.wants) this.field('sourceId', `${c.dsClass}:${c.dsIndex}`);
    this.field('dropEvents', this.u32());
    s.inputPort = this.u32();
    s.outputPort = this.u32();
    this.field('inputPort', s.inputPort);
    this.field('outputPort', s.outputPort);
    const reason = this.u32();
    this.field('discardCode', reason);
    this.field('discardReason', sflowtoolDropReason(reason) ?? 'NotFound');
    this.out.open('elements', '[');
    this.prefix = 'discarded_';
    this.records(FLOW);
    this.prefix = '';
    this.lengthCheck('discard_sample', start, len);
    this.out.close(']');
    this.done('discard');
  }

  private countersSample(expanded: boolean): void {
    const { c } = this;
    this.field('sampleType', 'COUNTERSSAMPLE');
    const len = this.u32();
    const start = this.pos;
    this.field('sampleSequenceNo', this.u32());
    this.dataSource(expanded);
    if (this.wants) this.field('sourceId', `${c.dsClass}:${c.dsIndex}`);
    this.out.open('elements', '[');
    this.records(COUNTERS);
    this.lengthCheck('counters_sample', start, len);
    this.out.close(']');
    this.done('counters');
  }

  private rtSample(type: number): void {
    const metric = type === ((4300 << 12) | 1002);
    const len = this.u32();
    const start = this.pos;
    const value = this.body(metric ? RtMetric : RtFlow, start, len);
    if (this.out.wantsFields) {
      const sample = { ...(value as object), name: metric ? 'rtmetric' : 'rtflow', tag: tagText(type) };
      this.field('sampleType', metric ? 'RTMETRIC' : 'RTFLOW');
      sampleFields(
        sample as Parameters<typeof sampleFields>[0],
        (n, v) => n !== 'sampleType_tag' && n !== 'sampleType' && this.put(n, v),
        sflowtoolDropReason,
      );
    }
    this.lengthCheck(metric ? 'rtmetric_sample' : 'rtflow_sample', start, len);
    this.done('rt');
  }

  /**
   * Decodes a body sflowtool's way: from `start` to wherever its fields end, which may be past `len`.
   * Truncation at the end of the datagram prints the fields that were there and stops the datagram.
   */
  private body(
    codec: RegistryEntry['def']['codec'],
    start: number,
    len: number,
    print?: FieldMap<unknown>,
    name = '',
  ) {
    const r = this.reader;
    const bound = Math.min(start + padded(len), this.data.length);
    const tail = WHOLE_TAIL[name];
    r.pos = start;
    r.end = tail && len > tail[0] && len < tail[1] ? start : bound;
    try {
      const value = codec.decode(r);
      if (r.pos === start + padded(len)) {
        this.pos = r.pos;
        return value;
      }
    } catch (e) {
      if (!(e instanceof XdrError)) throw e;
    }
    r.pos = start;
    r.end = this.data.length;
    try {
      const value = codec.decode(r);
      this.pos = r.pos;
      if (tail && len > tail[0] && len < tail[1] && r.pos - start < tail[1]) {
        // The datagram ended inside the tail sflowtool wanted whole.
        if (print && this.out.wantsFields) this.printPartial(print, value as Record<string, unknown>);
        throw new Abort(END_OF_DATA);
      }
      return value;
    } catch (e) {
      if (!(e instanceof XdrError)) throw e;
      r.pos = start;
      r.end = this.data.length;
      if (print && this.out.wantsFields) this.printPartial(print, decodePartial(codec, r));
      throw new Abort(e.code === 'TRUNCATED' ? END_OF_DATA : DECODE_ERROR);
    }
  }

  /** The lines of a partly read structure, up to the first that needs a field it does not have. */
  private printPartial(map: FieldMap<unknown>, partial: Record<string, unknown>): void {
    const stop = new Abort(END_OF_DATA);
    try {
      emit(map, partial, (name, value) => {
        if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) throw stop;
        this.put(name, value);
      });
    } catch (e) {
      if (e !== stop && !(e instanceof TypeError)) throw e;
    }
  }

  /**
   * sflowtool stops the datagram at an address of type 0 (our null), inside records as in the datagram
   * header, after printing the fields before it.
   */
  private checkAddresses(codec: RegistryEntry['def']['codec'], value: unknown, map: FieldMap<unknown>): void {
    const shape = codec.shape;
    if (shape.kind !== 'struct' || !hasAddress(codec)) return;
    const v = value as Record<string, unknown>;
    const before: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(shape.fields)) {
      if (field.shape.kind === 'address' && v[name] === null) {
        if (this.out.wantsFields) this.printPartial(map, before);
        this.out.error('unknown address type = 0\n');
        throw new Abort(END_OF_DATA);
      }
      before[name] = v[name];
    }
  }

  private records(list: RecordList): void {
    const { byFormat, table, sflowtoolKnows, memory, what } = list;
    const n = this.u32();
    for (let i = 0; i < n; i++) {
      this.out.open(null, '{');
      const format = this.u32();
      this.c.elementType = format;
      if (this.wants)
        this.field(what === 'flow_sample_element' ? 'flowBlock_tag' : 'counterBlock_tag', tagText(format));
      const len = this.u32();
      const start = this.pos;
      const entry = byFormat.get(format);
      const map = entry && table[entry.name];
      if (entry && map && (sflowtoolKnows.has(format) || this.options.allStructures)) {
        const value = this.body(entry.def.codec, start, len, map, entry.name);
        this.checkAddresses(entry.def.codec, value, map);
        if (this.out.wantsFields && !this.out.structure(entry.name, value, this.c))
          emit(map, value, this.put);
        this.remember(entry.name, value, start, memory);
      } else {
        this.out.note(`skipping unknown ${what}: ${tagText(format)} len=${len | 0}\n`, this.c);
        this.skip(len);
      }
      this.lengthCheck(what, start, len);
      this.out.close('}');
    }
  }

  /** What sflowtool keeps of a record for -l, -H, -t and the VLAN filter, and the header's own lines. */
  private remember(name: string, value: unknown, start: number, memory: MemoryTable): void {
    if (name === 'sampled_header') {
      const v = value as FlowRecordValue<'sampled_header'>;
      const { s } = this;
      s.sampledPacketSize = v.frameLength;
      s.stripped = v.stripped;
      s.header = v.header;
      const field = this.wants ? (n: string, x: string | number) => this.field(n, x) : () => {};
      headerFields(v.protocol, this.data, start + 16, v.header.length, s, field, (t) =>
        this.out.note(t, this.c),
      );
      return;
    }
    memory[name]?.(this.s, value, this.c.time);
  }
}
