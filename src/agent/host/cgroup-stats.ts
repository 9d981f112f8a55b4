/**
 * One cgroup's own accounting (https://docs.kernel.org/admin-guide/cgroup-v2.html): CPU time, memory and
 * block I/O, from the v2 files, else (a hybrid host, whose controllers are still mounted as v1) from the v1
 * controller at the same path, as hsflowd's systemd module falls back. What neither has is left undefined:
 * cgroup-counters.ts then adds it up from the cgroup's processes.
 *
 * - CPU: cpu.stat `usage_usec` (present in every v2 cgroup, controller or not); v1 cpuacct.usage (ns).
 * - Memory: memory.current and memory.max (`max` = no limit); v1 memory.usage_in_bytes and limit_in_bytes.
 * - Block I/O: io.stat's rbytes, wbytes, rios, wios summed over devices (as Docker's and containerd's stats
 *   sum them); v1 blkio.io_service_bytes_recursive / io_serviced_recursive (CFQ, hsflowd's), else the
 *   blkio.throttle.* files of kernels without CFQ.
 * - CPUs allowed: cpu.max's quota ÷ period, rounded up; else cpuset.cpus.effective's count.
 * - State: cgroup.events `populated` (any process in the subtree) and `frozen` (docker pause, cgroup.freeze).
 */
import { join } from 'node:path';
import type { CgroupMounts } from './cgroup-paths.js';
import { integer, keyValues, readText } from './proc-text.js';

export interface DiskIo {
  readBytes: bigint;
  writeBytes: bigint;
  reads: bigint;
  writes: bigint;
}

export interface CgroupStats {
  /** undefined when cgroup.events could not be read (a v2 cgroup always has it, so: gone). */
  populated?: boolean;
  frozen: boolean;
  cpuUsec?: bigint;
  memory?: bigint;
  /** undefined: no limit (or none known). */
  memoryMax?: bigint;
  io?: DiskIo;
  /** CPUs the cgroup may use, when it is limited. */
  cpus?: number;
}

/** v1's "no limit": PAGE_COUNTER_MAX pages, about 2^63 bytes; anything from 2^60 up is no real limit. */
const NO_LIMIT_V1 = 1n << 60n;

export async function readCgroupStats(m: CgroupMounts, path: string): Promise<CgroupStats> {
  const v2 = (file: string) => readText(m.v2, join(path, file));
  const v1 = (c: keyof CgroupMounts['v1'], file: string) => {
    const mount = m.v1[c];
    return mount === undefined ? Promise.resolve(undefined) : readText(mount, join(path, file));
  };
  const [events, cpuStat, current, max, ioStat, cpuMax, cpuset] = await Promise.all([
    v2('cgroup.events'),
    v2('cpu.stat'),
    v2('memory.current'),
    v2('memory.max'),
    v2('io.stat'),
    v2('cpu.max'),
    v2('cpuset.cpus.effective'),
  ]);
  const ev = events === undefined ? undefined : keyValues(events);
  const stats: CgroupStats = {
    populated: ev === undefined ? undefined : ev.get('populated') === 1n,
    frozen: ev?.get('frozen') === 1n,
    cpuUsec: cpuStat === undefined ? undefined : keyValues(cpuStat).get('usage_usec'),
    memory: integer(current),
    memoryMax: integer(max),
    io: ioStat === undefined ? undefined : parseIoStat(ioStat),
    cpus: cpuLimit(cpuMax) ?? countCpus(cpuset),
  };
  if (stats.cpuUsec === undefined) {
    const ns = integer(await v1('cpuacct', 'cpuacct.usage'));
    if (ns !== undefined) stats.cpuUsec = ns / 1000n;
  }
  if (stats.memory === undefined) {
    const [usage, limit] = await Promise.all([
      v1('memory', 'memory.usage_in_bytes'),
      v1('memory', 'memory.limit_in_bytes'),
    ]);
    stats.memory = integer(usage);
    const l = integer(limit);
    if (l !== undefined && l < NO_LIMIT_V1) stats.memoryMax = l;
  }
  if (stats.io === undefined) stats.io = await blkioV1((file) => v1('blkio', file));
  return stats;
}

/** `8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0` lines, summed. */
export function parseIoStat(text: string): DiskIo {
  const io = { readBytes: 0n, writeBytes: 0n, reads: 0n, writes: 0n };
  for (const line of text.split('\n'))
    for (const [, key, value] of line.matchAll(/\b(rbytes|wbytes|rios|wios)=(\d+)/g)) {
      const v = BigInt(value);
      if (key === 'rbytes') io.readBytes += v;
      else if (key === 'wbytes') io.writeBytes += v;
      else if (key === 'rios') io.reads += v;
      else io.writes += v;
    }
  return io;
}

/** v1 `8:0 Read 123` / `8:0 Write 456` lines (and a `Total` line, skipped): the Read and Write sums. */
export function parseBlkio(text: string): { read: bigint; write: bigint } {
  let read = 0n;
  let write = 0n;
  for (const m of text.matchAll(/^\S+ (Read|Write) (\d+)$/gm))
    if (m[1] === 'Read') read += BigInt(m[2]);
    else write += BigInt(m[2]);
  return { read, write };
}

async function blkioV1(read: (file: string) => Promise<string | undefined>): Promise<DiskIo | undefined> {
  for (const prefix of ['blkio.', 'blkio.throttle.']) {
    const [bytes, ops] = await Promise.all([
      read(`${prefix}io_service_bytes_recursive`),
      read(`${prefix}io_serviced_recursive`),
    ]);
    if (bytes === undefined || ops === undefined) continue;
    const b = parseBlkio(bytes);
    const o = parseBlkio(ops);
    return { readBytes: b.read, writeBytes: b.write, reads: o.read, writes: o.write };
  }
  return undefined;
}

/** cpu.max `150000 100000` → 2; `max 100000` (no quota) → undefined. */
export function cpuLimit(text: string | undefined): number | undefined {
  const m = /^(\d+)\s+(\d+)/.exec(text?.trim() ?? '');
  return m && Number(m[2]) > 0 ? Math.max(1, Math.ceil(Number(m[1]) / Number(m[2]))) : undefined;
}

/** A CPU list `0-3,8,10-11` → 7. */
export function countCpus(text: string | undefined): number | undefined {
  const t = text?.trim();
  if (!t) return undefined;
  let n = 0;
  for (const part of t.split(',')) {
    const [a, b] = part.split('-').map(Number);
    n += b === undefined ? 1 : b - a + 1;
  }
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
