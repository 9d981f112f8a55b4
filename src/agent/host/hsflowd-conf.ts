/**
 * hsflowd.conf → HostAgentConfig, and the sampling rate hsflowd would pick for a link.
 * Syntax and keys: https://sflow.net/host-sflow-linux-config.php and hsflowd's own parser
 * https://github.com/sflow/host-sflow/blob/master/src/Linux/hsflowconfig.c
 */
import { HsflowdConfError } from './hsflowd-conf-error.js';
import { type Block, parseTree, type Setting } from './hsflowd-conf-syntax.js';
import { tokenize } from './hsflowd-conf-tokens.js';
import {
  type AgentCidr,
  type HostAgentConfig,
  type HostCollector,
  HSFLOWD_DEFAULTS,
  type NetfilterLogConfig,
  type RawModule,
  type SpeedRange,
} from './hsflowd-conf-types.js';
import type { Value } from './hsflowd-conf-values.js';

export { HSFLOWD_CONF_ERRORS, HsflowdConfError, type HsflowdConfErrorCode } from './hsflowd-conf-error.js';
export * from './hsflowd-conf-types.js';

export function defaultHostAgentConfig(file = 'hsflowd.conf'): HostAgentConfig {
  return {
    file,
    sampling: HSFLOWD_DEFAULTS.sampling,
    polling: HSFLOWD_DEFAULTS.polling,
    headerBytes: HSFLOWD_DEFAULTS.headerBytes,
    datagramBytes: HSFLOWD_DEFAULTS.datagramBytes,
    samplingBySpeed: {},
    apps: {},
    collectors: [],
    agentCidrs: [],
    dnsSd: { enabled: false },
    daemon: {},
    modules: { pcap: [] },
    otherModules: [],
  };
}

/**
 * Reads an hsflowd.conf. Throws HsflowdConfError where hsflowd would refuse to start; returns warnings for
 * what it skipped (unknown keys and blocks), deprecated spellings and a config that sends nowhere.
 */
export function parseHsflowdConf(
  text: string,
  file = 'hsflowd.conf',
): { config: HostAgentConfig; warnings: string[] } {
  const warnings: string[] = [];
  const root = parseTree(tokenize(text, file), file, warnings);
  const config = defaultHostAgentConfig(file);
  for (const s of root.settings) applySetting(config, s);
  for (const b of root.blocks) applyBlock(config, b, file);
  for (const log of [config.modules.nflog, config.modules.ulog])
    if (log?.probability) log.samplingRate = Math.floor(1 / log.probability);
  if (config.collectors.length === 0 && !config.dnsSd.enabled)
    warnings.push(`${file}:${root.line}: no collector { } and no dns-sd { }: the agent has nowhere to send`);
  return { config, warnings };
}

/** Speeds as hsflowd prints them to name `sampling.<speed>` keys: 10000000000 → `10G`, 2500000000 → `2G`. */
export function speedName(bitsPerSecond: number | bigint): string {
  const digits = BigInt(bitsPerSecond).toString();
  const [chop, unit] =
    digits.length > 12
      ? [12, 'T']
      : digits.length > 9
        ? [9, 'G']
        : digits.length > 6
          ? [6, 'M']
          : digits.length > 3
            ? [3, 'K']
            : [0, ''];
  return digits.slice(0, digits.length - chop) + unit;
}

/**
 * The 1-in-N packet sampling rate for a link, as hsflowd's lookupPacketSamplingRate: `sampling.<speed>` if
 * set for this speed; else ifSpeed / `sampling.bps_ratio` (at least 1) if that is set, and non-zero; else
 * ifSpeed / 1,000,000, at least 100 (1G → 1,000, 10G → 10,000, 25G → 25,000: a formula, not speed classes).
 * `sampling` applies only where the speed is unknown (0), or when `sampling.bps_ratio = 0`.
 */
export function samplingFor(config: HostAgentConfig, ifSpeedBitsPerSecond: number | bigint): number {
  const speed = Number(ifSpeedBitsPerSecond);
  if (!(speed > 0)) return config.sampling;
  const bySpeed = config.samplingBySpeed[speedName(BigInt(Math.trunc(speed)))];
  if (bySpeed !== undefined) return bySpeed;
  if (config.bpsRatio !== undefined)
    return config.bpsRatio > 0 ? Math.max(1, Math.floor(speed / config.bpsRatio)) : config.sampling;
  return Math.max(HSP_SPEED_SAMPLING_MIN, Math.floor(speed / HSP_SPEED_SAMPLING_RATIO));
}

// hsflowd.h
const HSP_SPEED_SAMPLING_RATIO = 1_000_000;
const HSP_SPEED_SAMPLING_MIN = 100;

/**
 * Sampling and polling for an application (`http`, `memcache`, `app.myapp.worker`): the deepest matching
 * `sampling.X` / `polling.X` wins (`app.myapp` covers `app.myapp.worker`), falling back on `sampling` / `polling`.
 */
export function appSettingsFor(config: HostAgentConfig, app: string): { sampling: number; polling: number } {
  let sampling: number | undefined;
  let polling: number | undefined;
  let depth = -1;
  for (const [name, s] of Object.entries(config.apps)) {
    if ((app === name || app.startsWith(`${name}.`)) && name.length > depth) {
      depth = name.length;
      sampling = s.sampling;
      polling = s.polling;
    }
  }
  return { sampling: sampling ?? config.sampling, polling: polling ?? config.polling };
}

const SPEED_KEY = /^(\d+)([kmgt]?)$/i;

/** `sampling.<x>` / `polling.<x>` from the file or a DNS-SD TXT record. */
export function applyWildcard(config: HostAgentConfig, key: string, n: number): void {
  const dot = key.indexOf('.');
  const what = key.slice(0, dot).toLowerCase();
  const name = key.slice(dot + 1);
  const speed = SPEED_KEY.exec(name);
  if (what === 'sampling' && speed) config.samplingBySpeed[speed[1]! + speed[2]!.toUpperCase()] = n;
  else if (what === 'sampling' && name.toLowerCase() === 'bps_ratio') config.bpsRatio = n;
  else {
    const app = config.apps[name] ?? {};
    config.apps[name] = app;
    if (what === 'sampling') app.sampling = n;
    else app.polling = n;
  }
}

function applySetting(config: HostAgentConfig, s: Setting): void {
  const v = s.value;
  switch (s.key) {
    case 'sampling':
    case 'polling':
    case 'headerBytes':
    case 'datagramBytes':
      config[s.key] = v as number;
      return;
    case 'agent':
    case 'agentIP':
    case 'uuid':
      config[s.key] = v as string;
      return;
    case 'subAgentId':
      config.subAgentId = v as number;
      return;
    case 'agent.cidr':
      config.agentCidrs.push(v as AgentCidr);
      return;
    case 'DNSSD':
      config.dnsSd.enabled = v as boolean;
      return;
    case 'DNSSD_domain':
      config.dnsSd.domain = v as string;
      return;
    case 'modules':
      config.daemon.modulesPath = v as string;
      return;
    case 'refreshAdaptors':
    case 'checkAdaptors':
    case 'refreshVMs':
    case 'forgetVMs':
      config.daemon[s.key] = v as number;
      return;
    // hsflowd 1.x spelled the module settings flat; they meant "turn it on", so they do here.
    case 'ulogGroup':
    case 'nflogGroup':
      netfilterLog(config, s.key === 'ulogGroup' ? 'ulog' : 'nflog').group = v as number;
      return;
    case 'ulogProbability':
    case 'nflogProbability':
      netfilterLog(config, s.key === 'ulogProbability' ? 'ulog' : 'nflog').probability = v as number;
      return;
    case 'jsonPort':
      config.modules.json = { ...config.modules.json, udpPort: v as number };
      return;
    case 'jsonFIFO':
      config.modules.json = { ...config.modules.json, fifo: v as string };
      return;
    case 'loopback':
    case 'samplingDirection':
    case 'xen.update.dominfo':
    case 'xen.dsk':
      return; // hsflowd ignores the first two; the Xen ones concern a hypervisor we do not monitor.
    default:
      applyWildcard(config, s.key, v as number);
  }
}

function netfilterLog(config: HostAgentConfig, name: 'ulog' | 'nflog'): NetfilterLogConfig {
  config.modules[name] ??= {};
  return config.modules[name];
}

/** The last value of each setting in a block. */
function values(b: Block): Record<string, Value | undefined> {
  const r: Record<string, Value> = {};
  for (const s of b.settings) r[s.key] = s.value;
  return r;
}

/** Drops the undefined properties, so that a config compares equal to one written out by hand. */
function defined<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] === undefined) delete o[key];
  return o;
}

function raw(b: Block): RawModule {
  const settings: Record<string, string> = {};
  for (const s of b.settings) settings[s.key] = s.text;
  return { name: b.name, line: b.line, settings, blocks: b.blocks.map(raw) };
}

function applyBlock(config: HostAgentConfig, b: Block, file: string): void {
  const v = values(b);
  const m = config.modules;
  const bool = (key: string) => v[key] as boolean | undefined;
  const num = (key: string) => v[key] as number | undefined;
  const str = (key: string) => v[key] as string | undefined;
  switch (b.name) {
    case 'collector': {
      if (v.ip === undefined)
        throw new HsflowdConfError('INCOMPLETE', file, b.line, "collector { } needs an 'ip'");
      const collector: HostCollector = {
        address: str('ip')!,
        port: num('UDPPort') ?? HSFLOWD_DEFAULTS.collectorPort,
      };
      config.collectors.push(defined({ ...collector, dev: str('dev'), namespace: str('namespace') }));
      return;
    }
    case 'dns-sd':
      config.dnsSd = defined({ enabled: true, domain: str('domain') ?? config.dnsSd.domain });
      return;
    case 'pcap':
      m.pcap.push(
        defined({
          dev: str('dev'),
          devPattern: str('dev.pattern'),
          speed: v.speed as SpeedRange | undefined,
          sampling: num('sampling'),
          promisc: bool('promisc'),
          vport: bool('vport'),
          dynamic: bool('dynamic'),
        }),
      );
      return;
    case 'nflog':
    case 'ulog':
      m[b.name] = defined({
        ...m[b.name],
        group: num('group') ?? m[b.name]?.group,
        probability: num('probability') ?? m[b.name]?.probability,
      });
      return;
    case 'psample':
      m.psample = {
        group: num('group') ?? 1,
        ingress: bool('ingress') ?? true,
        egress: bool('egress') ?? false,
      };
      return;
    case 'json':
      m.json = defined({
        ...m.json,
        udpPort: num('UDPPort') ?? m.json?.udpPort,
        fifo: str('fifo') ?? m.json?.fifo,
      });
      return;
    case 'ovs':
      m.ovs = {};
      return;
    case 'docker':
    case 'containerd':
      m[b.name] = defined({
        refreshVMs: num('refreshVMs'),
        forgetVMs: num('forgetVMs'),
        hostname: bool('hostname'),
        markTraffic: bool('markTraffic'),
      });
      return;
    case 'systemd':
      m.systemd = defined({
        refreshVMs: num('refreshVMs'),
        dropPriv: bool('dropPriv'),
        cgroupProcs: str('cgroup_procs'),
        cgroupAcct: str('cgroup_acct'),
        markTraffic: bool('markTraffic'),
      });
      return;
    case 'tcp':
      m.tcp = defined({ tunnel: bool('tunnel'), udp: bool('udp'), dump: bool('dump') });
      return;
    default:
      config.otherModules.push(raw(b));
  }
}
