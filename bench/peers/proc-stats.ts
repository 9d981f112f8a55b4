/**
 * What `npm run bench:peers` reads from /proc: a collector's CPU time and peak memory over its process tree, and
 * its UDP socket's queue and drop counters. Linux only.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ, the unit of utime and stime in /proc/<pid>/stat: 100 on every Linux ABI Node runs on. */
const TICKS_PER_SECOND = 100;

interface ProcSample {
  /** utime + stime of all its threads, in seconds. */
  cpuSeconds: number;
  /** VmHWM: its peak resident set size so far, in kB. */
  peakRssKb: number;
}

function readProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) is in parentheses and may contain spaces: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return { cpuSeconds, peakRssKb: hwm ? Number(hwm[1]) : 0 };
  } catch {
    return undefined; // gone, or a zombie that has no status lines any more
  }
}

/**
 * Follows a collector's process tree (pmacct forks one process per plugin; the others use threads, which
 * /proc/<pid>/stat already sums). Call sample() now and then: a process that exits between two samples keeps
 * its last figures, which is why the harness samples every few hundred milliseconds and once more before it
 * stops the collector.
 */
export class TreeMonitor {
  private readonly seen = new Map<number, ProcSample>();

  constructor(private readonly root: number) {}

  sample(): void {
    const parents = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      const pid = Number(name);
      const ppid = Number.isInteger(pid) ? readPpid(pid) : undefined;
      if (ppid !== undefined) parents.set(pid, ppid);
    }
    const tree = new Set([this.root]);
    // Loop until the tree stops growing: a child's pid may be lower than its parent's once pids wrap.
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, ppid] of parents)
        if (!tree.has(pid) && tree.has(ppid)) {
          tree.add(pid);
          grew = true;
        }
    }
    for (const pid of tree) {
      const s = readProc(pid);
      if (s) this.seen.set(pid, s);
    }
  }

  /** CPU seconds of every process seen in the tree. */
  cpuSeconds(): number {
    let sum = 0;
    for (const s of this.seen.values()) sum += s.cpuSeconds;
    return sum;
  }

  /**
   * The sum of each process's VmHWM, in bytes. For one process that is its peak RSS; for several it is an upper
   * bound on the tree's (their peaks need not coincide, and shared pages count in each).
   */
  peakRssBytes(): number {
    let sum = 0;
    for (const s of this.seen.values()) sum += s.peakRssKb * 1024;
    return sum;
  }
}

/** Only the parent pid: cheap enough to read for every process on the machine. */
function readPpid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

export interface UdpSocketState {
  /** Sockets bound to the port (a collector may open one per thread). */
  sockets: number;
  /** Bytes waiting to be read. */
  rxQueue: number;
  /** Datagrams the kernel dropped because the receive buffer was full (since the socket was made). */
  drops: number;
}

/** The sockets bound to local UDP `port` on any address, from /proc/net/udp and udp6. */
export function udpSocket(port: number): UdpSocketState {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const state: UdpSocketState = { sockets: 0, rxQueue: 0, drops: 0 };
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer
      // drops
      const f = line.trim().split(/\s+/);
      if (f.length < 13 || !f[1].endsWith(`:${hexPort}`)) continue;
      state.sockets++;
      state.rxQueue += Number.parseInt(f[4].split(':')[1], 16);
      state.drops += Number(f[12]);
    }
  }
  return state;
}

/** The receive buffer the kernel gave the socket on `port` (ss's skmem rb), in bytes; undefined without ss. */
export function socketReceiveBuffer(port: number): number | undefined {
  const r = spawnSync('ss', ['-H', '-u', '-a', '-n', '-m', 'sport', '=', `:${port}`], { encoding: 'utf8' });
  const rb = r.status === 0 ? /\brb(\d+)/.exec(r.stdout) : null;
  return rb ? Number(rb[1]) : undefined;
}
