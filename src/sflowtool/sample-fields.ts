/** sflowtool's lines for what the walker prints from our model: ports' formats, and the rtmetric and rtflow samples. */
import type { RtFlowSample, RtMetricSample } from '../sflow/model.js';
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

const METRIC_TYPES = ['string', 'counter32', 'counter64', 'gauge32', 'gauge64', 'gaugeFloat', 'gaugeDouble'];
const FLOW_TYPES = ['string', 'mac', 'ip', 'ip6', 'int32', 'int64', 'float', 'double'];

/** sflowtool formats these into a 200-byte buffer: huge values lose their last digits. */
const double3 = (x: number) => float3(x).slice(0, 199);

/** The lines of an rtmetric or rtflow sample after its type (they have no records). */
export function rtSampleFields(s: RtMetricSample | RtFlowSample, put: Put): void {
  switch (s.name) {
    case 'rtmetric':
      if (s.datasource.length > 0) put('rtmetric_datasource_name', text(s.datasource, 64));
      for (const m of s.metrics) {
        const v = m.value;
        const shown = v.type === 0 ? text(v.value, 255) : v.type >= 5 ? double3(v.value as number) : v.value;
        put(`rtmetric_${METRIC_TYPES[v.type]}_${text(m.name, 64)}`, shown);
      }
      return;
    case 'rtflow':
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
