/**
 * One reading of the host's counters, as hsflowd sends them every polling interval: the host data source's
 * records (0:2000–0:2010, https://sflow.org/sflow_host.txt and sflow_host_ip.txt) and each NIC's (0:1, 0:2).
 * Nothing here throws for a missing or unreadable file: the record it feeds is left out (host_cpu,
 * host_memory, host_disk_io, host_net_io and host_adapters without /proc/net/dev, the mib2 groups), or sent
 * with the spec's unknown values in the fields it fed.
 */
import type { KnownCounterRecord } from '../../sflow/model.js';
import { readHostDescr } from './host-descr.js';
import { ethernetCounters, hostAdapters, hostNetIo, ifCounters, isLoopback } from './net-records.js';
import { readHostCpu } from './proc-cpu.js';
import { readHostDiskIo } from './proc-disk.js';
import { readHostMemory } from './proc-memory.js';
import { readNics } from './proc-net.js';
import { readTcpip } from './proc-tcpip.js';

export interface NicCounters {
  name: string;
  /** The data source index (sFlowDataSource type 0); 0 when sysfs could not tell it. */
  ifIndex: number;
  /** Loopback carries no traffic of the network's: agents normally leave it unpolled. */
  loopback: boolean;
  /** 0:1 if_counters, then 0:2 ethernet_counters for Ethernet NICs. */
  records: KnownCounterRecord[];
}

export interface HostCounters {
  /** The host data source's records, in tag order. */
  host: KnownCounterRecord[];
  nics: NicCounters[];
}

/** Reads the counters of the host whose /proc, /sys and /etc are under `root`. */
export async function readHostCounters(root = '/'): Promise<HostCounters> {
  const [descr, cpu, memory, disk, nics, tcpip] = await Promise.all([
    readHostDescr(root),
    readHostCpu(root),
    readHostMemory(root),
    readHostDiskIo(root),
    readNics(root),
    readTcpip(root),
  ]);
  const host = [
    descr,
    nics && hostAdapters(nics),
    cpu,
    memory,
    disk,
    nics && hostNetIo(nics),
    ...tcpip,
  ].filter((r) => r !== undefined);
  return {
    host,
    nics: (nics ?? []).map((nic) => {
      const ifc = ifCounters(nic);
      const eth = ethernetCounters(nic);
      return {
        name: nic.name,
        ifIndex: nic.ifIndex,
        loopback: isLoopback(nic),
        records: eth === undefined ? [ifc] : [ifc, eth],
      };
    }),
  };
}
