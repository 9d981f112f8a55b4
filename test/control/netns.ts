/**
 * A network namespace to run the ACL server in for real, shared by the netns test and the round-trip
 * benchmark. The server runs inside it (so its iptables-restore changes the namespace's tables, not the
 * host's); the client stays outside and reaches it over a veth pair, as a controller reaches a switch. The
 * pair's addresses are from 198.18.0.0/15, the block RFC 2544 reserves for benchmarking, so they cannot
 * clash with a real network; each namespace's /30 is derived from the pid and a count.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createInterface } from 'node:readline';

/** Why the namespace cannot be had here, or undefined if it can. */
export function netnsSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (ip netns add, iptables-restore)';
  for (const tool of ['ip', 'iptables-restore', 'iptables-save']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
    if (r.status !== 0) return `${tool} is not installed (Debian: apt-get install iproute2 iptables)`;
  }
  return undefined;
}

export function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

export class Netns {
  private static made = 0;

  private constructor(
    readonly name: string,
    private readonly hostIf: string,
    /** The address of the namespace's end of the veth pair: where the server listens. */
    readonly address: string,
  ) {}

  /** A fresh namespace with lo up and a veth pair to it; undone by destroy() (also if it fails half-way). */
  static create(tag = 'acl'): Netns {
    // Several namespaces of one process get their own names and /30: the pid and a count.
    const pid = process.pid * 4 + (Netns.made++ % 4);
    const name = `sfk-${tag}-${pid}`;
    const hostIf = `sfk${pid % 10_000_000}h`;
    const nsIf = `sfk${pid % 10_000_000}n`;
    const net = `198.18.${(pid >> 6) & 255}.${(pid & 63) * 4}`;
    const [a, b, c, d] = net.split('.').map(Number);
    const host = `${a}.${b}.${c}.${d + 1}`;
    const inside = `${a}.${b}.${c}.${d + 2}`;
    const ns = new Netns(name, hostIf, inside);
    try {
      sh(['ip', 'netns', 'add', name]);
      sh(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
      sh(['ip', 'link', 'set', nsIf, 'netns', name]);
      sh(['ip', 'addr', 'add', `${host}/30`, 'dev', hostIf]);
      sh(['ip', 'link', 'set', hostIf, 'up']);
      ns.exec(['ip', 'link', 'set', 'lo', 'up']);
      ns.exec(['ip', 'addr', 'add', `${inside}/30`, 'dev', nsIf]);
      ns.exec(['ip', 'link', 'set', nsIf, 'up']);
    } catch (e) {
      ns.destroy();
      throw e;
    }
    return ns;
  }

  /** Runs a command in the namespace; its stdout, or throws with its stderr. */
  exec(argv: readonly string[], input?: string): string {
    return sh(['ip', 'netns', 'exec', this.name, ...argv], input);
  }

  /**
   * Runs the Node script `script` in the namespace with `input` as its JSON argument; resolves to the report
   * it prints as its last line of stdout (the lines before are logs).
   */
  run<T>(script: string, input: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        'ip',
        ['netns', 'exec', this.name, process.execPath, script, JSON.stringify(input)],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout!.on('data', (c) => {
        out += c;
      });
      child.stderr!.on('data', (c) => {
        err += c;
      });
      child.on('exit', (code) => {
        const lines = out.trim().split('\n');
        try {
          if (code !== 0) throw new Error(`${script} exit ${code}: ${err}`);
          resolve(JSON.parse(lines[lines.length - 1]) as T);
        } catch (e) {
          reject(new Error(`${(e as Error).message}\n${lines.slice(0, -1).join('\n')}\n${err}`));
        }
      });
    });
  }

  /** Removes the namespace and the pair; safe to call twice and after a failed create. */
  destroy(): void {
    spawnSync('ip', ['netns', 'del', this.name]);
    spawnSync('ip', ['link', 'del', this.hostIf]);
  }

  /** The ruleset of a family in the namespace, without comments and counters, for comparing. */
  save(tool = 'iptables-save'): string {
    return this.exec([tool])
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.replace(/ \[\d+:\d+\]$/, ''))
      .join('\n');
  }
}

function sh(argv: readonly string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export interface RunningAclServer {
  child: ChildProcess;
  url: string;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const ENTRY = new URL('./acl-server-entry.js', import.meta.url).pathname;

/** Starts `sflowkit acl-server ARGS` in the namespace, listening on its veth address; resolves once it listens. */
export async function startAclServer(
  ns: Netns,
  args: readonly string[],
  port = 8080,
): Promise<RunningAclServer> {
  const scheme = args.includes('--tls-cert') ? 'https' : 'http';
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns.name,
      process.execPath,
      ENTRY,
      'acl-server',
      '--host',
      ns.address,
      '--port',
      String(port),
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (c) => {
    stderr += c;
  });
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (typeof entry.msg === 'string' && entry.msg.startsWith('sflowkit acl-server:')) resolve();
      } catch {
        logs.push({ msg: line });
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`acl-server exited (${code}) before listening: ${stderr}${JSON.stringify(logs)}`)),
    );
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    await listening;
  } finally {
    clearTimeout(timer);
  }
  const exited = once(child, 'exit');
  return {
    child,
    url: `${scheme}://${ns.address}:${port}`,
    logs,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Whether the request went over a connection kept from an earlier one. */
  reused: boolean;
  ms: number;
}

/** An HTTP(S) client over kept-alive connections (at most `sockets` of them); `ca` trusts a test certificate. */
export class KeepAliveClient {
  readonly agent: Agent;
  private readonly send: typeof request;
  constructor(
    private readonly base: string,
    sockets = 1,
    private readonly headers: Record<string, string> = {},
    ca?: Buffer,
  ) {
    const https = base.startsWith('https:');
    this.agent = https
      ? new HttpsAgent({ keepAlive: true, maxSockets: sockets, ...(ca ? { ca } : {}) })
      : new Agent({ keepAlive: true, maxSockets: sockets });
    this.send = https ? (httpsRequest as typeof request) : request;
  }

  call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const t = performance.now();
    return new Promise((resolve, reject) => {
      const req = this.send(
        `${this.base}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            ...this.headers,
            ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              headers: res.headers,
              body: text,
              reused: req.reusedSocket,
              ms: performance.now() - t,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
