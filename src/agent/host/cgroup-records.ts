/**
 * The records of a container's counter sample (https://sflow.org/sflow_host.txt), as hsflowd's docker,
 * containerd and systemd modules send them, and the virt_node record the host's own sample carries beside.
 *
 * - 0:2000 host_descr: hostname = the container's name, its UUID; machine type, OS and release the host's.
 * - 0:2002 host_parent: the physical host, data source 2:1 (container_type 2, container_index 1).
 * - 0:2101 virt_cpu: state running (1), or paused (3) while frozen; cpuTime in ms; nrVirtCpu = the CPUs it
 *   may use.
 * - 0:2102 virt_memory: memory in use; maxMemory = its limit, or the host's memory when it has none (or more).
 * - 0:2103 virt_disk_io: bytes and requests read and written (capacity, allocation, available and errs 0,
 *   as hsflowd leaves them: a container has no disk of its own to measure).
 * - 0:2104 virt_net_io: the traffic of its network namespace, only when it has one of its own.
 */
import type { KnownCounterRecord } from '../../sflow/model.js';
import type { CounterRecordValue } from '../../sflow/registry.js';
import type { DiskIo } from './cgroup-stats.js';
import type { NetDevCounters } from './proc-net.js';
import { counterRecord, u32, u64 } from './proc-text.js';

/** libvirt's virDomainState values that containers take. */
export const VIR_DOMAIN_RUNNING = 1;
export const VIR_DOMAIN_PAUSED = 3;

/** hsflowd's parent of every container: the physical entity (class 2), index 1. */
export const PARENT = { containerType: 2, containerIndex: 1 } as const;

export interface VnodeReading {
  name: string;
  uuid: Uint8Array;
  frozen: boolean;
  /** undefined: unknown (no cpu.stat, no cpuacct): virt_cpu is left out. */
  cpuUsec?: bigint;
  cpus: number;
  memory: bigint;
  maxMemory: bigint;
  io: DiskIo;
  net?: NetDevCounters;
}

export function vnodeRecords(host: CounterRecordValue<'host_descr'>, r: VnodeReading): KnownCounterRecord[] {
  const records = [
    counterRecord('host_descr', { ...host, hostname: truncate(r.name, 64), uuid: r.uuid }),
    counterRecord('host_parent', PARENT),
  ];
  if (r.cpuUsec !== undefined)
    records.push(
      counterRecord('virt_cpu', {
        state: r.frozen ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING,
        cpuTime: u32(r.cpuUsec / 1000n),
        nrVirtCpu: r.cpus,
      }),
    );
  records.push(
    counterRecord('virt_memory', { memory: u64(r.memory), maxMemory: u64(r.maxMemory) }),
    counterRecord('virt_disk_io', {
      rdReq: u32(r.io.reads),
      rdBytes: u64(r.io.readBytes),
      wrReq: u32(r.io.writes),
      wrBytes: u64(r.io.writeBytes),
    }),
  );
  if (r.net)
    records.push(
      counterRecord('virt_net_io', {
        rxBytes: u64(r.net.rxBytes),
        rxPackets: u32(r.net.rxPackets),
        rxErrs: u32(r.net.rxErrs),
        rxDrop: u32(r.net.rxDrop),
        txBytes: u64(r.net.txBytes),
        txPackets: u32(r.net.txPackets),
        txErrs: u32(r.net.txErrs),
        txDrop: u32(r.net.txDrop),
      }),
    );
  return records;
}

/**
 * 0:2100 virt_node for the host's sample (hsflowd adds it when a container module runs): its CPU speed and
 * count, memory and free memory, from the host's own host_cpu and host_memory, and how many containers.
 */
export function virtNode(host: readonly KnownCounterRecord[], domains: number): KnownCounterRecord {
  const cpu = host.find((r) => r.name === 'host_cpu');
  const mem = host.find((r) => r.name === 'host_memory');
  return counterRecord('virt_node', {
    mhz: cpu?.name === 'host_cpu' ? cpu.value.cpuSpeed : 0,
    cpus: cpu?.name === 'host_cpu' ? cpu.value.cpuNum : 0,
    memory: mem?.name === 'host_memory' ? mem.value.memTotal : 0n,
    memoryFree: mem?.name === 'host_memory' ? mem.value.memFree : 0n,
    numDomains: domains,
  });
}

/** At most `max` bytes of UTF-8, cut at a character boundary. */
function truncate(s: string, max: number): string {
  const chars = [...s];
  while (Buffer.byteLength(chars.join('')) > max) chars.pop();
  return chars.join('');
}
