/**
 * sflowtool's names for the structures of records/host.ts, and the printing helpers the other host-family
 * mappings share (strings sflowtool prints only when non-empty, C float formats).
 */
import type { CounterFieldTable, FlowFieldTable, Put } from '../field-map.js';
import { addressText, float3, macPlain, percentage, putText, uuidText } from '../format.js';

/** extended_socket_ipv4/6 and their proxy forms: `prefix` is socket4_, proxy_socket6_, … */
export function putSocket(
  put: Put,
  prefix: string,
  v: { protocol: number; localIp: string; remoteIp: string; localPort: number; remotePort: number },
): void {
  put(`${prefix}ip_protocol`, v.protocol);
  put(`${prefix}local_ip`, addressText(v.localIp));
  put(`${prefix}remote_ip`, addressText(v.remoteIp));
  put(`${prefix}local_port`, v.localPort);
  put(`${prefix}remote_port`, v.remotePort);
}

export const flowFields: FlowFieldTable = {
  extended_socket_ipv4: (v, put) => {
    put('extendedType', 'socket4');
    putSocket(put, 'socket4_', v);
  },
  extended_socket_ipv6: (v, put) => {
    put('extendedType', 'socket6');
    putSocket(put, 'socket6_', v);
  },
};

export const counterFields: CounterFieldTable = {
  host_descr: (v, put) => {
    putText(put, 'hostname', v.hostname, 64);
    put('UUID', uuidText(v.uuid));
    put('machine_type', v.machineType);
    put('os_name', v.osName);
    putText(put, 'os_release', v.osRelease, 32);
  },
  host_adapters: (v, put) => {
    for (const [i, a] of v.adapters.entries()) {
      put(`adaptor_${i}_ifIndex`, a.ifIndex);
      put(`adaptor_${i}_MACs`, a.macAddress.length);
      for (const [j, m] of a.macAddress.entries()) put(`adaptor_${i}_MAC_${j}`, macPlain(m));
    }
  },
  host_parent: [
    ['parent_dsClass', 'containerType'],
    ['parent_dsIndex', 'containerIndex'],
  ],
  host_cpu: (v, put) => {
    put('cpu_load_one', float3(v.loadOne));
    put('cpu_load_five', float3(v.loadFive));
    put('cpu_load_fifteen', float3(v.loadFifteen));
    put('cpu_proc_run', v.procRun);
    put('cpu_proc_total', v.procTotal);
    put('cpu_num', v.cpuNum);
    put('cpu_speed', v.cpuSpeed);
    put('cpu_uptime', v.uptime);
    put('cpu_user', v.cpuUser);
    put('cpu_nice', v.cpuNice);
    put('cpu_system', v.cpuSystem);
    put('cpu_idle', v.cpuIdle);
    put('cpu_wio', v.cpuWio);
    put('cpuintr', v.cpuIntr);
    put('cpu_sintr', v.cpuSintr);
    put('cpuinterrupts', v.interrupts);
    put('cpu_contexts', v.contexts);
    // sflowtool reads all three once the record is longer than the 68 bytes of the original structure.
    if (v.cpuSteal !== undefined) {
      put('cpu_steal', v.cpuSteal);
      if (v.cpuGuest !== undefined) put('cpu_guest', v.cpuGuest);
      if (v.cpuGuestNice !== undefined) put('cpu_guest_nice', v.cpuGuestNice);
    }
  },
  host_memory: [
    ['mem_total', 'memTotal'],
    ['mem_free', 'memFree'],
    ['mem_shared', 'memShared'],
    ['mem_buffers', 'memBuffers'],
    ['mem_cached', 'memCached'],
    ['swap_total', 'swapTotal'],
    ['swap_free', 'swapFree'],
    ['page_in', 'pageIn'],
    ['page_out', 'pageOut'],
    ['swap_in', 'swapIn'],
    ['swap_out', 'swapOut'],
  ],
  host_disk_io: [
    ['disk_total', 'diskTotal'],
    ['disk_free', 'diskFree'],
    ['disk_partition_max_used', (v) => percentage(v.partMaxUsed)],
    ['disk_reads', 'reads'],
    ['disk_bytes_read', 'bytesRead'],
    ['disk_read_time', 'readTime'],
    ['disk_writes', 'writes'],
    ['disk_bytes_written', 'bytesWritten'],
    ['disk_write_time', 'writeTime'],
  ],
  host_net_io: [
    ['nio_bytes_in', 'bytesIn'],
    ['nio_pkts_in', 'pktsIn'],
    ['nio_errs_in', 'errsIn'],
    ['nio_drops_in', 'dropsIn'],
    ['nio_bytes_out', 'bytesOut'],
    ['nio_pkts_out', 'packetsOut'],
    ['nio_errs_out', 'errsOut'],
    ['nio_drops_out', 'dropsOut'],
  ],
  virt_node: [
    ['vnode_mhz', 'mhz'],
    ['vnode_cpus', 'cpus'],
    ['vnode_memory', 'memory'],
    ['vnode_memory_free', 'memoryFree'],
    ['vnode_num_domains', 'numDomains'],
  ],
  virt_cpu: [
    ['vcpu_state', 'state'],
    ['vcpu_cpu_mS', 'cpuTime'],
    ['vcpu_cpuCount', 'nrVirtCpu'],
  ],
  virt_memory: [
    ['vmem_memory', 'memory'],
    ['vmem_maxMemory', 'maxMemory'],
  ],
  virt_disk_io: [
    ['vdsk_capacity', 'capacity'],
    ['vdsk_allocation', 'allocation'],
    ['vdsk_available', 'available'],
    ['vdsk_rd_req', 'rdReq'],
    ['vdsk_rd_bytes', 'rdBytes'],
    ['vdsk_wr_req', 'wrReq'],
    ['vdsk_wr_bytes', 'wrBytes'],
    ['vdsk_errs', 'errs'],
  ],
  virt_net_io: [
    ['vnio_bytes_in', 'rxBytes'],
    ['vnio_pkts_in', 'rxPackets'],
    ['vnio_errs_in', 'rxErrs'],
    ['vnio_drops_in', 'rxDrop'],
    ['vnio_bytes_out', 'txBytes'],
    ['vnio_pkts_out', 'txPackets'],
    ['vnio_errs_out', 'txErrs'],
    ['vnio_drops_out', 'txDrop'],
  ],
};
