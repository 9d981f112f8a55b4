/**
 * Sample codecs (sample_data): https://sflow.org/sflow_version_5.txt for 0:1–0:4, https://sflow.org/sflow_drops.txt
 * for 0:5, sFlow-RT custom metrics for 4300:1002/1003. The compact forms (0:1, 0:2) pack the data source and the
 * interfaces into single words; they decode to the same fields as the expanded forms, and pack back exactly.
 */
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import type {
  CounterRecord,
  CountersSample,
  DiscardedPacketSample,
  FlowRecord,
  FlowSample,
  KnownSample,
  RtFlowSample,
  RtMetricSample,
} from './model.js';
import { decodeRecords, encodeRecords } from './record-list.js';
import { dataFormat } from './records/define.js';
import { COUNTER_BY_FORMAT, COUNTER_RECORDS, FLOW_BY_FORMAT, FLOW_RECORDS } from './registry.js';
import { RtFlow, RtMetric } from './rt-samples.js';

const FLOW_DEFS = FLOW_RECORDS as Record<string, (typeof FLOW_RECORDS)[keyof typeof FLOW_RECORDS]>;
const COUNTER_DEFS = COUNTER_RECORDS as Record<
  string,
  (typeof COUNTER_RECORDS)[keyof typeof COUNTER_RECORDS]
>;

export interface SampleCodec<S extends KnownSample = KnownSample> {
  readonly name: S['name'];
  readonly tag: string;
  readonly dataFormat: number;
  readonly spec: string;
  decode(r: XdrReader, index: number): S;
  encode(w: XdrWriter, s: S): void;
}

const V5 = 'https://sflow.org/sflow_version_5.txt';

function packed(value: number, bits: number, what: string, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${what} ${value} does not fit the compact form`);
  return value << bits;
}

/** 0:1 flow_sample: source_id = type << 24 | index; interface = format << 30 | value. */
const flowSample: SampleCodec<FlowSample> = {
  name: 'flow_sample',
  tag: '0:1',
  dataFormat: dataFormat(0, 1),
  spec: V5,
  decode(r, index) {
    const sequenceNumber = r.u32();
    const sourceId = r.u32();
    const samplingRate = r.u32();
    const samplePool = r.u32();
    const drops = r.u32();
    const input = r.u32();
    const output = r.u32();
    return {
      name: 'flow_sample',
      tag: '0:1',
      sequenceNumber,
      sourceIdType: sourceId >>> 24,
      sourceIdIndex: sourceId & 0xffffff,
      samplingRate,
      samplePool,
      drops,
      inputFormat: input >>> 30,
      inputValue: input & 0x3fffffff,
      outputFormat: output >>> 30,
      outputValue: output & 0x3fffffff,
      records: decodeRecords<FlowRecord>(r, FLOW_BY_FORMAT, index),
    };
  },
  encode(w, s) {
    w.u32(s.sequenceNumber);
    w.u32(
      (packed(s.sourceIdType, 24, 'source id type', 0xff) |
        packed(s.sourceIdIndex, 0, 'source id index', 0xffffff)) >>>
        0,
    );
    w.u32(s.samplingRate);
    w.u32(s.samplePool);
    w.u32(s.drops);
    w.u32(
      (packed(s.inputFormat, 30, 'input format', 3) | packed(s.inputValue, 0, 'input', 0x3fffffff)) >>> 0,
    );
    w.u32(
      (packed(s.outputFormat, 30, 'output format', 3) | packed(s.outputValue, 0, 'output', 0x3fffffff)) >>> 0,
    );
    encodeRecords(w, s.records, FLOW_DEFS);
  },
};

/** 0:3 flow_sample_expanded */
const flowSampleExpanded: SampleCodec<FlowSample> = {
  name: 'flow_sample_expanded',
  tag: '0:3',
  dataFormat: dataFormat(0, 3),
  spec: V5,
  decode(r, index) {
    return {
      name: 'flow_sample_expanded',
      tag: '0:3',
      sequenceNumber: r.u32(),
      sourceIdType: r.u32(),
      sourceIdIndex: r.u32(),
      samplingRate: r.u32(),
      samplePool: r.u32(),
      drops: r.u32(),
      inputFormat: r.u32(),
      inputValue: r.u32(),
      outputFormat: r.u32(),
      outputValue: r.u32(),
      records: decodeRecords<FlowRecord>(r, FLOW_BY_FORMAT, index),
    };
  },
  encode(w, s) {
    w.u32(s.sequenceNumber);
    w.u32(s.sourceIdType);
    w.u32(s.sourceIdIndex);
    w.u32(s.samplingRate);
    w.u32(s.samplePool);
    w.u32(s.drops);
    w.u32(s.inputFormat);
    w.u32(s.inputValue);
    w.u32(s.outputFormat);
    w.u32(s.outputValue);
    encodeRecords(w, s.records, FLOW_DEFS);
  },
};

/** 0:2 counters_sample */
const countersSample: SampleCodec<CountersSample> = {
  name: 'counters_sample',
  tag: '0:2',
  dataFormat: dataFormat(0, 2),
  spec: V5,
  decode(r, index) {
    const sequenceNumber = r.u32();
    const sourceId = r.u32();
    return {
      name: 'counters_sample',
      tag: '0:2',
      sequenceNumber,
      sourceIdType: sourceId >>> 24,
      sourceIdIndex: sourceId & 0xffffff,
      records: decodeRecords<CounterRecord>(r, COUNTER_BY_FORMAT, index),
    };
  },
  encode(w, s) {
    w.u32(s.sequenceNumber);
    w.u32(
      (packed(s.sourceIdType, 24, 'source id type', 0xff) |
        packed(s.sourceIdIndex, 0, 'source id index', 0xffffff)) >>>
        0,
    );
    encodeRecords(w, s.records, COUNTER_DEFS);
  },
};

/** 0:4 counters_sample_expanded */
const countersSampleExpanded: SampleCodec<CountersSample> = {
  name: 'counters_sample_expanded',
  tag: '0:4',
  dataFormat: dataFormat(0, 4),
  spec: V5,
  decode(r, index) {
    return {
      name: 'counters_sample_expanded',
      tag: '0:4',
      sequenceNumber: r.u32(),
      sourceIdType: r.u32(),
      sourceIdIndex: r.u32(),
      records: decodeRecords<CounterRecord>(r, COUNTER_BY_FORMAT, index),
    };
  },
  encode(w, s) {
    w.u32(s.sequenceNumber);
    w.u32(s.sourceIdType);
    w.u32(s.sourceIdIndex);
    encodeRecords(w, s.records, COUNTER_DEFS);
  },
};

/** 0:5 discarded_packet */
const discardedPacket: SampleCodec<DiscardedPacketSample> = {
  name: 'discarded_packet',
  tag: '0:5',
  dataFormat: dataFormat(0, 5),
  spec: 'https://sflow.org/sflow_drops.txt',
  decode(r, index) {
    return {
      name: 'discarded_packet',
      tag: '0:5',
      sequenceNumber: r.u32(),
      sourceIdType: r.u32(),
      sourceIdIndex: r.u32(),
      drops: r.u32(),
      inputIfIndex: r.u32(),
      outputIfIndex: r.u32(),
      reason: r.u32(),
      records: decodeRecords<FlowRecord>(r, FLOW_BY_FORMAT, index),
    };
  },
  encode(w, s) {
    w.u32(s.sequenceNumber);
    w.u32(s.sourceIdType);
    w.u32(s.sourceIdIndex);
    w.u32(s.drops);
    w.u32(s.inputIfIndex);
    w.u32(s.outputIfIndex);
    w.u32(s.reason);
    encodeRecords(w, s.records, FLOW_DEFS);
  },
};

const RT = 'https://sflow-rt.com/agent_custom_metrics.php';

/** 4300:1002 rtmetric */
const rtMetric: SampleCodec<RtMetricSample> = {
  name: 'rtmetric',
  tag: '4300:1002',
  dataFormat: dataFormat(4300, 1002),
  spec: RT,
  decode: (r) => ({ name: 'rtmetric', tag: '4300:1002', ...RtMetric.decode(r) }),
  encode: (w, s) => RtMetric.encode(w, s),
};

/** 4300:1003 rtflow */
const rtFlow: SampleCodec<RtFlowSample> = {
  name: 'rtflow',
  tag: '4300:1003',
  dataFormat: dataFormat(4300, 1003),
  spec: RT,
  decode: (r) => ({ name: 'rtflow', tag: '4300:1003', ...RtFlow.decode(r) }),
  encode: (w, s) => RtFlow.encode(w, s),
};

export const SAMPLE_CODECS = [
  flowSample,
  countersSample,
  flowSampleExpanded,
  countersSampleExpanded,
  discardedPacket,
  rtMetric,
  rtFlow,
] as SampleCodec[];

export const SAMPLE_BY_FORMAT = new Map(SAMPLE_CODECS.map((c) => [c.dataFormat, c]));
export const SAMPLE_BY_NAME = new Map(SAMPLE_CODECS.map((c) => [c.name as string, c]));
