/**
 * Metrics of the sFlow Host Structures (https://sflow.org/sflow_host.txt) and NVML GPUs
 * (https://sflow.org/sflow_nvml.txt), with sFlow-RT's names: what hsflowd sends for a physical host (data
 * source 2:1), a hypervisor's virtual machines (3:N) and its GPUs. CPU times become percents of all CPU time
 * in the interval, as Ganglia's gmond computes them; docs/metrics.md gives each name's source and unit.
 */

import { MACHINE_TYPES, OS_NAMES } from '../sflow/records/host.js';
import type { CounterRecordName, CounterRecordValue } from '../sflow/registry.js';
import { change, hasInterval, num, percent, put, type RecordMetrics } from './counter-rules.js';
import type { Metrics } from './interface-metrics.js';

type Spec<N extends CounterRecordName> = RecordMetrics<CounterRecordValue<N>>;
type HostCpu = CounterRecordValue<'host_cpu'>;

/** libvirt's virDomainState, the state of virt_cpu. */
const DOMAIN_STATES = [
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
];

/**
 * The CPU times of host_cpu, as percents of their sum over the interval. Guest time is already counted in user
 * time and guest-nice in nice (Linux /proc/stat), so the two stay out of the sum, as in gmond's sflow.c.
 */
const CPU_TIMES: readonly [string, keyof HostCpu, 'total' | 'part'][] = [
  ['cpu_user', 'cpuUser', 'total'],
  ['cpu_nice', 'cpuNice', 'total'],
  ['cpu_system', 'cpuSystem', 'total'],
  ['cpu_idle', 'cpuIdle', 'total'],
  ['cpu_wio', 'cpuWio', 'total'],
  ['cpu_intr', 'cpuIntr', 'total'],
  ['cpu_sintr', 'cpuSintr', 'total'],
  ['cpu_steal', 'cpuSteal', 'total'],
  ['cpu_guest', 'cpuGuest', 'part'],
  ['cpu_guest_nice', 'cpuGuestNice', 'part'],
];

const LOADS = ['load_one', 'load_five', 'load_fifteen'] as const;

function cpuTimes(m: Metrics, now: HostCpu, before: HostCpu | undefined, seconds: number | undefined): void {
  if (before === undefined || !hasInterval(before, seconds)) return;
  const deltas = CPU_TIMES.map(([name, field, role]) => {
    // cpu_steal and the guest times are absent from agents older than 2014 (68-byte host_cpu).
    const present = now[field] !== undefined && before[field] !== undefined;
    return { name, role, present, d: present ? change(before[field], now[field]) : 0 };
  });
  // A reset of any time makes the sum meaningless: no percents at all.
  if (deltas.some((x) => x.present && x.d === undefined)) return;
  const total = deltas.filter((x) => x.role === 'total').reduce((s, x) => s + (x.d as number), 0);
  for (const x of deltas) if (x.present) put(m, x.name, percent(x.d, total));
  const idle = num(m, 'cpu_idle');
  if (idle !== undefined) m.cpu_utilization = 100 - idle;
}

function loadPerCpu(m: Metrics): void {
  const cpus = num(m, 'cpu_num');
  if (!cpus) return;
  for (const load of LOADS) {
    const v = num(m, load);
    if (v !== undefined) m[`${load}_per_cpu`] = v / cpus;
  }
}

function uuidText(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 16 || bytes.every((b) => b === 0)) return undefined; // nil: unknown
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

const hostDescr: Spec<'host_descr'> = {
  rules: [
    ['host_name', 'hostname', 'text'],
    ['os_release', 'osRelease', 'text'],
  ],
  derived: ['machine_type', 'os_name', 'uuid'],
  derive: (m, now) => {
    m.machine_type = MACHINE_TYPES[now.machineType as keyof typeof MACHINE_TYPES] ?? String(now.machineType);
    m.os_name = OS_NAMES[now.osName as keyof typeof OS_NAMES] ?? String(now.osName);
    const uuid = uuidText(now.uuid);
    if (uuid) m.uuid = uuid;
  },
  virtualPrefix: 'vir_',
};

const hostCpu: Spec<'host_cpu'> = {
  rules: [
    ['load_one', 'loadOne', 'known'],
    ['load_five', 'loadFive', 'known'],
    ['load_fifteen', 'loadFifteen', 'known'],
    ['proc_run', 'procRun', 'gauge'],
    ['proc_total', 'procTotal', 'gauge'],
    ['cpu_num', 'cpuNum', 'gauge'],
    ['cpu_speed', 'cpuSpeed', 'gauge'],
    ['uptime', 'uptime', 'gauge'],
    ['interrupts', 'interrupts', 'counter'],
    ['contexts', 'contexts', 'counter'],
  ],
  derived: [...CPU_TIMES.map(([name]) => name), 'cpu_utilization', ...LOADS.map((load) => `${load}_per_cpu`)],
  derive: (m, now, before, seconds) => {
    cpuTimes(m, now, before, seconds);
    loadPerCpu(m);
  },
};

const hostMemory: Spec<'host_memory'> = {
  rules: [
    ['mem_total', 'memTotal', 'gauge'],
    ['mem_free', 'memFree', 'gauge'],
    ['mem_shared', 'memShared', 'gauge'],
    ['mem_buffers', 'memBuffers', 'gauge'],
    ['mem_cached', 'memCached', 'gauge'],
    ['swap_total', 'swapTotal', 'gauge'],
    ['swap_free', 'swapFree', 'gauge'],
    ['page_in', 'pageIn', 'counter'],
    ['page_out', 'pageOut', 'counter'],
    ['swap_in', 'swapIn', 'counter'],
    ['swap_out', 'swapOut', 'counter'],
  ],
  derived: ['mem_used', 'mem_utilization'],
  derive: (m) => {
    // Used as free(1) counts it: buffers and page cache are memory the kernel gives back on demand.
    const [total, free, buffers, cached] = ['mem_total', 'mem_free', 'mem_buffers', 'mem_cached'].map((n) =>
      num(m, n),
    );
    if (total === undefined || free === undefined) return;
    const used = total - free - (buffers ?? 0) - (cached ?? 0);
    if (used < 0) return;
    m.mem_used = used;
    put(m, 'mem_utilization', percent(used, total));
  },
};

const hostDiskIo: Spec<'host_disk_io'> = {
  rules: [
    ['disk_total', 'diskTotal', 'gauge'],
    ['disk_free', 'diskFree', 'gauge'],
    ['part_max_used', 'partMaxUsed', 'hundredths'],
    ['reads', 'reads', 'counter'],
    ['bytes_read', 'bytesRead', 'counter'],
    ['read_time', 'readTime', 'counter'],
    ['writes', 'writes', 'counter'],
    ['bytes_written', 'bytesWritten', 'counter'],
    ['write_time', 'writeTime', 'counter'],
  ],
  derived: ['disk_utilization'],
  derive: (m) => {
    const [total, free] = [num(m, 'disk_total'), num(m, 'disk_free')];
    if (total !== undefined && free !== undefined) put(m, 'disk_utilization', percent(total - free, total));
  },
};

const hostNetIo: Spec<'host_net_io'> = {
  rules: [
    ['bytes_in', 'bytesIn', 'counter'],
    ['pkts_in', 'pktsIn', 'counter'],
    ['errs_in', 'errsIn', 'counter'],
    ['drops_in', 'dropsIn', 'counter'],
    ['bytes_out', 'bytesOut', 'counter'],
    ['pkts_out', 'packetsOut', 'counter'],
    ['errs_out', 'errsOut', 'counter'],
    ['drops_out', 'dropsOut', 'counter'],
  ],
};

const virtNode: Spec<'virt_node'> = {
  rules: [
    ['vnode_cpu_speed', 'mhz', 'gauge'],
    ['vnode_cpu_num', 'cpus', 'gauge'],
    ['vnode_mem_total', 'memory', 'gauge'],
    ['vnode_mem_free', 'memoryFree', 'gauge'],
    ['vnode_domains', 'numDomains', 'gauge'],
  ],
};

const virtCpu: Spec<'virt_cpu'> = {
  rules: [
    ['vir_cpu_utilization', 'cpuTime', 'time'],
    ['vir_cpu_num', 'nrVirtCpu', 'gauge'],
  ],
  derived: ['vir_state'],
  derive: (m, now) => {
    m.vir_state = DOMAIN_STATES[now.state] ?? String(now.state);
  },
};

const virtMemory: Spec<'virt_memory'> = {
  rules: [
    ['vir_mem_used', 'memory', 'gauge'],
    ['vir_mem_total', 'maxMemory', 'gauge'],
  ],
  derived: ['vir_mem_utilization'],
  derive: (m) => put(m, 'vir_mem_utilization', percent(num(m, 'vir_mem_used'), num(m, 'vir_mem_total'))),
};

const virtDiskIo: Spec<'virt_disk_io'> = {
  rules: [
    ['vir_disk_total', 'capacity', 'gauge'],
    ['vir_disk_allocation', 'allocation', 'gauge'],
    ['vir_disk_free', 'available', 'gauge'],
    ['vir_reads', 'rdReq', 'counter'],
    ['vir_bytes_read', 'rdBytes', 'counter'],
    ['vir_writes', 'wrReq', 'counter'],
    ['vir_bytes_written', 'wrBytes', 'counter'],
    ['vir_disk_errs', 'errs', 'counter'],
  ],
  derived: ['vir_disk_utilization'],
  derive: (m) => {
    const [total, free] = [num(m, 'vir_disk_total'), num(m, 'vir_disk_free')];
    if (total !== undefined && free !== undefined)
      put(m, 'vir_disk_utilization', percent(total - free, total));
  },
};

const virtNetIo: Spec<'virt_net_io'> = {
  rules: [
    ['vir_bytes_in', 'rxBytes', 'counter'],
    ['vir_pkts_in', 'rxPackets', 'counter'],
    ['vir_errs_in', 'rxErrs', 'counter'],
    ['vir_drops_in', 'rxDrop', 'counter'],
    ['vir_bytes_out', 'txBytes', 'counter'],
    ['vir_pkts_out', 'txPackets', 'counter'],
    ['vir_errs_out', 'txErrs', 'counter'],
    ['vir_drops_out', 'txDrop', 'counter'],
  ],
};

const nvidiaGpu: Spec<'nvidia_gpu'> = {
  rules: [
    ['nvml_device_count', 'deviceCount', 'gauge'],
    ['nvml_processes', 'processes', 'gauge'],
    ['nvml_mem_total', 'memTotal', 'gauge'],
    ['nvml_mem_free', 'memFree', 'gauge'],
    ['nvml_ecc_errors', 'eccErrors', 'counter'],
    ['nvml_temperature', 'temperature', 'gauge'],
    ['nvml_fan_speed', 'fanSpeed', 'gauge'],
  ],
  derived: ['nvml_gpu_utilization', 'nvml_mem_utilization', 'nvml_power'],
  derive: (m, now, before, seconds) => {
    if (before === undefined || !hasInterval(before, seconds)) return;
    // gpu_time and mem_time are summed over the devices: divided by them, 100 = every GPU busy throughout.
    const busy = (d: number | undefined) =>
      d === undefined || now.deviceCount === 0 ? undefined : (d / (seconds * 1000) / now.deviceCount) * 100;
    put(m, 'nvml_gpu_utilization', busy(change(before.gpuTime, now.gpuTime)));
    put(m, 'nvml_mem_utilization', busy(change(before.memTime, now.memTime)));
    // Energy in mJ: its change per second is mW.
    const energy = change(before.energy, now.energy);
    if (energy !== undefined) put(m, 'nvml_power', energy / seconds / 1000);
  },
};

export const HOST_METRICS = {
  host_descr: hostDescr,
  host_cpu: hostCpu,
  host_memory: hostMemory,
  host_disk_io: hostDiskIo,
  host_net_io: hostNetIo,
  virt_node: virtNode,
  virt_cpu: virtCpu,
  virt_memory: virtMemory,
  virt_disk_io: virtDiskIo,
  virt_net_io: virtNetIo,
  nvidia_gpu: nvidiaGpu,
};
