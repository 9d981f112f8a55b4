/**
 * What hsflowd accepts where: every block and every setting of hsflowd 2.x's readConfig, with the form of its
 * value and hsflowd's range. Names match without regard to case, as in hsflowd. The parser, the unknown-key
 * warnings and the key list in docs/agents.md all come from this one table.
 * https://github.com/sflow/host-sflow/blob/master/src/Linux/hsflowconfig.c (HSPReadConfigFile)
 * https://github.com/sflow/host-sflow/blob/master/src/Linux/hsflowtokens.h
 */
import type { Kind } from './hsflowd-conf-values.js';

export interface KeySpec {
  kind: Kind;
  /** The name the config object uses when this one is an alias (`packetSamplingRate` → `sampling`). */
  as?: string;
  /** hsflowd still reads it but names a better form, which the warning repeats. */
  deprecated?: string;
}

export interface BlockSpec {
  keys: Record<string, KeySpec>;
  /** Blocks allowed inside, by name. */
  blocks?: string[];
  /** `sampling.<name>` and `polling.<name>` for link speeds and applications. */
  wildcards?: boolean;
}

const int = (min: number, max: number, what?: string): Kind =>
  what === undefined ? { t: 'int', min, max } : { t: 'int', min, max, what };
const ONOFF: Kind = { t: 'onoff' };
const STRING: Kind = { t: 'string' };
const REGEX: Kind = { t: 'regex' };
const U32 = 0xffffffff;

// hsflowd.h and sflow.h: HSP_MAX_SAMPLING_N, HSP_MAX_POLLING_S, HSP_MAX_HEADER_BYTES, SFL_{MIN,MAX}_DATAGRAM_SIZE.
export const SAMPLING: Kind = int(0, 10_000_000, 'a sampling rate');
export const POLLING: Kind = int(0, 300, 'a number of seconds');
export const HEADER_BYTES: Kind = int(0, 256, 'a number of bytes');
export const DATAGRAM_BYTES: Kind = int(200, 8192, 'a number of bytes');
const PORT: Kind = int(1, 65535, 'a port number');
const PROBABILITY: Kind = { t: 'float', min: 0, max: 1 };
const FORGET_VMS: Kind = int(60, U32, 'a number of seconds');
const REFRESH_VMS: Kind = int(60, 3600, 'a number of seconds');

const k = (kind: Kind, more: Omit<KeySpec, 'kind'> = {}): KeySpec => ({ kind, ...more });

export const BLOCKS: Record<string, BlockSpec> = {
  sflow: {
    wildcards: true,
    keys: {
      sampling: k(SAMPLING),
      packetSamplingRate: k(SAMPLING, { as: 'sampling' }),
      polling: k(POLLING),
      counterPollingInterval: k(POLLING, { as: 'polling' }),
      headerBytes: k(HEADER_BYTES),
      datagramBytes: k(DATAGRAM_BYTES),
      agent: k(STRING),
      agentIP: k({ t: 'address' }),
      'agent.cidr': k({ t: 'cidr' }),
      subAgentId: k(int(0, 199_999)),
      uuid: k({ t: 'uuid' }),
      modules: k(STRING),
      refreshAdaptors: k(int(60, 3600, 'a number of seconds')),
      checkAdaptors: k(int(1, 3600, 'a number of seconds')),
      refreshVMs: k(REFRESH_VMS),
      forgetVMs: k(FORGET_VMS),
      DNSSD: k(ONOFF, { deprecated: 'dns-sd { } to turn it on; leave it out to turn it off' }),
      DNSSD_domain: k(STRING, { deprecated: 'dns-sd { domain = .example.com }' }),
      loopback: k(ONOFF, { deprecated: 'nothing: hsflowd ignores it' }),
      samplingDirection: k({ t: 'direction' }, { deprecated: 'psample { ingress = on egress = on }' }),
      ulogGroup: k(int(1, 32), { deprecated: 'ulog { group = N }' }),
      ulogProbability: k(PROBABILITY, { deprecated: 'ulog { probability = P }' }),
      nflogGroup: k(int(1, U32), { deprecated: 'nflog { group = N }' }),
      nflogProbability: k(PROBABILITY, { deprecated: 'nflog { probability = P }' }),
      jsonPort: k(int(1025, 65535, 'a port number'), { deprecated: 'json { udpport = N }' }),
      jsonFIFO: k(STRING, { deprecated: 'json { fifo = PATH }' }),
      'xen.update.dominfo': k(ONOFF, { deprecated: 'xen { update.dominfo = on }' }),
      'xen.dsk': k(ONOFF, { deprecated: 'xen { dsk = on }' }),
    },
    blocks: [
      'dns-sd',
      'collector',
      'pcap',
      'epcap',
      'nflog',
      'ulog',
      'psample',
      'dropmon',
      'json',
      'ovs',
      'docker',
      'containerd',
      'systemd',
      'k8s',
      'kvm',
      'xen',
      'tcp',
      'nvml',
      'cumulus',
      'dent',
      'os10',
      'opx',
      'sonic',
      'dbus',
      'eapi',
      'nlroute',
      'vpp',
    ],
  },
  'dns-sd': { keys: { domain: k(STRING), DNSSD_domain: k(STRING, { as: 'domain' }) } },
  collector: { keys: { ip: k({ t: 'address' }), UDPPort: k(PORT), dev: k(STRING), namespace: k(STRING) } },
  pcap: {
    keys: {
      dev: k(STRING),
      'dev.pattern': k(REGEX),
      speed: k({ t: 'speeds' }),
      sampling: k(SAMPLING),
      promisc: k(ONOFF),
      vport: k(ONOFF),
      dynamic: k(ONOFF),
    },
  },
  nflog: {
    keys: {
      group: k(int(1, 32)),
      probability: k(PROBABILITY),
      nflogGroup: k(int(1, 32), { as: 'group' }),
      nflogProbability: k(PROBABILITY, { as: 'probability' }),
    },
  },
  ulog: {
    keys: {
      group: k(int(1, 32)),
      probability: k(PROBABILITY),
      ulogGroup: k(int(1, 32), { as: 'group' }),
      ulogProbability: k(PROBABILITY, { as: 'probability' }),
    },
  },
  psample: { keys: { group: k(int(1, 32)), ingress: k(ONOFF), egress: k(ONOFF) } },
  json: {
    keys: {
      UDPPort: k(int(0, 65535, 'a port number (0 to not listen)')),
      jsonPort: k(int(0, 65535, 'a port number (0 to not listen)'), { as: 'UDPPort' }),
      fifo: k(STRING),
      jsonFIFO: k(STRING, { as: 'fifo' }),
    },
  },
  ovs: { keys: {} },
  docker: {
    keys: { refreshVMs: k(REFRESH_VMS), forgetVMs: k(FORGET_VMS), hostname: k(ONOFF), markTraffic: k(ONOFF) },
  },
  containerd: { keys: { forgetVMs: k(FORGET_VMS), hostname: k(ONOFF), markTraffic: k(ONOFF) } },
  systemd: {
    keys: {
      refreshVMs: k(int(10, 3600, 'a number of seconds')),
      dropPriv: k(ONOFF),
      cgroup_procs: k(STRING),
      cgroup_acct: k(STRING),
      markTraffic: k(ONOFF),
    },
  },
  dropmon: {
    keys: {
      group: k(int(1, U32), { deprecated: 'nothing: hsflowd ignores it' }),
      start: k(ONOFF),
      force: k(ONOFF),
      sw: k(ONOFF),
      hw: k(ONOFF),
      rn: k(ONOFF),
      hw_unknown: k(ONOFF),
      hw_function: k(ONOFF, { deprecated: 'nothing: hsflowd ignores it' }),
      sw_passive: k(ONOFF),
      hw_passive: k(ONOFF),
      hide: k(REGEX),
      limit: k(int(1, 10_000)),
      max: k(int(1, U32)),
      max_trip: k(int(1, U32)),
    },
  },
  k8s: {
    keys: {
      markTraffic: k(ONOFF),
      eof: k(ONOFF),
      setIfAlias: k(ONOFF),
      setIfName: k(ONOFF),
      unixsock: k(STRING),
    },
  },
  kvm: { keys: { refreshVMs: k(REFRESH_VMS), forgetVMs: k(FORGET_VMS) } },
  xen: {
    keys: {
      'update.dominfo': k(ONOFF),
      'xen.update.dominfo': k(ONOFF, { as: 'update.dominfo' }),
      dsk: k(ONOFF),
      'xen.dsk': k(ONOFF, { as: 'dsk' }),
      switchport: k(REGEX),
      vbd: k(STRING),
      refreshVMs: k(REFRESH_VMS),
      forgetVMs: k(FORGET_VMS),
    },
  },
  tcp: { keys: { tunnel: k(ONOFF), udp: k(ONOFF), dump: k(ONOFF) } },
  nvml: { keys: {} },
  cumulus: { keys: { switchport: k(REGEX) } },
  dent: { keys: { switchport: k(REGEX), sw: k(ONOFF) } },
  os10: { keys: { UDPPort: k(int(0, 65535, 'a port number')), switchport: k(REGEX) }, blocks: ['port'] },
  opx: { keys: { UDPPort: k(int(0, 65535, 'a port number')), switchport: k(REGEX) }, blocks: ['port'] },
  port: { keys: { dev: k(STRING) } },
  sonic: {
    keys: {
      switchport: k(REGEX),
      unixsock: k(ONOFF),
      dbconfig: k(STRING),
      waitReady: k(int(0, U32, 'a number of seconds')),
      suppressOther: k(ONOFF),
      setIfAlias: k(ONOFF),
      setIfName: k(ONOFF),
    },
  },
  dbus: { keys: {} },
  eapi: { keys: {} },
  nlroute: { keys: { limit: k(int(0, 500)), link: k(ONOFF), addr: k(ONOFF), setIfAlias: k(ONOFF) } },
  vpp: { keys: { ifOffset: k(int(0, U32)), osIndex: k(ONOFF) } },
};

/** The key as hsflowd spells it, whatever case it was written in. */
export function findKey(block: string, written: string): { name: string; spec: KeySpec } | undefined {
  const keys = BLOCKS[block]!.keys;
  const lower = written.toLowerCase();
  for (const name of Object.keys(keys)) if (name.toLowerCase() === lower) return { name, spec: keys[name]! };
  return undefined;
}
