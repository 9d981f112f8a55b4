/**
 * `sflowkit memcache-proxy`: a proxy in front of a stock memcached that sends the sFlow memcached's own sFlow
 * sent (docs/memcache-proxy.md). Settings come from the flags, else from the host agent's auto file (as
 * memcached's sFlow took them from hsflowd.auto), read again every polling interval; flags win.
 */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import type { Collector } from '../agent/exporter.js';
import { createLogger } from '../common/logger.js';
import { FollowedSettings, firstIpv4 } from '../instrument/instrument-settings.js';
import { type Endpoint, MemcacheProxy } from '../instrument/memcache-proxy.js';
import { MemcacheSflow } from '../instrument/memcache-sflow.js';
import { StatsClient } from '../instrument/memcache-stats.js';
import { collectorArgs } from './collector-args.js';

const HELP = `usage: sflowkit memcache-proxy --listen HOST:PORT [options]

A proxy in front of memcached that reports its operations and counters in sFlow, as memcached's sFlow
module did: 1 in N operations (text and binary protocol) as memcache_operation samples, memcached's
statistics as memcache_counters every polling interval. Traffic is forwarded unchanged.

  --listen HOST:PORT     where clients connect ([IPv6]:PORT for IPv6); the port is the sFlow data source 3:PORT
  --upstream HOST:PORT   the memcached to forward to (default 127.0.0.1:11211)
  --collector A[:P]      send sFlow here (repeatable; [v6]:port for IPv6); default: the auto file's collectors,
                         or 127.0.0.1:6343 without an auto file
  --sampling N           sample 1 in N operations, 0 for none (default: the auto file's sampling.memcache,
                         else its sampling; 400 without one)
  --polling S            seconds between counter samples, 0 for none (default: the auto file's, else 20)
  --agent-address IP     the agent address in the datagrams (default: the auto file's agentIP, else the
                         listen address, else this host's first non-loopback IPv4 address)
  --auto-file FILE       the host agent's published settings (sflowkit agent --auto-file, hsflowd's
                         /etc/hsflowd.auto), read again every polling interval
  --max-pending N        requests awaiting an answer per connection before it is no longer sampled (4096)
  --log-level LEVEL      fatal, error, warn, info (default), debug, trace, silent
`;

interface ProxyArgs {
  listen: Endpoint;
  upstream: Endpoint;
  collectors: Collector[];
  sampling?: number;
  polling?: number;
  agentAddress?: string;
  autoFile?: string;
  maxPending: number;
  logLevel: string;
}

/** HOST:PORT or [IPv6]:PORT. */
function endpoint(text: string, flag: string, minPort: number): Endpoint | string {
  const m = /^\[([^\]]+)\]:(\d+)$|^([^:[\]]+):(\d+)$/.exec(text);
  const port = Number(m?.[2] ?? m?.[4]);
  if (!m || !(port >= minPort && port <= 65535)) return `${flag} ${text}: expected HOST:PORT or [IPv6]:PORT`;
  return { host: m[1] ?? m[3], port };
}

function count(text: string | undefined, flag: string, min: number): number | string | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return /^\d+$/.test(text) && n >= min && n <= 0xffffffff
    ? n
    : `${flag} ${text}: expected an integer ≥ ${min}`;
}

function parse(args: string[]): ProxyArgs | string {
  let v: ReturnType<typeof parseArgs>['values'];
  try {
    v = parseArgs({
      args,
      options: {
        listen: { type: 'string' },
        upstream: { type: 'string' },
        collector: { type: 'string', multiple: true },
        sampling: { type: 'string' },
        polling: { type: 'string' },
        'agent-address': { type: 'string' },
        'auto-file': { type: 'string' },
        'max-pending': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    return (e as Error).message;
  }
  if (v.help) return '';
  if (v.listen === undefined) return '--listen HOST:PORT is required';
  const listen = endpoint(v.listen as string, '--listen', 1);
  if (typeof listen === 'string') return listen;
  const upstream = endpoint((v.upstream as string | undefined) ?? '127.0.0.1:11211', '--upstream', 1);
  if (typeof upstream === 'string') return upstream;
  const collectors = collectorArgs(v.collector as string[] | undefined);
  if (typeof collectors === 'string') return collectors;
  const sampling = count(v.sampling as string | undefined, '--sampling', 0);
  const polling = count(v.polling as string | undefined, '--polling', 0);
  const maxPending = count(v['max-pending'] as string | undefined, '--max-pending', 1) ?? 4096;
  for (const n of [sampling, polling, maxPending]) if (typeof n === 'string') return n;
  const agentAddress = v['agent-address'] as string | undefined;
  if (agentAddress !== undefined && isIP(agentAddress) === 0)
    return `--agent-address ${agentAddress}: expected an IPv4 or IPv6 address`;
  return {
    listen,
    upstream,
    collectors,
    ...(sampling !== undefined ? { sampling: sampling as number } : {}),
    ...(polling !== undefined ? { polling: polling as number } : {}),
    ...(agentAddress ? { agentAddress } : {}),
    ...(v['auto-file'] ? { autoFile: v['auto-file'] as string } : {}),
    maxPending: maxPending as number,
    logLevel: (v['log-level'] as string | undefined) ?? 'info',
  };
}

/** The listen address when it names one host, else this host's first non-loopback IPv4 address. */
function defaultAgent(listen: Endpoint): string {
  if (isIP(listen.host) !== 0 && listen.host !== '0.0.0.0' && listen.host !== '::') return listen.host;
  return firstIpv4();
}

export async function memcacheProxyCommand(args: string[]): Promise<number> {
  const a = parse(args);
  if (typeof a === 'string') {
    if (a === '') {
      process.stdout.write(HELP);
      return 0;
    }
    process.stderr.write(
      `sflowkit memcache-proxy: ${a}\n(sflowkit memcache-proxy --help lists the options)\n`,
    );
    return 2;
  }
  let log: ReturnType<typeof createLogger>;
  try {
    log = createLogger(a.logLevel);
  } catch {
    process.stderr.write(`sflowkit memcache-proxy: --log-level ${a.logLevel}: not a level\n`);
    return 2;
  }
  const followed = new FollowedSettings(
    'memcache',
    { ...a, autoFileNamed: a.autoFile !== undefined },
    // memcached's sFlow used its port as sub-agent id, so that instances on one host are told apart.
    { sampling: 400, agentAddress: () => defaultAgent(a.listen), subAgentId: a.listen.port },
    (now, before) => {
      sflow.setExporter(followed.exporter);
      if (now.sampling !== before.sampling || now.polling !== before.polling)
        sflow.configure(now.sampling, now.polling);
      log.info({ ...now }, 'new settings');
    },
  );
  const settings = followed.settings;
  if (followed.waiting)
    log.warn({ file: a.autoFile }, 'no settings in the auto file yet; read again every polling interval');
  const stats = new StatsClient(a.upstream.host, a.upstream.port);
  const sflow = new MemcacheSflow({
    exporter: followed.exporter,
    samplingRate: settings.sampling,
    pollingSeconds: settings.polling,
    dataSource: a.listen.port,
    readStats: () => stats.read(),
    onPollError: (e) => log.warn({ error: e.message }, 'cannot read the upstream statistics'),
  });
  const proxy = new MemcacheProxy({
    listen: a.listen,
    upstream: a.upstream,
    sflow,
    maxPending: a.maxPending,
    log,
  });
  try {
    await proxy.start();
  } catch (e) {
    process.stderr.write(
      `sflowkit memcache-proxy: cannot listen on ${a.listen.host}:${a.listen.port}: ${(e as Error).message}\n`,
    );
    sflow.stop();
    await followed.close();
    return 1;
  }
  log.info({ listen: a.listen, upstream: a.upstream, ...settings }, 'memcache-proxy running');

  followed.follow();
  const debug = setInterval(
    () => log.debug({ ...proxy.counts, operations: sflow.counts() }, 'memcache-proxy counts'),
    20_000,
  ).unref();

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(debug);
  sflow.stop();
  stats.close();
  await proxy.stop();
  await followed.close();
  return 0;
}
