/**
 * The control loop's parts, set up inside a network namespace by the process that runs in it: the switches'
 * agent addresses on the namespace's loopback, `sflowkit acl-server` answering on them (so a controller's
 * http://{agent}:8080/acl/… reaches "the switch"), and `sflowkit serve` in-process with one app and its
 * --app-config. Shared by the marking-loop test's driver (marking-driver.ts) and `npm run bench:control`'s
 * (bench/control-driver.ts); each sends the generator's traffic to `server.sflowPort` itself.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunningServer } from '../../src/cli/serve-command.js';
import type { DataCenter } from '../../src/generator/data-center.js';
import { testServer } from '../serve/serve-support.js';

export interface LoopRigInput {
  /** builtin:elephant-marking, or a script's path (clmark.js): a script is let write without a token. */
  app: string;
  appOptions?: Record<string, unknown>;
  /** The ACL server's back-end: iptables, or dry-run (files only) for rules plain iptables lacks (SETQOS). */
  backend: 'iptables' | 'dry-run';
}

/** One commit of the ACL server, from its log: when it ended (ms since the epoch) and how long it took. */
export interface AclCommit {
  at: number;
  ms: number;
  changes: number;
}

export interface LoopRig {
  server: RunningServer;
  /** The ACL server's commits so far. */
  commits: AclCommit[];
  /** Stops the analyzer and the ACL server, and removes the ACL server's directory. */
  stop(): Promise<void>;
}

const TOKEN = 'marking-test';
const ENTRY = new URL('./acl-server-entry.js', import.meta.url).pathname;

/** Starts the ACL server and the analyzer for `dc`'s switches; resolves once both listen. */
export async function startLoopRig(dc: DataCenter, input: LoopRigInput): Promise<LoopRig> {
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  for (const sw of dc.fabric.switches) execFileSync('ip', ['addr', 'add', `${sw.agent}/32`, 'dev', 'lo']);

  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-loop-'));
  const anonymous = !input.app.startsWith('builtin:');
  const acl = spawn(
    process.execPath,
    [
      ENTRY,
      '--host',
      '0.0.0.0',
      '--port',
      '8080',
      '--dir',
      dir,
      '--backend',
      input.backend,
      // Info: its start and each commit (request logging needs debug).
      '--log-level',
      'info',
      ...(anonymous ? ['--allow-anonymous-writes'] : ['--token', TOKEN]),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const commits: AclCommit[] = [];
  await new Promise<void>((resolve) => {
    const lines = createInterface({ input: acl.stdout! });
    lines.on('line', (l) => {
      let entry: { msg?: string; time?: string; ms?: number; changes?: number };
      try {
        entry = JSON.parse(l);
      } catch {
        return;
      }
      if (entry.msg?.startsWith('sflowkit acl-server:')) resolve();
      else if (entry.msg === 'commit')
        commits.push({ at: Date.parse(entry.time ?? ''), ms: entry.ms ?? 0, changes: entry.changes ?? 0 });
    });
    setTimeout(resolve, 5000);
  });
  const appConfig = join(dir, 'apps.json');
  writeFileSync(appConfig, JSON.stringify({ 'elephant-marking': { token: TOKEN, ...input.appOptions } }));
  const server = await testServer('--log-level', 'warn', '--app', input.app, '--app-config', appConfig);
  return {
    server,
    commits,
    async stop() {
      await server.stop();
      // It applies what is pending before it exits; then its files can go.
      const exited = acl.exitCode === null ? once(acl, 'exit') : Promise.resolve();
      acl.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
