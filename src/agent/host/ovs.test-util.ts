/**
 * A private Open vSwitch for the tests: Debian's ovsdb-server and ovs-vswitchd with their own database, run,
 * log and control files in a temporary directory, ovs-vswitchd in a network namespace of its own (its
 * bridges' devices appear there, not on the host) with the userspace datapath (`datapath_type=netdev`), so
 * neither systemd, the host's OVS nor the openvswitch kernel module is involved. A veth pair joins the
 * namespace to the host: collectors listen on the host's end, OVS sends from the other. Everything started
 * is stopped and removed when the tests end, however they end.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after } from 'node:test';

const TOOLS = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ip'];
const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';

/** Why OVS cannot run here, or undefined. Missing packages fail the test instead (see startOvs). */
export function ovsSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (a network namespace for ovs-vswitchd)';
  if (!existsSync('/dev/net/tun')) return 'needs /dev/net/tun (the userspace datapath makes tap devices)';
  return undefined;
}

function tool(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin'];
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  throw new Error(
    `${name} is not installed: these tests run a real Open vSwitch. Install it with: ` +
      'apt-get install -y --no-install-recommends openvswitch-switch iproute2',
  );
}

export interface OvsRig {
  /** The database as ovs-vsctl's --db takes it. */
  db: string;
  ns: string;
  /** The namespace's end of the veth pair (OVS's side). */
  nsAddress: string;
  /** The host's end: where collectors listen. */
  hostAddress: string;
  /** ovs-vsctl against this OVS; stdout, or throws with stderr. */
  vsctl(...args: string[]): string;
  /** The ifIndex of a device in the namespace, as `ip` reports it. */
  ifIndex(dev: string): number;
  stop(): Promise<void>;
}

const cleanups = new Set<() => void>();
after(() => {
  for (const c of cleanups) c();
});
process.on('exit', () => {
  for (const c of cleanups) c();
});

let made = 0;

export async function startOvs(): Promise<OvsRig> {
  const bin = Object.fromEntries(TOOLS.map((t) => [t, tool(t)]));
  const dir = mkdtempSync(join(tmpdir(), 'sfk-ovs-'));
  const id = (process.pid * 4 + (made++ % 4)) % 1_000_000;
  const ns = `sfk-ovs-${id}`;
  const hostIf = `sfko${id}h`;
  // 198.18.0.0/15 is for benchmarking (RFC 2544): no real network. A /30 a rig, from the pid.
  const base = (id % 16_384) * 4;
  const hostAddress = `198.19.${base >> 8}.${(base & 255) + 1}`;
  const nsAddress = `198.19.${base >> 8}.${(base & 255) + 2}`;
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir, OVS_SYSCONFDIR: dir };
  const children: ChildProcess[] = [];
  const cleanup = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['link', 'del', hostIf]);
    rmSync(dir, { recursive: true, force: true });
    cleanups.delete(cleanup);
  };
  cleanups.add(cleanup);
  const db = `unix:${join(dir, 'db.sock')}`;
  const vsctl = (...args: string[]) =>
    execFileSync(bin['ovs-vsctl'], [`--db=${db}`, '--timeout=10', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const ip = (...args: string[]) => execFileSync(bin.ip, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const daemon = (argv: string[], name: string) => {
    const c = spawn(argv[0], [...argv.slice(1), `--log-file=${join(dir, `${name}.log`)}`], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    c.stderr?.resume();
    children.push(c);
  };
  try {
    const nsIf = `sfko${id}n`;
    ip('netns', 'add', ns);
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', ns);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf);
    ip('-n', ns, 'link', 'set', nsIf, 'up');
    execFileSync(bin['ovsdb-tool'], ['create', join(dir, 'conf.db'), SCHEMA]);
    daemon(
      [
        bin['ovsdb-server'],
        join(dir, 'conf.db'),
        `--remote=p${db}`,
        `--pidfile=${join(dir, 'ovsdb-server.pid')}`,
        `--unixctl=${join(dir, 'ovsdb-server.ctl')}`,
        '--no-chdir',
      ],
      'ovsdb-server',
    );
    const until = Date.now() + 5000;
    while (!existsSync(join(dir, 'db.sock'))) {
      if (Date.now() > until) throw new Error(`ovsdb-server did not start (${dir}/ovsdb-server.log)`);
      await new Promise((r) => setTimeout(r, 20));
    }
    vsctl('--no-wait', 'init');
    // `ip netns exec` execs the daemon: the child is ovs-vswitchd itself, so killing it kills the daemon.
    daemon(
      [
        bin.ip,
        'netns',
        'exec',
        ns,
        bin['ovs-vswitchd'],
        db,
        `--pidfile=${join(dir, 'ovs-vswitchd.pid')}`,
        `--unixctl=${join(dir, 'ovs-vswitchd.ctl')}`,
        '--no-chdir',
      ],
      'ovs-vswitchd',
    );
    // Without --no-wait, ovs-vsctl returns once ovs-vswitchd has made the bridge: it is up then.
    vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev');
  } catch (e) {
    cleanup();
    throw e;
  }
  return {
    db,
    ns,
    nsAddress,
    hostAddress,
    vsctl,
    ifIndex: (dev) => JSON.parse(ip('-n', ns, '-j', 'link', 'show', dev).toString())[0].ifindex,
    async stop() {
      // SIGTERM first, so that the daemons remove their sockets and pid files as they do in service.
      await Promise.all(
        children.map(async (c) => {
          if (c.exitCode !== null || c.signalCode !== null) return;
          const exited = once(c, 'exit');
          c.kill('SIGTERM');
          const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(timer);
        }),
      );
      cleanup();
    },
  };
}

/** `ovs-vsctl list TABLE` as printed for people (not the JSON our code reads): each record's column → text. */
export function listText(rig: OvsRig, table: string): Record<string, string>[] {
  return rig
    .vsctl('list', table)
    .split(/\n\s*\n/)
    .filter((block) => block.trim() !== '')
    .map((block) =>
      Object.fromEntries(
        block
          .split('\n')
          .filter((l) => l.includes(':'))
          .map((l) => {
            const i = l.indexOf(':');
            return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
          }),
      ),
    );
}
