/**
 * The decoded sFlow v5 datagram: what `decodeDatagram` returns and `encodeDatagram` takes. Field names are the
 * spec's, in camelCase. 32-bit values are numbers, 64-bit values bigints, addresses text, opaque data views.
 */
import type { DecodeErrorInfo } from './decode-error.js';
import type { CounterRecordName, CounterRecordValue, FlowRecordName, FlowRecordValue } from './registry.js';
import type { RtFlowValue, RtMetricValue } from './rt-samples.js';

/** A record whose tag no codec claims: kept as its bytes, re-encoded identically. */
export interface UnknownRecord {
  name: 'unknown';
  tag: string;
  bytes: Uint8Array;
}

/** A record or sample whose length was sound but whose content failed to decode: kept as its bytes. */
export interface InvalidElement {
  name: 'invalid';
  tag: string;
  /** The registry name it was meant to be read as. */
  structure: string;
  bytes: Uint8Array;
  error: DecodeErrorInfo;
}

/**
 * Present only when the producer left non-zero bytes in XDR padding: `value` is decoded as the spec says, and
 * `raw` keeps the element's original bytes, which the encoder writes instead of `value` (drop `raw` after
 * changing `value`).
 */
interface Raw {
  raw?: Uint8Array;
}

export type KnownFlowRecord = {
  [N in FlowRecordName]: { name: N; tag: string; value: FlowRecordValue<N> } & Raw;
}[FlowRecordName];

export type KnownCounterRecord = {
  [N in CounterRecordName]: { name: N; tag: string; value: CounterRecordValue<N> } & Raw;
}[CounterRecordName];

export type FlowRecord = KnownFlowRecord | UnknownRecord | InvalidElement;
export type CounterRecord = KnownCounterRecord | UnknownRecord | InvalidElement;

/** Data source of a sample: the expanded form's two fields; the compact form packs them into one word. */
interface SampleSource extends Raw {
  sequenceNumber: number;
  sourceIdType: number;
  sourceIdIndex: number;
}

/** 0:1 flow_sample and 0:3 flow_sample_expanded. */
export interface FlowSample extends SampleSource {
  name: 'flow_sample' | 'flow_sample_expanded';
  tag: string;
  samplingRate: number;
  samplePool: number;
  drops: number;
  /** Interface format: 0 ifIndex, 1 packet discarded (value = reason), 2 multiple interfaces (value = count). */
  inputFormat: number;
  inputValue: number;
  outputFormat: number;
  outputValue: number;
  records: FlowRecord[];
}

/** 0:2 counters_sample and 0:4 counters_sample_expanded. */
export interface CountersSample extends SampleSource {
  name: 'counters_sample' | 'counters_sample_expanded';
  tag: string;
  records: CounterRecord[];
}

/** 0:5 discarded_packet (https://sflow.org/sflow_drops.txt). */
export interface DiscardedPacketSample extends SampleSource {
  name: 'discarded_packet';
  tag: string;
  drops: number;
  inputIfIndex: number;
  outputIfIndex: number;
  reason: number;
  records: FlowRecord[];
}

/** 4300:1002 rtmetric (sFlow-RT custom metrics). */
export interface RtMetricSample extends RtMetricValue, Raw {
  name: 'rtmetric';
  tag: string;
}

/** 4300:1003 rtflow (sFlow-RT custom flows). */
export interface RtFlowSample extends RtFlowValue, Raw {
  name: 'rtflow';
  tag: string;
}

export type KnownSample = FlowSample | CountersSample | DiscardedPacketSample | RtMetricSample | RtFlowSample;
export type Sample = KnownSample | UnknownRecord | InvalidElement;

export interface Datagram {
  version: 5;
  /** IPv4 or IPv6 text. */
  agentAddress: string;
  subAgentId: number;
  sequenceNumber: number;
  /** Milliseconds since the agent booted. */
  uptime: number;
  samples: Sample[];
  /** Bytes after the last sample, when a producer sent any. */
  trailing?: Uint8Array;
}
