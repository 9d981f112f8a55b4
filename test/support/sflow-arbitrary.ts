/**
 * The datagram builder of the property tests: fast-check arbitraries derived from each structure's schema, so
 * every structure in the registry can be generated without a hand-written value (and without hand-typed hex).
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import type { Datagram, Sample } from '../../src/sflow/model.js';
import type { RecordDef } from '../../src/sflow/records/define.js';
import { COUNTER_RECORDS, FLOW_RECORDS } from '../../src/sflow/registry.js';
import { RtFlow, RtMetric } from '../../src/sflow/rt-samples.js';
import type { Codec } from '../../src/sflow/schema.js';
import { ipv4Text, ipv6Text, macText } from '../../src/xdr/address-text.js';

const MAX_LIST = 3;
const MAX_BYTES = 48;

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const ipv4 = bytes(4).map((b) => ipv4Text(b));
const ipv6 = bytes(16).map((b) => ipv6Text(b));

function text(max: number | undefined): fc.Arbitrary<string | Uint8Array> {
  const limit = Math.min(max ?? MAX_BYTES, MAX_BYTES);
  const valid = fc.string({ unit: 'binary', maxLength: limit }).filter((s) => Buffer.byteLength(s) <= limit);
  // Strings that are not UTF-8 stay bytes in the model.
  const invalid = fc.uint8Array({ minLength: 1, maxLength: limit }).filter((b) => !isUtf8(b));
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: invalid, weight: 1 });
}

export function arbitraryOf(codec: Codec<unknown>): fc.Arbitrary<unknown> {
  const s = codec.shape;
  switch (s.kind) {
    case 'u32':
    case 'enum':
      return u32;
    case 'i32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'u64':
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case 'i64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'f32':
      return fc.float();
    case 'f64':
      return fc.double();
    case 'ipv4':
      return ipv4;
    case 'ipv6':
      return ipv6;
    case 'mac':
      return bytes(6).map((b) => macText(b));
    case 'address':
      return fc.oneof(fc.constant(null), ipv4, ipv6);
    case 'string':
      return text(s.max);
    case 'opaque':
      return fc.uint8Array({ maxLength: Math.min(s.max ?? MAX_BYTES, MAX_BYTES) });
    case 'fixed':
      return bytes(s.size);
    case 'array':
      return fc.array(arbitraryOf(s.of), { maxLength: Math.min(s.max ?? MAX_LIST, MAX_LIST) });
    case 'optional':
      return arbitraryOf(s.of);
    case 'union':
      return fc.oneof(
        ...Object.entries(s.arms).map(([type, arm]) =>
          arbitraryOf(arm).map((value) => ({ type: Number(type), value })),
        ),
      );
    case 'struct':
      return structOf(s.fields);
    case 'custom':
      // The nested record list of extended_80211_aggregation: any flow record but another aggregation.
      if (s.name === 'flow_record<>')
        return fc.array(
          fc.constant(null).chain(() => NESTED_FLOW_RECORD),
          { maxLength: 2 },
        );
      throw new Error(`no generator for custom codec ${s.name}`);
  }
}

/** Trailing optional fields are present up to a cut: a decoder can only tell absence at the end. */
function structOf(fields: Readonly<Record<string, Codec<unknown>>>): fc.Arbitrary<unknown> {
  const names = Object.keys(fields);
  const optionals = names.filter((n) => fields[n].shape.kind === 'optional').length;
  const values = names.map((n) => arbitraryOf(fields[n]));
  return fc.tuple(fc.tuple(...values), fc.integer({ min: 0, max: optionals })).map(([vals, present]) => {
    const out: Record<string, unknown> = {};
    const firstAbsent = names.length - optionals + present;
    names.forEach((n, i) => {
      out[n] = i >= firstAbsent ? undefined : vals[i];
    });
    return out;
  });
}

type Entry = [string, RecordDef];

function recordOf([name, def]: Entry): fc.Arbitrary<{ name: string; tag: string; value: unknown }> {
  return arbitraryOf(def.codec as Codec<unknown>).map((value) => ({ name, tag: def.tag, value }));
}

const unknownRecord = fc
  .tuple(
    fc.integer({ min: 0, max: 0xfffff }),
    fc.integer({ min: 0, max: 0xfff }),
    fc.uint8Array({ maxLength: 24 }),
  )
  .filter(
    ([e, f]) =>
      !Object.values({ ...FLOW_RECORDS, ...COUNTER_RECORDS }).some(
        (d) => d.enterprise === e && d.format === f,
      ),
  )
  .map(([e, f, b]) => ({ name: 'unknown' as const, tag: `${e}:${f}`, bytes: b }));

export const FLOW_ENTRIES = Object.entries(FLOW_RECORDS) as Entry[];

const NESTED_FLOW_RECORD = fc.oneof(
  ...FLOW_ENTRIES.filter(([n]) => n !== 'extended_80211_aggregation').map(recordOf),
  unknownRecord,
);
export const COUNTER_ENTRIES = Object.entries(COUNTER_RECORDS) as Entry[];

const anyFlowRecord = fc.oneof(...FLOW_ENTRIES.map(recordOf), unknownRecord);
const anyCounterRecord = fc.oneof(...COUNTER_ENTRIES.map(recordOf), unknownRecord);

/** A flow sample, compact or expanded, whose records come from `records`. */
export function flowSampleOf(records: fc.Arbitrary<unknown>): fc.Arbitrary<Sample> {
  const compact = fc.boolean();
  return compact.chain((isCompact) =>
    fc.record({
      name: fc.constant(isCompact ? 'flow_sample' : 'flow_sample_expanded'),
      tag: fc.constant(isCompact ? '0:1' : '0:3'),
      sequenceNumber: u32,
      sourceIdType: isCompact ? fc.integer({ min: 0, max: 255 }) : u32,
      sourceIdIndex: isCompact ? fc.integer({ min: 0, max: 0xffffff }) : u32,
      samplingRate: u32,
      samplePool: u32,
      drops: u32,
      inputFormat: isCompact ? fc.integer({ min: 0, max: 3 }) : u32,
      inputValue: isCompact ? fc.integer({ min: 0, max: 0x3fffffff }) : u32,
      outputFormat: isCompact ? fc.integer({ min: 0, max: 3 }) : u32,
      outputValue: isCompact ? fc.integer({ min: 0, max: 0x3fffffff }) : u32,
      records: fc.array(records, { maxLength: MAX_LIST }),
    }),
  ) as fc.Arbitrary<Sample>;
}

export function countersSampleOf(records: fc.Arbitrary<unknown>): fc.Arbitrary<Sample> {
  return fc.boolean().chain((isCompact) =>
    fc.record({
      name: fc.constant(isCompact ? 'counters_sample' : 'counters_sample_expanded'),
      tag: fc.constant(isCompact ? '0:2' : '0:4'),
      sequenceNumber: u32,
      sourceIdType: isCompact ? fc.integer({ min: 0, max: 255 }) : u32,
      sourceIdIndex: isCompact ? fc.integer({ min: 0, max: 0xffffff }) : u32,
      records: fc.array(records, { maxLength: MAX_LIST }),
    }),
  ) as fc.Arbitrary<Sample>;
}

export function discardSampleOf(records: fc.Arbitrary<unknown>): fc.Arbitrary<Sample> {
  return fc.record({
    name: fc.constant('discarded_packet'),
    tag: fc.constant('0:5'),
    sequenceNumber: u32,
    sourceIdType: u32,
    sourceIdIndex: u32,
    drops: u32,
    inputIfIndex: u32,
    outputIfIndex: u32,
    reason: u32,
    records: fc.array(records, { maxLength: MAX_LIST }),
  }) as fc.Arbitrary<Sample>;
}

export function namedSampleOf(
  name: 'rtmetric' | 'rtflow',
  codec: Codec<unknown>,
  tag: string,
): fc.Arbitrary<Sample> {
  return arbitraryOf(codec).map((v) => ({ name, tag, ...(v as object) }) as Sample);
}

export function datagramOf(samples: fc.Arbitrary<Sample>): fc.Arbitrary<Datagram> {
  return fc.record({
    version: fc.constant(5 as const),
    agentAddress: fc.oneof(ipv4, ipv6),
    subAgentId: u32,
    sequenceNumber: u32,
    uptime: u32,
    samples: fc.array(samples, { maxLength: 4 }),
  });
}

/** Any record of the registry. */
export const ANY_FLOW_RECORD = anyFlowRecord;
export const ANY_COUNTER_RECORD = anyCounterRecord;

/** Any of the 7 sample types, with any registered records. */
export const ANY_SAMPLE: fc.Arbitrary<Sample> = fc.oneof(
  flowSampleOf(ANY_FLOW_RECORD),
  countersSampleOf(ANY_COUNTER_RECORD),
  discardSampleOf(ANY_FLOW_RECORD),
  namedSampleOf('rtmetric', RtMetric, '4300:1002'),
  namedSampleOf('rtflow', RtFlow, '4300:1003'),
);
