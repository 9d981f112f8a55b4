/**
 * sflowtool's names for the structures of records/tunnels.ts. sflowtool reads the wrapped sampled_* structure
 * with its own reader under a prefix: flowSampleType gets it in front of its value, every other line in front
 * of its name; so these reuse the sampled_* mappings of sflow-v5.ts.
 */
import { type CounterFieldTable, emit, type FieldMap, type FlowFieldTable, type Put } from '../field-map.js';
import { flowFields as core } from './sflow-v5.js';

function prefixed<V>(map: FieldMap<V> | undefined, prefix: string): (v: { header: V }, put: Put) => void {
  if (map === undefined) throw new Error('sflow-v5 mapping missing');
  return (v, put) =>
    emit(map, v.header, (name, value) =>
      name === 'flowSampleType' ? put(name, `${prefix}${value}`) : put(`${prefix}${name}`, value),
    );
}

export const flowFields: FlowFieldTable = {
  extended_L2_tunnel_egress: prefixed(core.sampled_ethernet, 'tunnel_l2_out_'),
  extended_L2_tunnel_ingress: prefixed(core.sampled_ethernet, 'tunnel_l2_in_'),
  extended_ipv4_tunnel_egress: prefixed(core.sampled_ipv4, 'tunnel_ipv4_out_'),
  extended_ipv4_tunnel_ingress: prefixed(core.sampled_ipv4, 'tunnel_ipv4_in_'),
  extended_ipv6_tunnel_egress: prefixed(core.sampled_ipv6, 'tunnel_ipv6_out_'),
  extended_ipv6_tunnel_ingress: prefixed(core.sampled_ipv6, 'tunnel_ipv6_in_'),
  extended_decapsulate_egress: [
    ['extendedType', () => 'out_decap'],
    ['out_decap_inner_header_offset', 'innerHeaderOffset'],
  ],
  extended_decapsulate_ingress: [
    ['extendedType', () => 'in_decap'],
    ['in_decap_inner_header_offset', 'innerHeaderOffset'],
  ],
  extended_vni_egress: [
    ['extendedType', () => 'out_VNI'],
    ['out_VNI', 'vni'],
  ],
  extended_vni_ingress: [
    ['extendedType', () => 'in_VNI'],
    ['in_VNI', 'vni'],
  ],
};

export const counterFields: CounterFieldTable = {};
