/**
 * sflowtool's names for the structures of records/broadcom.ts. It decodes hw_tables (readCounters_bcm_tables);
 * the buffer structures and the egress queue record are named here in the same style.
 */
import type { CounterFieldTable, FlowFieldTable, Put } from '../field-map.js';

/** A spec percentage (int, hundredths, -1 unknown) in sflowtool's sf_log_percentage format ("%.2f"). */
const pc = (hundredths: number) => (hundredths === -1 ? 'unknown' : (hundredths / 100).toFixed(2));

function queues(name: string, list: readonly number[], put: Put): void {
  list.forEach((x, q) => {
    put(`${name}.${q}`, pc(x));
  });
}

export const flowFields: FlowFieldTable = {
  extended_bst_egress_queue: [
    ['extendedType', () => 'bst_egress_queue'],
    ['bst_egress_queue_id', 'queue'],
  ],
};

export const counterFields: CounterFieldTable = {
  bst_device_buffers: [
    ['bst_device_uc_pc', (v) => pc(v.ucPc)],
    ['bst_device_mc_pc', (v) => pc(v.mcPc)],
  ],
  bst_port_buffers: (v, put) => {
    put('bst_port_ingress_uc_pc', pc(v.ingressUcPc));
    put('bst_port_ingress_mc_pc', pc(v.ingressMcPc));
    put('bst_port_egress_uc_pc', pc(v.egressUcPc));
    put('bst_port_egress_mc_pc', pc(v.egressMcPc));
    queues('bst_port_egress_queue_uc_pc', v.egressQueueUcPc, put);
    queues('bst_port_egress_queue_mc_pc', v.egressQueueMcPc, put);
  },
  // The first name is sflowtool's (bcm_asic_host_entries), as are the _max names.
  hw_tables: [
    ['bcm_asic_host_entries', 'hostEntries'],
    ['bcm_host_entries_max', 'hostEntriesMax'],
    ['bcm_ipv4_entries', 'ipv4Entries'],
    ['bcm_ipv4_entries_max', 'ipv4EntriesMax'],
    ['bcm_ipv6_entries', 'ipv6Entries'],
    ['bcm_ipv6_entries_max', 'ipv6EntriesMax'],
    ['bcm_ipv4_ipv6_entries', 'ipv4Ipv6Entries'],
    ['bcm_ipv4_ipv6_entries_max', 'ipv6Ipv6EntriesMax'],
    ['bcm_long_ipv6_entries', 'longIpv6Entries'],
    ['bcm_long_ipv6_entries_max', 'longIpv6EntriesMax'],
    ['bcm_total_routes', 'totalRoutes'],
    ['bcm_total_routes_max', 'totalRoutesMax'],
    ['bcm_ecmp_nexthops', 'ecmpNexthops'],
    ['bcm_ecmp_nexthops_max', 'ecmpNexthopsMax'],
    ['bcm_mac_entries', 'macEntries'],
    ['bcm_mac_entries_max', 'macEntriesMax'],
    ['bcm_ipv4_neighbors', 'ipv4Neighbors'],
    ['bcm_ipv6_neighbors', 'ipv6Neighbors'],
    ['bcm_ipv4_routes', 'ipv4Routes'],
    ['bcm_ipv6_routes', 'ipv6Routes'],
    ['bcm_acl_ingress_entries', 'aclIngressEntries'],
    ['bcm_acl_ingress_entries_max', 'aclIngressEntriesMax'],
    ['bcm_acl_ingress_counters', 'aclIngressCounters'],
    ['bcm_acl_ingress_counters_max', 'aclIngressCountersMax'],
    ['bcm_acl_ingress_meters', 'aclIngressMeters'],
    ['bcm_acl_ingress_meters_max', 'aclIngressMetersMax'],
    ['bcm_acl_ingress_slices', 'aclIngressSlices'],
    ['bcm_acl_ingress_slices_max', 'aclIngressSlicesMax'],
    ['bcm_acl_egress_entries', 'aclEgressEntries'],
    ['bcm_acl_egress_entries_max', 'aclEgressEntriesMax'],
    ['bcm_acl_egress_counters', 'aclEgressCounters'],
    ['bcm_acl_egress_counters_max', 'aclEgressCountersMax'],
    ['bcm_acl_egress_meters', 'aclEgressMeters'],
    ['bcm_acl_egress_meters_max', 'aclEgressMetersMax'],
    ['bcm_acl_egress_slices', 'aclEgressSlices'],
    ['bcm_acl_egress_slices_max', 'aclEgressSlicesMax'],
  ],
};
