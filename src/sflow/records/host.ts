/** Structures of the sFlow Host Structures: https://sflow.org/sflow_host.txt */
import {
  array,
  enumOf,
  f32,
  fixed,
  i32,
  ipv4,
  ipv6,
  mac,
  optional,
  string,
  struct,
  u32,
  u64,
} from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_host.txt';

/** machine_type (the processor family) */
export const MACHINE_TYPES = {
  0: 'unknown',
  1: 'other',
  2: 'x86',
  3: 'x86_64',
  4: 'ia64',
  5: 'sparc',
  6: 'alpha',
  7: 'powerpc',
  8: 'm68k',
  9: 'mips',
  10: 'arm',
  11: 'hppa',
  12: 's390',
} as const;

/** os_name */
export const OS_NAMES = {
  0: 'unknown',
  1: 'other',
  2: 'linux',
  3: 'windows',
  4: 'darwin',
  5: 'hpux',
  6: 'aix',
  7: 'dragonfly',
  8: 'freebsd',
  9: 'netbsd',
  10: 'openbsd',
  11: 'osf',
  12: 'solaris',
} as const;

/**
 * 0:2000 host_descr. The spec declares `opaque uuid<16>` (a length word, then up to 16 bytes), but every agent
 * (hsflowd, mod-sflow, memcached) sends the 16 bytes bare and sflowtool reads them so: opaque[16] here, as the
 * wire has it; a nil UUID stands for unknown.
 */
export const HostDescr = struct({
  hostname: string(64),
  uuid: fixed(16),
  machineType: enumOf(MACHINE_TYPES),
  osName: enumOf(OS_NAMES),
  osRelease: string(32),
});

/** host_adapter: one NIC or vNIC (ifIndex 0 = unknown) and its MAC addresses */
export const HostAdapter = struct({ ifIndex: u32, macAddress: array(mac) });

/** 0:2001 host_adapters */
export const HostAdapters = struct({ adapters: array(HostAdapter) });

/** 0:2002 host_parent: the sFlowDataSource type and index of the containing entity */
export const HostParent = struct({ containerType: u32, containerIndex: u32 });

/**
 * 0:2003 host_cpu (times in ms; load averages -1.0 = unknown). cpu_steal, cpu_guest and cpu_guest_nice were
 * added by hsflowd in December 2014 (its sflow.h) after the spec was published; older agents send 68 bytes.
 */
export const HostCpu = struct({
  loadOne: f32,
  loadFive: f32,
  loadFifteen: f32,
  procRun: u32,
  procTotal: u32,
  cpuNum: u32,
  cpuSpeed: u32,
  uptime: u32,
  cpuUser: u32,
  cpuNice: u32,
  cpuSystem: u32,
  cpuIdle: u32,
  cpuWio: u32,
  cpuIntr: u32,
  cpuSintr: u32,
  interrupts: u32,
  contexts: u32,
  cpuSteal: optional(u32),
  cpuGuest: optional(u32),
  cpuGuestNice: optional(u32),
});

/** 0:2004 host_memory (bytes; paging and swapping as counts) */
export const HostMemory = struct({
  memTotal: u64,
  memFree: u64,
  memShared: u64,
  memBuffers: u64,
  memCached: u64,
  swapTotal: u64,
  swapFree: u64,
  pageIn: u32,
  pageOut: u32,
  swapIn: u32,
  swapOut: u32,
});

/** 0:2005 host_disk_io (part_max_used is a percentage: hundredths of a percent, -1 = unknown; times in ms) */
export const HostDiskIo = struct({
  diskTotal: u64,
  diskFree: u64,
  partMaxUsed: i32,
  reads: u32,
  bytesRead: u64,
  readTime: u32,
  writes: u32,
  bytesWritten: u64,
  writeTime: u32,
});

/** 0:2006 host_net_io */
export const HostNetIo = struct({
  bytesIn: u64,
  pktsIn: u32,
  errsIn: u32,
  dropsIn: u32,
  bytesOut: u64,
  packetsOut: u32,
  errsOut: u32,
  dropsOut: u32,
});

/** 0:2100 virt_node (libvirt virNodeInfo) */
export const VirtNode = struct({ mhz: u32, cpus: u32, memory: u64, memoryFree: u64, numDomains: u32 });

/** 0:2101 virt_cpu (state is libvirt's virDomainState; cpuTime in ms) */
export const VirtCpu = struct({ state: u32, cpuTime: u32, nrVirtCpu: u32 });

/** 0:2102 virt_memory (bytes) */
export const VirtMemory = struct({ memory: u64, maxMemory: u64 });

/** 0:2103 virt_disk_io */
export const VirtDiskIo = struct({
  capacity: u64,
  allocation: u64,
  available: u64,
  rdReq: u32,
  rdBytes: u64,
  wrReq: u32,
  wrBytes: u64,
  errs: u32,
});

/** 0:2104 virt_net_io */
export const VirtNetIo = struct({
  rxBytes: u64,
  rxPackets: u32,
  rxErrs: u32,
  rxDrop: u32,
  txBytes: u64,
  txPackets: u32,
  txErrs: u32,
  txDrop: u32,
});

/** 0:2100 extended_socket_ipv4 (flow): the socket a sampled transaction arrived on */
export const ExtendedSocketIpv4 = struct({
  protocol: u32,
  localIp: ipv4,
  remoteIp: ipv4,
  localPort: u32,
  remotePort: u32,
});

/** 0:2101 extended_socket_ipv6 (flow) */
export const ExtendedSocketIpv6 = struct({
  protocol: u32,
  localIp: ipv6,
  remoteIp: ipv6,
  localPort: u32,
  remotePort: u32,
});

export const flowRecords = {
  extended_socket_ipv4: record(0, 2100, ExtendedSocketIpv4, SPEC),
  extended_socket_ipv6: record(0, 2101, ExtendedSocketIpv6, SPEC),
};

export const counterRecords = {
  host_descr: record(0, 2000, HostDescr, SPEC),
  host_adapters: record(0, 2001, HostAdapters, SPEC),
  host_parent: record(0, 2002, HostParent, SPEC),
  host_cpu: record(0, 2003, HostCpu, SPEC),
  host_memory: record(0, 2004, HostMemory, SPEC),
  host_disk_io: record(0, 2005, HostDiskIo, SPEC),
  host_net_io: record(0, 2006, HostNetIo, SPEC),
  virt_node: record(0, 2100, VirtNode, SPEC),
  virt_cpu: record(0, 2101, VirtCpu, SPEC),
  virt_memory: record(0, 2102, VirtMemory, SPEC),
  virt_disk_io: record(0, 2103, VirtDiskIo, SPEC),
  virt_net_io: record(0, 2104, VirtNetIo, SPEC),
};
