/**
 * The records of a sample, each read as sflowtool reads it: the tag and length by hand, the body with its
 * codec (bounded by its length first, and past it only when that does not add up, as sflowtool reads on), its
 * lines through the name table, and what sflowtool keeps of it in the sample's state.
 */
import type { FlowRecordValue, RegistryEntry } from '../sflow/registry.js';
import { COUNTER_BY_FORMAT, FLOW_BY_FORMAT } from '../sflow/registry.js';
import { XdrError } from '../xdr/xdr-error.js';
import { emit, type FieldMap } from './field-map.js';
import { COUNTER_FIELDS, FLOW_FIELDS } from './field-names.js';
import { CutShort, DashedHex, tagText } from './format.js';
import { headerFields } from './header-fields.js';
import { SFLOWTOOL_COUNTER_FORMATS, SFLOWTOOL_FLOW_FORMATS } from './known-structures.js';
import { decodePartial } from './partial-decode.js';
import { COUNTER_MEMORY, FLOW_MEMORY } from './sample-memory.js';
import type { SampleState } from './sample-state.js';
import { Abort, DECODE_ERROR, END_OF_DATA, padded, WalkCursor } from './walk-cursor.js';

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

export const FLOW: RecordList = {
  byFormat: FLOW_BY_FORMAT,
  table: FLOW_FIELDS as FieldTable,
  sflowtoolKnows: SFLOWTOOL_FLOW_FORMATS,
  memory: FLOW_MEMORY as MemoryTable,
  what: 'flow_sample_element',
};

export const COUNTERS: RecordList = {
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

/** Structures sflowtool reads whole before it prints their fields: cut short, they print their type line only. */
const READ_WHOLE = new Set([
  'sampled_ipv4',
  'sampled_ipv6',
  'extended_ipv4_tunnel_egress',
  'extended_ipv4_tunnel_ingress',
  'extended_ipv6_tunnel_egress',
  'extended_ipv6_tunnel_ingress',
]);

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

export abstract class RecordReader extends WalkCursor {
  /**
   * Decodes a body sflowtool's way: from `start` to wherever its fields end, which may be past `len`.
   * Truncation at the end of the datagram prints the fields that were there and stops the datagram.
   */
  protected body(
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
      if (print && this.out.wantsFields)
        this.printPartial(print, READ_WHOLE.has(name) ? {} : decodePartial(codec, r));
      // Running past the datagram is sflowtool's end-of-data exception, however our reader noticed it.
      const pastEnd = e.code === 'TRUNCATED' || e.code === 'LENGTH_OVERRUN' || e.code === 'COUNT_TOO_LARGE';
      throw new Abort(pastEnd ? END_OF_DATA : DECODE_ERROR);
    }
  }

  /** The lines of a partly read structure, up to the first that needs a field it does not have. */
  protected printPartial(map: FieldMap<unknown>, partial: Record<string, unknown>): void {
    const stop = new Abort(END_OF_DATA);
    try {
      emit(map, partial, (name, value) => {
        if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) throw stop;
        // Bytes that were not there (CutShort): the length printed before them was all.
        if (value instanceof DashedHex && value.bytes instanceof CutShort) throw stop;
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
  protected checkAddresses(
    codec: RegistryEntry['def']['codec'],
    value: unknown,
    map: FieldMap<unknown>,
  ): void {
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
  protected records(list: RecordList): void {
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
  protected remember(name: string, value: unknown, start: number, memory: MemoryTable): void {
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
