/**
 * `sflowkit agent`: the Host sFlow agent as a daemon. Reads hsflowd.conf (or runs on defaults when there is
 * none), asks DNS-SD when the file says so (again after each answer's TTL), publishes the effective settings
 * to the auto file for the host's other agents, and sends the host's counters, with packet samples from an
 * NFLOG group or `pcap { dev }` devices. SIGHUP, or a change to the file, reads it again; a file that no longer
 * parses is logged and the last good configuration kept.
 */
import { existsSync, readFileSync, watch } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { writeAutoFile } from '../agent/host/auto-file.js';
import { applyDnsSd, DNSSD_START_DELAY_SECONDS, discover } from '../agent/host/dns-sd.js';
import { HostAgent } from '../agent/host/host-agent.js';
import { effectiveSettings } from '../agent/host/host-settings.js';
import {
  defaultHostAgentConfig,
  type HostAgentConfig,
  HsflowdConfError,
  parseHsflowdConf,
} from '../agent/host/hsflowd-conf.js';
import { ovsSettingsFrom } from '../agent/host/ovs-sflow.js';
import { OvsSync } from '../agent/host/ovs-sync.js';
import { pcapTargets } from '../agent/host/pcap-targets.js';
import { readNics } from '../agent/host/proc-net.js';
import { createLogger } from '../common/logger.js';
import { collectorArgs } from './collector-args.js';

const HELP = `usage: sflowkit agent [options]

The Host sFlow agent: the host's counters (CPU, memory, disk, network, TCP/IP, every NIC), and packet
samples with nflog { } or pcap { }, to sFlow collectors, configured as hsflowd is (docs/agents.md lists the
hsflowd.conf keys it reads).

  --config FILE        hsflowd.conf syntax (default /etc/hsflowd.conf; defaults when it does not exist)
  --collector A[:P]    send to this collector too (repeatable; [v6]:port for IPv6); without any collector in
                       the file or DNS-SD, 127.0.0.1:6343
  --auto-file FILE     publish the effective settings here for mod-sflow-like agents (hsflowd uses
                       /etc/hsflowd.auto); none by default
  --dns-server IP:PORT ask this DNS server for DNS-SD instead of the host's resolvers
  --dns-sd-delay S     with DNS-SD: wait a random 0 to S seconds before the first lookup, so that hosts
                       started together do not ask together (default 30, as hsflowd)
  --ovs-db DB          with ovs { }: the OVSDB that ovs-vsctl configures (its --db; default the system's)
  --log-level LEVEL    fatal, error, warn, info (default), debug, trace, silent
`;

interface AgentArgs {
  config: string;
  collectors: { address: string; port: number }[];
  autoFile?: string;
  dnsServer?: string;
  dnsSdDelay: number;
  ovsDb?: string;
  logLevel: string;
}

function parse(args: string[]): AgentArgs | string {
  let v: ReturnType<typeof parseArgs>['values'];
  try {
    v = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        collector: { type: 'string', multiple: true },
        'auto-file': { type: 'string' },
        'dns-server': { type: 'string' },
        'dns-sd-delay': { type: 'string' },
        'ovs-db': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    return (e as Error).message;
  }
  if (v.help) return '';
  const collectors = collectorArgs(v.collector as string[] | undefined);
  if (typeof collectors === 'string') return collectors;
  const delay = (v['dns-sd-delay'] as string | undefined) ?? String(DNSSD_START_DELAY_SECONDS);
  if (!/^\d+$/.test(delay) || Number(delay) > 3600)
    return `--dns-sd-delay ${delay}: expected whole seconds, 0 to 3600`;
  return {
    dnsSdDelay: Number(delay),
    config: (v.config as string | undefined) ?? '/etc/hsflowd.conf',
    collectors,
    ...(v['auto-file'] ? { autoFile: v['auto-file'] as string } : {}),
    ...(v['dns-server'] ? { dnsServer: v['dns-server'] as string } : {}),
    ...(v['ovs-db'] ? { ovsDb: v['ovs-db'] as string } : {}),
    logLevel: (v['log-level'] as string | undefined) ?? 'info',
  };
}

/** The file's configuration (defaults when it does not exist); throws HsflowdConfError for a bad one. */
function readConfig(path: string, log: Logger): HostAgentConfig {
  if (!existsSync(path)) return defaultHostAgentConfig(path);
  const { config, warnings } = parseHsflowdConf(readFileSync(path, 'utf8'), path);
  for (const w of warnings) log.warn(w);
  return config;
}

export async function agentCommand(args: string[]): Promise<number> {
  const a = parse(args);
  if (typeof a === 'string') {
    if (a === '') {
      process.stdout.write(HELP);
      return 0;
    }
    process.stderr.write(`sflowkit agent: ${a}\n(sflowkit agent --help lists the options)\n`);
    return 2;
  }
  const log = createLogger(a.logLevel);
  let fileConfig: HostAgentConfig;
  try {
    fileConfig = readConfig(a.config, log);
  } catch (e) {
    if (!(e instanceof HsflowdConfError)) throw e;
    process.stderr.write(`sflowkit agent: ${e.message}\n`);
    return 2;
  }
  const running = new AgentRun(a, log);
  await running.apply(fileConfig);
  const reread = () => {
    try {
      void running.apply(readConfig(a.config, log));
    } catch (e) {
      log.error({ error: (e as Error).message }, 'the configuration does not parse; the last good one stays');
    }
  };
  process.on('SIGHUP', reread);
  const watcher = existsSync(a.config) ? watch(a.config, () => reread()) : undefined;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  watcher?.close();
  await running.stop();
  return 0;
}

/** The agent with its current configuration, DNS-SD's re-query timer and the auto file's revision. */
class AgentRun {
  private agent?: HostAgent;
  private revision = 0;
  private requery?: NodeJS.Timeout;
  private ovs?: OvsSync;
  private firstLookup = true;

  constructor(
    private readonly a: AgentArgs,
    private readonly log: Logger,
  ) {}

  async apply(fileConfig: HostAgentConfig): Promise<void> {
    clearTimeout(this.requery);
    let config = fileConfig;
    if (config.dnsSd.enabled) {
      if (this.firstLookup && this.a.dnsSdDelay > 0) {
        const seconds = Math.random() * this.a.dnsSdDelay;
        this.log.info({ seconds: Math.round(seconds * 10) / 10 }, 'waiting before the first DNS-SD lookup');
        await new Promise((r) => setTimeout(r, seconds * 1000));
      }
      this.firstLookup = false;
      const found = await discover(
        config.dnsSd.domain,
        this.a.dnsServer ? { servers: [this.a.dnsServer] } : {},
      );
      for (const w of found.warnings) this.log.warn(w);
      if (found.status !== 'ok') this.log.warn({ status: found.status, error: found.error }, 'DNS-SD');
      config = applyDnsSd(config, found);
      this.requery = setTimeout(() => void this.apply(fileConfig), found.ttlSeconds * 1000);
      this.requery.unref();
    }
    const effective = await effectiveSettings(config);
    for (const u of effective.unresolved) this.log.warn({ collector: u }, 'the collector does not resolve');
    const collectors = [...effective.agent.collectors, ...this.a.collectors];
    if (collectors.length === 0 && !config.dnsSd.enabled)
      collectors.push({ address: '127.0.0.1', port: 6343 });
    const settings = { ...effective.agent, collectors };
    if (this.agent === undefined) {
      this.agent = new HostAgent({
        settings,
        onError: (e) => this.log.error({ error: (e as Error).message }, 'reading counters'),
      });
      this.agent.start();
    } else await this.agent.update(settings);
    const nflog = config.modules.nflog ?? config.modules.ulog;
    if (nflog?.group !== undefined && nflog.samplingRate)
      await this.agent
        .sample({ group: nflog.group, samplingRate: nflog.samplingRate, headerBytes: config.headerBytes })
        .catch((e) =>
          this.log.error({ error: (e as Error).message, group: nflog.group }, 'no packet sampling'),
        );
    await this.capture(this.agent, config);
    // Open vSwitch gets the same collectors and agent address; once configured, `ovs` off clears it.
    if (config.modules.ovs || this.ovs) {
      this.ovs ??= new OvsSync({ vsctlOptions: this.a.ovsDb ? [`--db=${this.a.ovsDb}`] : [], log: this.log });
      void this.ovs.configure(config.modules.ovs && ovsSettingsFrom(config, settings));
    }
    this.revision++;
    if (this.a.autoFile)
      await writeAutoFile(this.a.autoFile, { ...effective.auto, collectors, revision: this.revision }).catch(
        (e) =>
          this.log.error(
            { error: (e as Error).message, file: this.a.autoFile },
            'cannot write the auto file',
          ),
      );
    this.log.info(
      { agent: settings.agentAddress, collectors, polling: settings.polling, file: config.file },
      'agent running',
    );
  }

  /** pcap { dev }: each device at the rate for its link speed, read now (a reload reads it again). */
  private async capture(agent: HostAgent, config: HostAgentConfig): Promise<void> {
    const nics = config.modules.pcap.length > 0 ? ((await readNics('/')) ?? []) : [];
    const { targets, warnings } = pcapTargets(config, nics);
    for (const w of warnings) this.log.warn(w);
    const results = await agent.capture(
      targets.map((t) => ({
        dev: t.dev,
        samplingRate: t.samplingRate,
        headerBytes: config.headerBytes,
        promisc: t.promisc,
      })),
    );
    results.forEach((r, i) => {
      const { dev, samplingRate } = targets[i];
      if (r.status === 'rejected')
        this.log.error({ error: (r.reason as Error).message, dev }, 'no packet sampling');
      else this.log.info({ dev, samplingRate }, 'packet sampling');
    });
  }

  async stop(): Promise<void> {
    clearTimeout(this.requery);
    await this.ovs?.stop();
    await this.agent?.stop();
  }
}
