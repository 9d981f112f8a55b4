/**
 * The ACL server's round trip (the seed's note 5): PUT → 201 latency with the iptables back-end in a network
 * namespace, the client outside it over a veth pair, as test/control/acl-server-netns.test.ts sets it up.
 * Per batch window (--batch-ms 20, the default, and 0, group commit): 200 sequential PUTs over one kept-alive
 * connection, the same over a new connection each, and 200 PUTs from 10 concurrent clients (each with its own
 * kept-alive connection). Every PUT rewrites one of 10 ACLs, so the ruleset stays the size a marking
 * controller keeps; a 201 means the rule is in the kernel. Then the dry-run back-end, over HTTP and HTTPS,
 * to show what the server and the connection cost without the kernel. Needs root, ip and iptables.
 *
 *   node dist/bench/acl-round-trip.js [--puts 200] [--clients 10]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KeepAliveClient,
  Netns,
  netnsSkipReason,
  type RunningAclServer,
  startAclServer,
} from '../test/control/netns.js';
import { selfSignedCertificate } from '../test/support/self-signed.js';

const TOKEN = 'bench';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const PUTS = option('--puts', 200);
const CLIENTS = option('--clients', 10);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(ms: number[]): { median: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] };
}

const acl = (i: number) => [
  '[iptables]',
  `-t mangle -A FORWARD -i swp+ -s 10.0.${i % 250}.1 -d 10.1.0.2 -p tcp --sport ${1024 + i} --dport 5001 -j DSCP --set-dscp 10`,
];

interface Setup {
  label: string;
  args: string[];
  /** Runs: [label, clients, keep-alive]. */
  runs: [string, number, boolean][];
}

async function phase(server: RunningAclServer, clients: number, keepAlive: boolean, ca?: Buffer) {
  const status = new KeepAliveClient(server.url, 1, {}, ca);
  const commitsBefore = JSON.parse((await status.call('GET', '/status')).body).commits as number;
  const perClient = Math.ceil(PUTS / clients);
  const ms: number[] = [];
  const auth = { authorization: `Bearer ${TOKEN}` };
  const t = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let client = new KeepAliveClient(server.url, 1, auth, ca);
      for (let k = 0; k < perClient; k++) {
        if (!keepAlive) {
          client.close();
          client = new KeepAliveClient(server.url, 1, auth, ca);
        }
        const i = c * perClient + k;
        const r = await client.call('PUT', `/acl/mark${i % 10}`, acl(i));
        if (r.status !== 201) throw new Error(`PUT ${i}: ${r.status} ${r.body}`);
        ms.push(r.ms);
      }
      client.close();
    }),
  );
  const wall = performance.now() - t;
  const commits = (JSON.parse((await status.call('GET', '/status')).body).commits as number) - commitsBefore;
  status.close();
  return { ms, commits, perSecond: (ms.length / wall) * 1000 };
}

async function main(): Promise<number> {
  const skip = netnsSkipReason();
  if (skip) {
    process.stderr.write(`acl-round-trip: ${skip}\n`);
    return 1;
  }
  const ns = Netns.create('bench');
  const dir = await mkdtemp(join(tmpdir(), 'sfk-acl-bench-'));
  const rows: string[] = [];
  const commitMs: number[] = [];
  const f = (x: number) => x.toFixed(1);
  try {
    const base = ['--dir', join(dir, 'acl'), '--token', TOKEN];
    const cert = selfSignedCertificate(dir, ns.address);
    const both: Setup['runs'] = [
      ['sequential, kept-alive connection', 1, true],
      ['sequential, new connection per PUT', 1, false],
      [`${CLIENTS} concurrent clients, kept-alive`, CLIENTS, true],
    ];
    const setups: Setup[] = [
      { label: 'iptables, --batch-ms 20', args: ['--backend', 'iptables', '--batch-ms', '20'], runs: both },
      { label: 'iptables, --batch-ms 0', args: ['--backend', 'iptables', '--batch-ms', '0'], runs: both },
      {
        label: 'dry-run, --batch-ms 0',
        args: ['--backend', 'dry-run', '--batch-ms', '0'],
        runs: both.slice(0, 2),
      },
      ...(cert
        ? [
            {
              label: 'dry-run, --batch-ms 0, HTTPS',
              args: [
                '--backend',
                'dry-run',
                '--batch-ms',
                '0',
                '--tls-cert',
                cert.cert,
                '--tls-key',
                cert.key,
              ],
              runs: both.slice(0, 2),
            },
          ]
        : []),
    ];
    for (const setup of setups) {
      const server = await startAclServer(ns, [...base, ...setup.args]);
      const ca = cert && setup.args.includes('--tls-cert') ? await readFile(cert.cert) : undefined;
      try {
        await phase(server, 1, true, ca);
        for (const [label, clients, keepAlive] of setup.runs) {
          const r = await phase(server, clients, keepAlive, ca);
          const s = summary(r.ms);
          rows.push(
            `| ${setup.label} | ${label} | ${r.ms.length} | ${f(s.median)} | ${f(s.p95)} | ${f(s.max)} | ${r.commits} | ${Math.round(r.perSecond)} |`,
          );
        }
      } finally {
        await server.stop();
      }
      if (setup.label === 'iptables, --batch-ms 0')
        for (const l of server.logs) if (l.msg === 'commit') commitMs.push(l.ms as number);
    }
  } finally {
    ns.destroy();
    await rm(dir, { recursive: true, force: true });
  }
  const c = summary(commitMs);
  process.stdout.write(
    [
      `ACL server round trip, PUT → 201, client outside the namespace over veth; node ${process.version}, ${cpus().length} CPUs`,
      '',
      '| back-end, window | run | PUTs | median ms | p95 ms | max ms | commits | PUTs/s |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `one commit (files + iptables-restore), iptables --batch-ms 0: median ${f(c.median)} ms, p95 ${f(c.p95)} ms`,
      '',
    ].join('\n'),
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`acl-round-trip: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
