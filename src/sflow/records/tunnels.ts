/**
 * Flow records of the sFlow Tunnel Structures: https://sflow.org/sflow_tunnels.txt
 * Egress structures describe outer headers the device adds on encapsulation, ingress structures those it
 * removed on decapsulation; each wraps a core sampled_* structure.
 */
import { struct, u32 } from '../schema.js';
import { record } from './define.js';
import { SampledEthernet, SampledIpv4, SampledIpv6 } from './sflow-v5.js';

const SPEC = 'https://sflow.org/sflow_tunnels.txt';

/** 0:1021 extended_L2_tunnel_egress */
export const ExtendedL2TunnelEgress = struct({ header: SampledEthernet });

/** 0:1022 extended_L2_tunnel_ingress */
export const ExtendedL2TunnelIngress = struct({ header: SampledEthernet });

/** 0:1023 extended_ipv4_tunnel_egress */
export const ExtendedIpv4TunnelEgress = struct({ header: SampledIpv4 });

/** 0:1024 extended_ipv4_tunnel_ingress */
export const ExtendedIpv4TunnelIngress = struct({ header: SampledIpv4 });

/** 0:1025 extended_ipv6_tunnel_egress */
export const ExtendedIpv6TunnelEgress = struct({ header: SampledIpv6 });

/** 0:1026 extended_ipv6_tunnel_ingress */
export const ExtendedIpv6TunnelIngress = struct({ header: SampledIpv6 });

/** 0:1027 extended_decapsulate_egress: the packet was sampled before decapsulation; offset of the inner header */
export const ExtendedDecapsulateEgress = struct({ innerHeaderOffset: u32 });

/** 0:1028 extended_decapsulate_ingress: sampled after encapsulation; offset of the inner header */
export const ExtendedDecapsulateIngress = struct({ innerHeaderOffset: u32 });

/** 0:1029 extended_vni_egress */
export const ExtendedVniEgress = struct({ vni: u32 });

/** 0:1030 extended_vni_ingress */
export const ExtendedVniIngress = struct({ vni: u32 });

export const flowRecords = {
  extended_L2_tunnel_egress: record(0, 1021, ExtendedL2TunnelEgress, SPEC),
  extended_L2_tunnel_ingress: record(0, 1022, ExtendedL2TunnelIngress, SPEC),
  extended_ipv4_tunnel_egress: record(0, 1023, ExtendedIpv4TunnelEgress, SPEC),
  extended_ipv4_tunnel_ingress: record(0, 1024, ExtendedIpv4TunnelIngress, SPEC),
  extended_ipv6_tunnel_egress: record(0, 1025, ExtendedIpv6TunnelEgress, SPEC),
  extended_ipv6_tunnel_ingress: record(0, 1026, ExtendedIpv6TunnelIngress, SPEC),
  extended_decapsulate_egress: record(0, 1027, ExtendedDecapsulateEgress, SPEC),
  extended_decapsulate_ingress: record(0, 1028, ExtendedDecapsulateIngress, SPEC),
  extended_vni_egress: record(0, 1029, ExtendedVniEgress, SPEC),
  extended_vni_ingress: record(0, 1030, ExtendedVniIngress, SPEC),
};

export const counterRecords = {};
