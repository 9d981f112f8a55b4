/**
 * Real cgroups for the container tests, made and removed by the test itself (as root, on this machine's cgroup
 * v2 hierarchy): directories named as Docker, containerd (Kubernetes) and systemd name theirs, and child
 * processes moved into them. Docker is not installed to test with: a cgroup named as its systemd driver names
 * a container's (`system.slice/docker-<64 hex>.scope`) is what the agent recognizes, and all it reads.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { findCgroupMounts } from './cgroup-paths.js';

/** Why the live tests cannot run here; undefined when they can. */
export async function liveSkipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root, to make cgroups and move processes into them';
  const m = await findCgroupMounts('/');
  if (m === undefined) return 'no cgroup v2 hierarchy (neither /sys/fs/cgroup nor /sys/fs/cgroup/unified)';
  return access(join(m.v2, 'cgroup.procs'))
    .then(() => undefined)
    .catch(() => `cannot write ${m.v2}`);
}

export const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * Directories made by any run of these tests, marked in a temporary directory: runs at the same time share
 * parents (`system.slice` where there is no systemd), and whichever leaves last removes them.
 */
const MARKS = join(os.tmpdir(), 'sflowkit-test-cgroups');
const markOf = (dir: string) => join(MARKS, encodeURIComponent(dir));
const code = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** The cgroups and processes a test made; `cleanup` kills the processes and removes the directories. */
export class TestCgroups {
  private readonly paths: string[] = [];
  private readonly children: ChildProcess[] = [];

  constructor(readonly v2: string) {}

  static async open(): Promise<TestCgroups> {
    const m = await findCgroupMounts('/');
    if (m === undefined) throw new Error('no cgroup v2');
    return new TestCgroups(m.v2);
  }

  /** Makes `path` (relative to the hierarchy), each missing directory on the way handing on its controllers. */
  async make(path: string): Promise<string> {
    this.paths.push(path);
    const parts = path.split('/');
    await mkdir(MARKS, { recursive: true });
    for (let attempt = 1; ; attempt++)
      try {
        for (let i = 1; i <= parts.length; i++) {
          const dir = join(this.v2, ...parts.slice(0, i));
          try {
            await mkdir(dir);
          } catch (e) {
            if (code(e) === 'EEXIST') continue;
            throw e;
          }
          await writeFile(markOf(dir), '');
          if (i === parts.length) continue;
          // So that the leaf has the memory and io files where the machine has those controllers in v2.
          const controllers = (await readFile(join(dir, 'cgroup.controllers'), 'utf8'))
            .split(/\s+/)
            .filter(Boolean);
          for (const c of controllers)
            await writeFile(join(dir, 'cgroup.subtree_control'), `+${c}`).catch(() => {});
        }
        return join(this.v2, path);
      } catch (e) {
        // Another run removed a shared parent between our steps: again.
        if (code(e) !== 'ENOENT' || attempt >= 5) throw e;
      }
  }

  async move(pid: number, path: string): Promise<void> {
    await writeFile(join(this.v2, path, 'cgroup.procs'), `${pid}\n`);
  }

  /** A child the cleanup kills. */
  spawn(cmd: string, args: string[]): ChildProcess {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    this.children.push(child);
    return child;
  }

  async cleanup(): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGKILL');
          }),
      ),
    );
    const leaves = new Set(this.paths.map((p) => join(this.v2, p)));
    const dirs = new Set<string>();
    for (const p of this.paths) {
      const parts = p.split('/');
      for (let i = 1; i <= parts.length; i++) dirs.add(join(this.v2, ...parts.slice(0, i)));
    }
    // Deepest first; only what a run of these tests made (marked).
    for (const dir of [...dirs].sort((a, b) => b.split('/').length - a.split('/').length)) {
      if (!(await exists(markOf(dir)))) continue;
      // A leaf is busy until its last process is reaped: a few tries. A parent busy with another run's
      // cgroups is left to that run.
      for (let i = 0; i < (leaves.has(dir) ? 100 : 1); i++) {
        try {
          await rmdir(dir);
        } catch (e) {
          if (code(e) !== 'ENOENT') {
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
        }
        await rm(markOf(dir), { force: true });
        break;
      }
    }
  }
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * A Node child that, once told (a line on stdin), burns `cpuMs` of CPU, fills `memMiB` of memory, writes and
 * fsyncs `writeMiB` to `file`, then reports its CPU time before and after (process.cpuUsage, µs) and idles.
 * With `cpuMs` negative it burns CPU for ever instead.
 */
export function workerArgs(o: { cpuMs: number; memMiB: number; writeMiB: number; file: string }): string[] {
  const script = `
const fs = require('node:fs');
process.stdin.once('data', () => {
  const before = process.cpuUsage();
  // CPU time, not wall time: the machine is shared.
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const spin = (ms) => { const end = cpu() + ms; let x = 0; while (cpu() < end) for (let i = 0; i < 1e4; i++) x += Math.random(); return x; };
  globalThis.keep = Buffer.alloc(${o.memMiB} * 1048576, 1);
  const fd = fs.openSync(${JSON.stringify(o.file)}, 'w');
  const chunk = Buffer.alloc(1048576, 7);
  for (let i = 0; i < ${o.writeMiB}; i++) fs.writeSync(fd, chunk);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  if (${o.cpuMs} < 0) { process.stdout.write('{}\\n'); for (;;) spin(1000); }
  spin(${o.cpuMs});
  const after = process.cpuUsage();
  process.stdout.write(JSON.stringify({ before, after }) + '\\n');
  setInterval(() => {}, 1000);
});`;
  return ['-e', script];
}

export interface WorkerReport {
  before?: { user: number; system: number };
  after?: { user: number; system: number };
}

/** Starts the worker's work and waits for its report. */
export function runWorker(child: ChildProcess): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(JSON.parse(text.slice(0, text.indexOf('\n'))));
    });
    child.once('exit', (code) => reject(new Error(`the worker exited (${code})`)));
    child.stdin?.write('go\n');
  });
}
