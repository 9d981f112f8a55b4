/**
 * Flow samples for the key, filter and value tests, made the way a collector gets them: a FlowSample built
 * from records, encoded into a datagram by encodeDatagram and decoded back by decodeDatagram, then wrapped in
 * a FlowContext. Headers come from the packet builders of src/packet.
 */
import { decodeDatagram, encodeDatagram } from '../sflow/index.js';
import type { DiscardedPacketSample, FlowRecord, FlowSample } from '../sflow/model.js';
import { FlowContext } from './flow-context.js';
import type { KeyEnv } from './flow-keys.js';
import { Groups } from './groups.js';

export interface SampleOptions {
  agent?: string;
  samplingRate?: number;
  sourceIdType?: number;
  sourceIdIndex?: number;
  inputFormat?: number;
  inputValue?: number;
  outputFormat?: number;
  outputValue?: number;
}

/** A sampled_header record of an Ethernet frame; the frame length counts a 4-byte FCS the agent stripped. */
export function header(frame: Uint8Array, protocol = 1): FlowRecord {
  return {
    name: 'sampled_header',
    tag: '0:1',
    value: { protocol, frameLength: frame.length + 4, stripped: 4, header: frame.subarray(0, 128) },
  };
}

function roundTrip(agent: string, sample: FlowSample | DiscardedPacketSample): FlowContext {
  const bytes = encodeDatagram({
    version: 5,
    agentAddress: agent,
    subAgentId: 0,
    sequenceNumber: 1,
    uptime: 1000,
    samples: [sample],
  });
  const d = decodeDatagram(bytes);
  const s = d.samples[0];
  if (s.name !== 'flow_sample' && s.name !== 'discarded_packet') throw new Error(`decoded a ${s.name}`);
  return new FlowContext(d.agentAddress, s, 1_000_000);
}

/** A flow sample of these records, through encode and decode. */
export function flowContext(records: FlowRecord[], o: SampleOptions = {}): FlowContext {
  return roundTrip(o.agent ?? '192.0.2.1', {
    name: 'flow_sample',
    tag: '0:1',
    sequenceNumber: 1,
    sourceIdType: o.sourceIdType ?? 0,
    sourceIdIndex: o.sourceIdIndex ?? 3,
    samplingRate: o.samplingRate ?? 1000,
    samplePool: 1000,
    drops: 0,
    inputFormat: o.inputFormat ?? 0,
    inputValue: o.inputValue ?? 3,
    outputFormat: o.outputFormat ?? 0,
    outputValue: o.outputValue ?? 7,
    records,
  });
}

/** A sample of one Ethernet frame (and any other records). */
export function frameContext(frame: Uint8Array, o: SampleOptions = {}, more: FlowRecord[] = []): FlowContext {
  return flowContext([header(frame), ...more], o);
}

/** A discarded_packet sample (sflow_drops.txt) of one frame. */
export function dropContext(frame: Uint8Array, reason: number, input = 3, output = 0): FlowContext {
  return roundTrip('192.0.2.1', {
    name: 'discarded_packet',
    tag: '0:5',
    sequenceNumber: 1,
    sourceIdType: 0,
    sourceIdIndex: 3,
    drops: 0,
    inputIfIndex: input,
    outputIfIndex: output,
    reason,
    records: [header(frame)],
  });
}

/** A key environment with one group set, `site`. */
export function testEnv(): KeyEnv {
  const groups = new Groups();
  groups.set('site', {
    external: ['0.0.0.0/0', '::/0'],
    internal: ['10.0.0.0/8', 'fd00::/8'],
    servers: ['10.1.0.0/16'],
    web: ['10.1.2.3/32'],
  });
  return { groups };
}
