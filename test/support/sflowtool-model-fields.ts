/**
 * sflowtool's datagram and sample lines as our model holds their values, for the conformance suite: it checks
 * that our decode of each field is what sflowtool printed. (The decoder's printers read these lines from the
 * datagram's bytes in sflowtool's order, src/sflowtool/walker.ts.)
 */
import type { Datagram, KnownSample } from '../../src/sflow/model.js';
import type { Put } from '../../src/sflowtool/field-map.js';
import { sflowtoolDropReason } from '../../src/sflowtool/fields/drops.js';
import { addressText } from '../../src/sflowtool/format.js';
import { inOutPort, rtSampleFields } from '../../src/sflowtool/sample-fields.js';

export function datagramFields(d: Datagram, size: number, put: Put): void {
  put('datagramSize', size);
  put('datagramVersion', d.version);
  put('agentSubId', d.subAgentId);
  put('agent', addressText(d.agentAddress));
  put('packetSequenceNo', d.sequenceNumber);
  put('sysUpTime', d.uptime);
  put('samplesInPacket', d.samples.length);
}

/** The lines of a sample before its records (and all lines of rtmetric and rtflow, which have none). */
export function sampleFields(s: KnownSample, put: Put): void {
  put('sampleType_tag', s.tag);
  switch (s.name) {
    case 'flow_sample':
    case 'flow_sample_expanded':
      put('sampleType', 'FLOWSAMPLE');
      put('sampleSequenceNo', s.sequenceNumber);
      put('sourceId', `${s.sourceIdType}:${s.sourceIdIndex}`);
      put('meanSkipCount', s.samplingRate);
      put('samplePool', s.samplePool);
      put('dropEvents', s.drops);
      put('inputPort', inOutPort(s.inputFormat, s.inputValue));
      put('outputPort', inOutPort(s.outputFormat, s.outputValue));
      return;
    case 'counters_sample':
    case 'counters_sample_expanded':
      put('sampleType', 'COUNTERSSAMPLE');
      put('sampleSequenceNo', s.sequenceNumber);
      put('sourceId', `${s.sourceIdType}:${s.sourceIdIndex}`);
      return;
    case 'discarded_packet':
      put('sampleType', 'DISCARD');
      put('sampleSequenceNo', s.sequenceNumber);
      put('sourceId', `${s.sourceIdType}:${s.sourceIdIndex}`);
      put('dropEvents', s.drops);
      put('inputPort', s.inputIfIndex);
      put('outputPort', s.outputIfIndex);
      put('discardCode', s.reason);
      put('discardReason', sflowtoolDropReason(s.reason) ?? 'NotFound');
      return;
    case 'rtmetric':
    case 'rtflow':
      put('sampleType', s.name === 'rtmetric' ? 'RTMETRIC' : 'RTFLOW');
      rtSampleFields(s, put);
      return;
  }
}
