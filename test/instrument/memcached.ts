/**
 * Debian's memcached (apt-get install memcached) on a free port of 127.0.0.1, for the memcache proxy's tests and
 * benchmark: started as the package's binary with its defaults (TCP only), killed after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export const MEMCACHED = '/usr/bin/memcached';

export interface Memcached {
  port: number;
  stop(): Promise<void>;
}

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** memcached on `port` (a free one by default); throws, naming the package, when it is not installed. */
export async function startMemcached(port?: number, extra: string[] = []): Promise<Memcached> {
  if (!existsSync(MEMCACHED))
    throw new Error(
      `${MEMCACHED} is missing: these tests need Debian's memcached (apt-get install memcached)`,
    );
  const p = port ?? (await freePort());
  // -u is needed when run as root and ignored otherwise.
  const child: ChildProcess = spawn(
    MEMCACHED,
    ['-p', String(p), '-U', '0', '-l', '127.0.0.1', '-u', 'nobody', ...extra],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 150 && child.exitCode === null; i++) {
    if (await accepting(p)) {
      return {
        port: p,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`memcached did not start on port ${p}: ${stderr.trim() || `exit ${child.exitCode}`}`);
}
