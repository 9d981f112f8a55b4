/**
 * A cgroup's processes, and what /proc tells of them: the processes of the cgroup and its sub-cgroups
 * (cgroup.procs), each one's resident memory (/proc/PID/status VmRSS) and storage I/O (/proc/PID/io
 * read_bytes and write_bytes: what it caused to be read from or sent to the storage layer; root only), for
 * cgroups whose memory and I/O controllers are not there to ask (hsflowd's systemd module adds them up so too);
 * and the traffic of the network namespace the processes run in (/proc/PID/net/dev), when it is not the host's.
 */
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type NetDevCounters, parseNetDev } from './proc-net.js';
import { keyValues, readText } from './proc-text.js';

/** More than a service or a container has; the rest are left unread. */
const MAX_PIDS = 4096;

/** The processes of the cgroup at `dir` and of its sub-cgroups. */
export async function cgroupPids(dir: string): Promise<number[]> {
  const pids: number[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    const procs = await readText(d, 'cgroup.procs');
    for (const line of (procs ?? '').split('\n')) {
      const pid = Number.parseInt(line, 10);
      if (pid > 0 && pids.length < MAX_PIDS) pids.push(pid);
    }
    if (depth >= 4 || pids.length >= MAX_PIDS) return;
    const subs = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const s of subs) if (s.isDirectory()) await walk(join(d, s.name), depth + 1);
  };
  await walk(dir, 0);
  return pids;
}

export interface ProcessUse {
  /** pid and start time: a pid used again is another process. */
  key: string;
  rss?: bigint;
  readBytes?: bigint;
  writeBytes?: bigint;
}

/** What /proc says of `pid`; undefined when it has gone. */
export async function processUse(root: string, pid: number): Promise<ProcessUse | undefined> {
  const [stat, status, io] = await Promise.all([
    readText(root, `proc/${pid}/stat`),
    readText(root, `proc/${pid}/status`),
    readText(root, `proc/${pid}/io`),
  ]);
  if (stat === undefined) return undefined;
  // After the command's closing parenthesis: state is field 3, starttime field 22.
  const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const use: ProcessUse = { key: `${pid}@${after[19] ?? ''}` };
  const kb = status === undefined ? undefined : keyValues(status).get('VmRSS');
  if (kb !== undefined) use.rss = kb * 1024n;
  if (io !== undefined) {
    const v = keyValues(io);
    use.readBytes = v.get('read_bytes');
    use.writeBytes = v.get('write_bytes');
  }
  return use;
}

/**
 * The traffic of the network namespace of the first of `pids` whose namespace is not the host's (that of
 * PID 1, else the agent's), summed over its interfaces but loopback; undefined when they all share the host's, or none can be
 * read (a service, a container on the host's network: its traffic is the host's).
 */
export async function namespaceTraffic(
  root: string,
  pids: readonly number[],
): Promise<NetDevCounters | undefined> {
  const netns = (pid: number | string) => readlink(join(root, `proc/${pid}/ns/net`)).catch(() => undefined);
  // PID 1's, or where it cannot be read (a sandbox's init that refuses ptrace access), the agent's own.
  const host = (await netns(1)) ?? (await netns('self'));
  if (host === undefined) return undefined;
  for (const pid of pids.slice(0, 8)) {
    const ns = await netns(pid);
    if (ns === undefined || ns === host) continue;
    const dev = await readText(root, `proc/${pid}/net/dev`);
    if (dev === undefined) continue;
    const sum: NetDevCounters = {
      rxBytes: 0n,
      rxPackets: 0n,
      rxErrs: 0n,
      rxDrop: 0n,
      txBytes: 0n,
      txPackets: 0n,
      txErrs: 0n,
      txDrop: 0n,
    };
    for (const [name, c] of parseNetDev(dev)) {
      if (name === 'lo') continue;
      for (const k of Object.keys(sum) as (keyof NetDevCounters)[]) sum[k] += c[k];
    }
    return sum;
  }
  return undefined;
}
