/** sflowtool's lines for the datagram header and for each sample type, before the records. */
import type { Datagram, KnownSample } from '../sflow/model.js';
import type { Put } from './field-map.js';
import { addressText, float3, macPlain, text } from './format.js';

/** printInOutPort: the interface format decides the prefix. */
export function inOutPort(format: number, value: number): string {
  switch (format) {
    case 0:
      return String(value);
    case 1:
      return `dropCode ${value}`;
    case 2:
      return `multiple ${value}`;
    case 3:
      return `format==3 ${value}`;
    default:
      return '';
  }
}

export function datagramFields(d: Datagram, size: number, put: Put): void {
  put('datagramSize', size);
  put('datagramVersion', d.version);
  put('agentSubId', d.subAgentId);
  put('agent', addressText(d.agentAddress));
  put('packetSequenceNo', d.sequenceNumber);
  put('sysUpTime', d.uptime);
  put('samplesInPacket', d.samples.length);
}

/** sflowtool formats these into a 200-byte buffer: huge values lose their last digits. */
const double3 = (x: number) => float3(x).slice(0, 199);

const METRIC_TYPES = ['string', 'counter32', 'counter64', 'gauge32', 'gauge64', 'gaugeFloat', 'gaugeDouble'];
const FLOW_TYPES = ['string', 'mac', 'ip', 'ip6', 'int32', 'int64', 'float', 'double'];

/** The lines of a sample before its records (and all lines of rtmetric and rtflow, which have none). */
export function sampleFields(
  s: KnownSample,
  put: Put,
  discardReason: (code: number) => string | undefined,
): void {
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
      put('discardReason', discardReason(s.reason) ?? 'NotFound');
      return;
    case 'rtmetric':
      put('sampleType', 'RTMETRIC');
      if (s.datasource.length > 0) put('rtmetric_datasource_name', text(s.datasource, 64));
      for (const m of s.metrics) {
        const v = m.value;
        const shown = v.type === 0 ? text(v.value, 255) : v.type >= 5 ? double3(v.value as number) : v.value;
        put(`rtmetric_${METRIC_TYPES[v.type]}_${text(m.name, 64)}`, shown);
      }
      return;
    case 'rtflow':
      put('sampleType', 'RTFLOW');
      if (s.datasource.length > 0) put('rtflow_datasource_name', text(s.datasource, 64));
      put('rtflow_sampling_rate', s.samplingRate);
      put('rtflow_sample_pool', s.samplePool);
      for (const f of s.values) {
        const v = f.value;
        const shown =
          v.type === 0
            ? text(v.value, 255)
            : v.type === 1
              ? macPlain(v.value)
              : v.type === 3
                ? addressText(v.value)
                : v.type >= 6
                  ? double3(v.value as number)
                  : v.value;
        put(`rtflow_${FLOW_TYPES[v.type]}_${text(f.name, 64)}`, shown);
      }
      return;
  }
}
