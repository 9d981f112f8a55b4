/**
 * A collector that `npm run bench:peers` compares, and what the peer definitions share: finding a command,
 * starting a collector in the foreground with its output going to files, waiting for its socket, stopping it.
 * One file per peer (sfacctd.ts, sfcapd.ts, fastnetmon.ts); sflowkit's own analyzer becomes one more.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { udpSocket } from './proc-stats.js';

export interface Peer {
  /** The row's name in the report. */
  name: string;
  /** The Debian packages it needs: the report prints `apt-get install -y <packages>` when one is missing. */
  packages: string[];
  /** The unit of what count() returns. */
  unit: 'flow samples' | 'datagrams';
  /** How count() reads its number and what to keep in mind, one line for the report. */
  counted: string;
  /** The installed version, or why it cannot run (a missing command). */
  installed(): { version: string } | { missing: string };
  /**
   * Starts a collector for sFlow on 127.0.0.1:`port` in the foreground, its configuration and output in `dir`;
   * resolves once its socket is bound. With `receiveBuffer`, asks for that socket receive buffer (SO_RCVBUF) if
   * the collector has a setting for it; without, leaves its default (the harness reports what it got).
   */
  start(port: number, dir: string, receiveBuffer?: number): Promise<Collector>;
}

/** A running collector. */
export interface Collector {
  /** The process whose tree the harness measures (CPU time, peak RSS). */
  pid: number;
  /**
   * What the collector has accounted for since it started, in the peer's unit, read from its own output or
   * counters. Called once, after the traffic and after the socket's queue has emptied; it may stop the collector
   * when that is how the count is read (sfcapd writes its file on exit).
   */
  count(): Promise<number>;
  /** Stops it, and everything it started; safe to call more than once. */
  stop(): Promise<void>;
}

/** The path of an executable named `name` on PATH, or in the sbin directories a non-root PATH may lack. */
export function findCommand(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** The first `x.y[.z]` in what `command args` prints (stdout or stderr), or 'unknown'. */
export function versionOf(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 5000 });
  const v = /(\d+\.\d+(?:\.\d+)?)/.exec(`${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  return v ? v[1] : 'unknown';
}

/**
 * Process groups started and not yet seen to end, killed if the harness exits early. Being groups of their own,
 * they do not get the terminal's Ctrl-C: the harness passes it on.
 */
const groups = new Set<number>();
process.on('exit', () => {
  for (const pgid of groups)
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
});
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

/**
 * Spawns `command args` in its own process group (so that its forks can be stopped with it) with stdout and
 * stderr going to `dir/<name>.out`.
 */
export function spawnCollector(command: string, args: string[], dir: string, name: string): ChildProcess {
  const out = openSync(join(dir, `${name}.out`), 'w');
  try {
    const child = spawn(command, args, { cwd: dir, stdio: ['ignore', out, out], detached: true });
    if (child.pid !== undefined) groups.add(child.pid);
    child.on('error', () => {}); // reported through waitForUdpPort's timeout and the .out file
    return child;
  } finally {
    closeSync(out);
  }
}

/**
 * A UDP port on 127.0.0.1 that nothing is bound to: bound to port 0 and let go. Another program could take it
 * in between; the collector's start then fails with a clear message.
 */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** A TCP port on 127.0.0.1 that nothing listens on (for a collector's HTTP endpoint), found the same way. */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `check()` holds, polling every 50 ms; throws `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error(what);
    await sleep(50);
  }
}

/** Waits until a socket is bound to UDP `port`, failing early if the collector exits. */
export async function waitForUdpPort(child: ChildProcess, port: number, timeoutMs = 10_000): Promise<void> {
  await waitUntil(
    () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`exited (${child.exitCode ?? child.signalCode}) before binding UDP port ${port}`);
      return udpSocket(port).sockets > 0;
    },
    timeoutMs,
    `no socket on UDP port ${port} after ${timeoutMs / 1000} s`,
  );
}

/**
 * Stops a collector started by spawnCollector: `signal` to its process group, then SIGKILL if it is still there
 * after `graceMs` (said on stderr: a collector that needs it is worth knowing about). Resolves when the group is
 * gone.
 */
export async function stopCollector(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined || !groups.has(pgid)) return;
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const send = (s: NodeJS.Signals) => {
    try {
      process.kill(-pgid, s);
    } catch {}
  };
  send(signal);
  try {
    await waitUntil(() => !alive(), graceMs, 'still running');
  } catch {
    console.error(`  (${child.spawnfile} still running ${graceMs / 1000} s after ${signal}: killed)`);
    send('SIGKILL');
    await waitUntil(() => !alive(), 5000, `process group ${pgid} survived SIGKILL`);
  }
  groups.delete(pgid);
}

/**
 * Reads a live counter until it stops moving (two equal readings `intervalMs` apart) or `timeoutMs` passes, and
 * returns the last reading: a collector may still be working through what it has read from its socket.
 */
export async function settledCount(
  read: () => Promise<number>,
  intervalMs = 300,
  timeoutMs = 10_000,
): Promise<number> {
  const until = performance.now() + timeoutMs;
  let last = await read();
  for (;;) {
    await sleep(intervalMs);
    const now = await read();
    if (now === last || performance.now() > until) return now;
    last = now;
  }
}
