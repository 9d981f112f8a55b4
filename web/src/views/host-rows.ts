/** One row per host from /dump of host metrics, shared by the cluster's host list and the top servers. */
import type { DumpEntry } from '../api.js';

export interface HostRow {
  agent: string;
  name: string;
  cpu: number;
  load: number;
  mem: number;
  bytesIn: number;
  bytesOut: number;
  /** Disk bytes read and written a second. */
  disk: number;
}

const FIELDS: Record<string, keyof HostRow> = {
  cpu_utilization: 'cpu',
  load_one: 'load',
  mem_utilization: 'mem',
  bytes_in: 'bytesIn',
  bytes_out: 'bytesOut',
};

/** Hosts are agents with CPU figures; a hypervisor's VMs (other data sources) do not make rows of their own. */
export function hostRows(entries: readonly DumpEntry[]): HostRow[] {
  const rows = new Map<string, HostRow>();
  const row = (agent: string) => {
    let r = rows.get(agent);
    if (r === undefined) {
      r = { agent, name: agent, cpu: 0, load: 0, mem: 0, bytesIn: 0, bytesOut: 0, disk: 0 };
      rows.set(agent, r);
    }
    return r;
  };
  const hosts = new Set(entries.filter((e) => e.metricName === 'cpu_utilization').map((e) => e.agent));
  for (const e of entries) {
    if (!hosts.has(e.agent)) continue;
    const r = row(e.agent);
    if (e.metricName === 'host_name' && typeof e.metricValue === 'string') r.name = e.metricValue;
    else if (e.metricName === 'bytes_read' || e.metricName === 'bytes_written')
      r.disk += Number(e.metricValue) || 0;
    else {
      const field = FIELDS[e.metricName];
      if (field !== undefined && typeof e.metricValue === 'number') (r[field] as number) = e.metricValue;
    }
  }
  return [...rows.values()];
}
