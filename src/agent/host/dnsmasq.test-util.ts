/**
 * Debian's dnsmasq (package dnsmasq-base) on a free port of 127.0.0.1, serving only the records given: the
 * real DNS server that DNS-SD is tested against. Installs nothing; without dnsmasq it fails saying what to
 * install. Every dnsmasq started is killed when the tests end, however they end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after } from 'node:test';

/** dnsmasq from PATH, or from the sbin directories a non-root PATH may lack. */
function dnsmasqPath(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    const path = join(dir, 'dnsmasq');
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  throw new Error(
    'dnsmasq is not installed: these tests run a real DNS server on loopback. ' +
      'Install it with: apt-get install -y --no-install-recommends dnsmasq-base',
  );
}

const running = new Set<ChildProcess>();
// However a test ends, no dnsmasq outlives the run.
after(() => {
  for (const child of running) child.kill('SIGKILL');
});
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Dnsmasq {
  server: string;
  stop(): Promise<void>;
}

/** Starts dnsmasq on a random free port of 127.0.0.1, serving only the records in `records`. */
export async function dnsmasq(records: string[]): Promise<Dnsmasq> {
  const bin = dnsmasqPath();
  for (let attempt = 0; attempt < 10; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    const child = spawn(
      bin,
      [
        '--no-daemon',
        `--port=${port}`,
        '--listen-address=127.0.0.1',
        '--bind-interfaces',
        '--no-resolv',
        '--no-hosts',
        '--conf-file=/dev/null',
        '--pid-file=',
        '--log-facility=-',
        // Names under example that dnsmasq has no record for are NXDOMAIN, not "no upstream server".
        '--local=/example/',
        ...records,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    running.add(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const outcome = await new Promise<'started' | 'in use' | string>((resolve) => {
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/started, version/.test(stderr)) resolve('started');
      });
      child.once('exit', (code) =>
        resolve(/Address already in use/.test(stderr) ? 'in use' : `exit ${code}: ${stderr}`),
      );
      child.once('error', (err) => resolve(err.message));
    });
    if (outcome === 'started') {
      return {
        server: `127.0.0.1:${port}`,
        async stop() {
          child.kill('SIGTERM');
          await exited;
          running.delete(child);
        },
      };
    }
    running.delete(child);
    if (outcome !== 'in use') throw new Error(`dnsmasq did not start: ${outcome}`);
  }
  throw new Error('dnsmasq found no free port in 10 tries');
}

/** Runs `fn` against a dnsmasq serving `records`, and stops it whatever happens. */
export async function withDnsmasq(records: string[], fn: (server: string) => Promise<void>): Promise<void> {
  const d = await dnsmasq(records);
  try {
    await fn(d.server);
  } finally {
    await d.stop();
  }
}
