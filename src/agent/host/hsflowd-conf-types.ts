/**
 * The host agent's configuration, as read from hsflowd.conf and then adjusted by DNS-SD. Names follow
 * hsflowd.conf's keys (camelCase where the file has dots or underscores). Modules we implement have a typed
 * entry; the rest are kept as raw key/values in `otherModules` so that nothing written is lost.
 */
import type { Collector } from '../exporter.js';
import type { AgentCidr, SpeedRange } from './hsflowd-conf-values.js';

export type { AgentCidr, SpeedRange } from './hsflowd-conf-values.js';

/** hsflowd's defaults (sflow.h: SFL_DEFAULT_*). */
export const HSFLOWD_DEFAULTS = {
  sampling: 400,
  polling: 30,
  headerBytes: 128,
  datagramBytes: 1400,
  collectorPort: 6343,
} as const;

export interface HostCollector extends Collector {
  /** `ip` as written: an IPv4 or IPv6 address, or a host name the agent resolves before sending. */
  address: string;
  port: number;
  /** Send from this device (VRF) … */
  dev?: string;
  /** … or from this network namespace. */
  namespace?: string;
}

/** Per application (`http`, `memcache`, `app.myapp`) or per link speed (`10G`), as `sampling.X` / `polling.X`. */
export interface AppSettings {
  sampling?: number;
  polling?: number;
}

export interface PcapConfig {
  /** One device … */
  dev?: string;
  /** … or every device whose name matches … */
  devPattern?: string;
  /** … or whose ifSpeed is in this range. */
  speed?: SpeedRange;
  /** Overrides the per-speed sampling rate on these devices. */
  sampling?: number;
  promisc?: boolean;
  vport?: boolean;
  dynamic?: boolean;
}

/** iptables NFLOG / ULOG sampling: the kernel samples with `probability`; the rate is its inverse. */
export interface NetfilterLogConfig {
  group?: number;
  probability?: number;
  /** floor(1 / probability), as hsflowd reports it. */
  samplingRate?: number;
}

export interface PsampleConfig {
  group: number;
  ingress: boolean;
  egress: boolean;
}

export interface JsonConfig {
  /** UDP port on localhost for JSON-encoded samples and counters; 0 turns the socket off. */
  udpPort?: number;
  fifo?: string;
}

export interface ContainerConfig {
  refreshVMs?: number;
  forgetVMs?: number;
  hostname?: boolean;
  markTraffic?: boolean;
}

export interface SystemdConfig {
  refreshVMs?: number;
  dropPriv?: boolean;
  cgroupProcs?: string;
  cgroupAcct?: string;
  markTraffic?: boolean;
}

export interface TcpConfig {
  tunnel?: boolean;
  udp?: boolean;
  dump?: boolean;
}

/** A module block we do not implement, kept as written (values checked against hsflowd's ranges). */
export interface RawModule {
  name: string;
  line: number;
  settings: Record<string, string>;
  blocks: RawModule[];
}

export interface HostAgentConfig {
  /** Where the settings came from, for messages. */
  file: string;
  /** Packet sampling 1-in-N where the link speed is unknown, and the default for applications. */
  sampling: number;
  /** Counter polling interval in seconds; 0 turns polling off. */
  polling: number;
  headerBytes: number;
  datagramBytes: number;
  /** `sampling.100M`, `sampling.10G`, … : 1-in-N on links of that speed, as hsflowd prints speeds. */
  samplingBySpeed: Record<string, number>;
  /** `sampling.bps_ratio`: 1-in-(ifSpeed / ratio) on links with no `sampling.<speed>`; 0 falls back to `sampling`. */
  bpsRatio?: number;
  /** `sampling.<app>` / `polling.<app>`: `http`, `memcache`, `app.<name>`, … */
  apps: Record<string, AppSettings>;
  collectors: HostCollector[];
  /** Take the agent address from this interface. */
  agent?: string;
  /** Use this agent address. */
  agentIP?: string;
  /** Prefer agent addresses in these prefixes, the first written most; `exclude` rules a prefix out. */
  agentCidrs: AgentCidr[];
  subAgentId?: number;
  uuid?: string;
  dnsSd: {
    enabled: boolean;
    /** Looked up as `_sflow._udp<domain>`; none means the host's search domains. */
    domain?: string;
  };
  /** Daemon timers and the module path, as hsflowd reads them. */
  daemon: {
    refreshAdaptors?: number;
    checkAdaptors?: number;
    refreshVMs?: number;
    forgetVMs?: number;
    modulesPath?: string;
  };
  modules: {
    pcap: PcapConfig[];
    nflog?: NetfilterLogConfig;
    ulog?: NetfilterLogConfig;
    psample?: PsampleConfig;
    json?: JsonConfig;
    /** Present (empty) when `ovs { }` asks the agent to configure Open vSwitch's sFlow. */
    ovs?: Record<string, never>;
    docker?: ContainerConfig;
    containerd?: ContainerConfig;
    systemd?: SystemdConfig;
    tcp?: TcpConfig;
  };
  otherModules: RawModule[];
}
