/**
 * 0:2004 host_memory (https://sflow.org/sflow_host.txt) from /proc/meminfo (kB, sent in bytes) and
 * /proc/vmstat (paging and swapping counts), mapped as hsflowd's readMemoryCounters maps them.
 */
import type { KnownCounterRecord } from '../../sflow/model.js';
import { counterRecord, keyValues, readText, u32 } from './proc-text.js';

export async function readHostMemory(root: string): Promise<KnownCounterRecord | undefined> {
  const [meminfo, vmstat] = await Promise.all([
    readText(root, 'proc/meminfo'),
    readText(root, 'proc/vmstat'),
  ]);
  return hostMemory(meminfo, vmstat);
}

/** The record, or undefined when neither file could be read; a missing line sends 0. */
export function hostMemory(
  meminfo: string | undefined,
  vmstat: string | undefined,
): KnownCounterRecord | undefined {
  if (meminfo === undefined && vmstat === undefined) return undefined;
  const m = keyValues(meminfo ?? '');
  const v = keyValues(vmstat ?? '');
  const bytes = (key: string) => (m.get(key) ?? 0n) * 1024n;
  return counterRecord('host_memory', {
    memTotal: bytes('MemTotal'),
    memFree: bytes('MemFree'),
    // hsflowd sends 0 here; Shmem is what free(1) calls shared, the only shared-memory figure Linux keeps.
    memShared: bytes('Shmem'),
    memBuffers: bytes('Buffers'),
    // Reclaimable slab is cache as much as the page cache is (free(1) and hsflowd both add it).
    memCached: bytes('Cached') + bytes('SReclaimable'),
    swapTotal: bytes('SwapTotal'),
    swapFree: bytes('SwapFree'),
    // pgpgin/pgpgout count KiB rather than pages; hsflowd sends them as they are, and so do we.
    pageIn: u32(v.get('pgpgin') ?? 0n),
    pageOut: u32(v.get('pgpgout') ?? 0n),
    swapIn: u32(v.get('pswpin') ?? 0n),
    swapOut: u32(v.get('pswpout') ?? 0n),
  });
}
