/**
 * The flow sample both of the host agent's packet samplers send (NFLOG, nflog-sampler.ts; pcap,
 * packet-sampler.ts): one sampled_header record (0:1) from an ifIndex data source, as hsflowd sends it.
 */
import type { FlowSample } from '../../sflow/model.js';
import type { FlowRecordValue } from '../../sflow/registry.js';

// sFlow sampled_header header_protocol (https://sflow.org/sflow_version_5.txt).
export const ETHERNET = 1;
export const IPV4 = 11;
export const IPV6 = 12;

export interface HeaderSampleFields {
  sequenceNumber: number;
  /** The data source's ifIndex. */
  ifIndex: number;
  samplingRate: number;
  samplePool: number;
  drops: number;
  input: number;
  output: number;
  header: FlowRecordValue<'sampled_header'>;
}

export function headerSample(f: HeaderSampleFields): FlowSample {
  return {
    name: 'flow_sample',
    tag: '0:1',
    sequenceNumber: f.sequenceNumber,
    sourceIdType: 0,
    sourceIdIndex: f.ifIndex,
    samplingRate: f.samplingRate,
    samplePool: f.samplePool,
    drops: f.drops >>> 0,
    inputFormat: 0,
    inputValue: f.input,
    outputFormat: 0,
    outputValue: f.output,
    records: [{ name: 'sampled_header', tag: '0:1', value: f.header }],
  };
}
