/**
 * 0:2005 host_disk_io (https://sflow.org/sflow_host.txt). Space, as hsflowd's readDiskCounters and df(1)
 * count it: statfs of each read-write filesystem mounted from a /dev/ block device, once per device, free
 * being what an unprivileged user may still write (f_bavail). I/O from /proc/diskstats, summed over whole
 * physical disks only: hsflowd sums every line but md and dm, which counts a write once per partition and
 * again per loop or zram device over it.
 */
import { readdir, realpath, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { KnownCounterRecord } from '../../sflow/model.js';
import { counterRecord, integer, readText, u32, u64 } from './proc-text.js';

/** /proc/diskstats counts sectors of 512 bytes whatever the device's own sector size. */
const SECTOR = 512n;

export interface Space {
  total: bigint;
  free: bigint;
  /** Hundredths of a percent used, of the fullest filesystem; -1 when there is none. */
  maxUsed: number;
}

export async function readHostDiskIo(root: string): Promise<KnownCounterRecord | undefined> {
  const [mounts, diskstats, disks] = await Promise.all([
    readText(root, 'proc/mounts'),
    readText(root, 'proc/diskstats'),
    physicalDisks(root),
  ]);
  if (mounts === undefined && diskstats === undefined) return undefined;
  const space = await localSpace(root, mounts ?? '');
  return counterRecord('host_disk_io', {
    diskTotal: u64(space.total),
    diskFree: u64(space.free),
    partMaxUsed: space.maxUsed,
    ...diskIo(diskstats ?? '', disks),
  });
}

/** Space of the local read-write filesystems listed in `mounts` (/proc/mounts). */
export async function localSpace(root: string, mounts: string): Promise<Space> {
  const seen = new Set<string>();
  const points: string[] = [];
  for (const line of mounts.split('\n')) {
    const [device, point, , options] = line.split(' ').map(unescapeMount);
    if (!device?.startsWith('/dev/') || options === undefined || options.split(',').includes('ro')) continue;
    if (seen.has(device)) continue; // bind mounts and btrfs subvolumes show one filesystem again
    seen.add(device);
    points.push(point);
  }
  const stats = await Promise.all(
    points.map((p) => statfs(join(root, p), { bigint: true }).catch(() => undefined)),
  );
  const space: Space = { total: 0n, free: 0n, maxUsed: -1 };
  for (const s of stats) {
    if (s === undefined || s.blocks === 0n) continue;
    const total = s.blocks * s.bsize;
    const free = s.bavail * s.bsize;
    space.total += total;
    space.free += free;
    space.maxUsed = Math.max(space.maxUsed, Number(((total - free) * 10_000n) / total));
  }
  return space;
}

/** /proc/mounts writes space, tab, newline and backslash in paths as octal escapes. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/**
 * Whole disks backed by hardware: /sys/block lists whole disks only (no partitions), and the virtual ones
 * (loop, zram, ram, dm, md, nbd) resolve under /sys/devices/virtual. Undefined if /sys/block is unreadable;
 * I/O then stays 0 (unknown) rather than being double-counted.
 */
async function physicalDisks(root: string): Promise<Set<string> | undefined> {
  try {
    const dir = join(root, 'sys/block');
    const names = await readdir(dir);
    const real = await Promise.all(names.map((n) => realpath(join(dir, n)).catch(() => '/devices/virtual/')));
    return new Set(names.filter((_, i) => !real[i].includes('/devices/virtual/')));
  } catch {
    return undefined;
  }
}

/** Reads, sectors read, ms reading, writes, sectors written, ms writing: fields 4, 6, 7, 8, 10, 11. */
export function diskIo(diskstats: string, disks: Set<string> | undefined) {
  let reads = 0n;
  let sectorsRead = 0n;
  let readTime = 0n;
  let writes = 0n;
  let sectorsWritten = 0n;
  let writeTime = 0n;
  for (const line of diskstats.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 11 || !disks?.has(f[2])) continue;
    const n = (i: number) => integer(f[i]) ?? 0n;
    reads += n(3);
    sectorsRead += n(5);
    readTime += n(6);
    writes += n(7);
    sectorsWritten += n(9);
    writeTime += n(10);
  }
  return {
    reads: u32(reads),
    bytesRead: u64(sectorsRead * SECTOR),
    readTime: u32(readTime),
    writes: u32(writes),
    bytesWritten: u64(sectorsWritten * SECTOR),
    writeTime: u32(writeTime),
  };
}
