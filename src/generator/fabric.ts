/**
 * The data center's wiring: a leaf–spine fabric, hosts on leaf ports, and what each interface is (speed,
 * sampling rate, what it connects to). Addresses follow one plan so a reader of the output can tell what is
 * what: switches 10.0.0.0/24, hosts 10.1.<leaf>.<port> and fd00:1:<leaf>::<port>.
 */
import { ipv6Text, parseIpv6 } from '../xdr/address-text.js';

export interface FabricConfig {
  spines: number;
  leaves: number;
  /** Host-facing ports on each leaf. */
  portsPerLeaf: number;
  hosts: number;
  /** Host link speeds in bit/s, given to hosts in turn (1G, 10G, 25G, 40G, 100G are typical). */
  hostSpeeds: number[];
  /** Leaf–spine link speed in bit/s. */
  uplinkSpeed: number;
  /** One sampling rate for every interface; by default each interface's as Host sFlow chooses it. */
  samplingRate?: number;
  /** Counter polling interval range in seconds; each agent gets its own within it. */
  polling: [number, number];
  /** VLANs hosts are put in, in turn. */
  vlans: number[];
  /** Leaf ports with no host report counters too (oper down), as real switches' do; off by default. */
  idlePorts?: boolean;
}

export const DEFAULT_FABRIC: FabricConfig = {
  spines: 2,
  leaves: 4,
  portsPerLeaf: 48,
  hosts: 40,
  hostSpeeds: [10e9, 10e9, 25e9, 1e9],
  uplinkSpeed: 100e9,
  polling: [20, 30],
  vlans: [10, 20, 30],
};

export type Peer =
  | { kind: 'host'; host: Host }
  | { kind: 'switch'; sw: Switch; ifIndex: number }
  | { kind: 'none' };

export interface Port {
  ifIndex: number;
  speed: number;
  samplingRate: number;
  mac: string;
  peer: Peer;
}

export interface Switch {
  name: string;
  role: 'spine' | 'leaf';
  index: number;
  agent: string;
  ports: Port[];
}

export interface Host {
  name: string;
  index: number;
  ipv4: string;
  ipv6: string;
  mac: string;
  vlan: number;
  speed: number;
  leaf: Switch;
  port: Port;
}

/** One switch a packet crosses: where it came in and where it went out. */
export interface Hop {
  sw: Switch;
  in: Port;
  out: Port;
}

export interface Fabric {
  config: FabricConfig;
  spines: Switch[];
  leaves: Switch[];
  switches: Switch[];
  hosts: Host[];
}

/** Host sFlow's choice: one packet in ifSpeed / 1,000,000, at least 1 in 100. */
export function hostSflowSamplingRate(speed: number): number {
  return Math.max(100, Math.round(speed / 1e6));
}

const hex2 = (n: number) => (n & 255).toString(16).padStart(2, '0');

/**
 * A fabric configuration from a config file: DEFAULT_FABRIC with the file's settings on top, each checked, so
 * that a mistake is a message and not a hang or a crash later.
 */
export function fabricConfig(settings: Record<string, unknown>): FabricConfig {
  for (const key of Object.keys(settings)) {
    if (!(key in DEFAULT_FABRIC) && key !== 'samplingRate' && key !== 'idlePorts')
      throw new RangeError(`unknown fabric setting '${key}'`);
  }
  const c = { ...DEFAULT_FABRIC, ...settings } as FabricConfig;
  const int = (name: string, v: unknown, min: number, max: number) => {
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
      throw new RangeError(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`);
  };
  int('spines', c.spines, 1, 64);
  int('leaves', c.leaves, 1, 250);
  // Hosts are numbered by leaf and port in their addresses: 10.1.<leaf>.<port>.
  int('portsPerLeaf', c.portsPerLeaf, 1, 254);
  int('hosts', c.hosts, 2, c.leaves * c.portsPerLeaf);
  const speed = (name: string, v: unknown) => {
    if (typeof v !== 'number' || !(v >= 1e6 && v <= 1e12))
      throw new RangeError(`${name} must be in bit/s, 1e6 to 1e12`);
  };
  if (!Array.isArray(c.hostSpeeds) || c.hostSpeeds.length === 0)
    throw new RangeError('hostSpeeds must list speeds');
  for (const v of c.hostSpeeds) speed('hostSpeeds', v);
  speed('uplinkSpeed', c.uplinkSpeed);
  if (c.samplingRate !== undefined) int('samplingRate', c.samplingRate, 1, 2 ** 31);
  if (!Array.isArray(c.polling) || c.polling.length !== 2)
    throw new RangeError('polling must be [min, max] seconds');
  int('polling[0]', c.polling[0], 1, 3600);
  int('polling[1]', c.polling[1], c.polling[0], 3600);
  if (!Array.isArray(c.vlans) || c.vlans.length === 0) throw new RangeError('vlans must list VLANs');
  for (const v of c.vlans) int('vlans', v, 1, 4094);
  if (c.idlePorts !== undefined && typeof c.idlePorts !== 'boolean')
    throw new RangeError('idlePorts must be true or false');
  return c;
}

export function buildFabric(config: FabricConfig): Fabric {
  if (config.hosts > config.leaves * config.portsPerLeaf) {
    throw new RangeError(
      `${config.hosts} hosts do not fit on ${config.leaves} leaves of ${config.portsPerLeaf} ports`,
    );
  }
  const rate = (speed: number) => config.samplingRate ?? hostSflowSamplingRate(speed);
  const sw = (role: Switch['role'], index: number, n: number): Switch => ({
    name: `${role}${index + 1}`,
    role,
    index,
    agent: `10.0.0.${n}`,
    ports: [],
  });
  const spines = Array.from({ length: config.spines }, (_, i) => sw('spine', i, i + 1));
  const leaves = Array.from({ length: config.leaves }, (_, i) => sw('leaf', i, 101 + i));
  const port = (s: Switch, ifIndex: number, speed: number, peer: Peer): Port => ({
    ifIndex,
    speed,
    samplingRate: rate(speed),
    mac: `02:ff:${hex2(s.role === 'spine' ? s.index : 0x80 + s.index)}:00:${hex2(ifIndex >> 8)}:${hex2(ifIndex)}`,
    peer,
  });
  for (const leaf of leaves) {
    for (let p = 1; p <= config.portsPerLeaf; p++)
      leaf.ports.push(port(leaf, p, config.hostSpeeds[0], { kind: 'none' }));
    for (const spine of spines) {
      const up = config.portsPerLeaf + 1 + spine.index;
      leaf.ports.push(
        port(leaf, up, config.uplinkSpeed, { kind: 'switch', sw: spine, ifIndex: leaf.index + 1 }),
      );
    }
  }
  for (const spine of spines) {
    for (const leaf of leaves) {
      spine.ports.push(
        port(spine, leaf.index + 1, config.uplinkSpeed, {
          kind: 'switch',
          sw: leaf,
          ifIndex: config.portsPerLeaf + 1 + spine.index,
        }),
      );
    }
  }
  const hosts = Array.from({ length: config.hosts }, (_, i): Host => {
    const leaf = leaves[i % config.leaves];
    const p = Math.floor(i / config.leaves) + 1;
    const speed = config.hostSpeeds[i % config.hostSpeeds.length];
    const host: Host = {
      name: `host${i + 1}`,
      index: i,
      ipv4: `10.1.${leaf.index}.${p}`,
      ipv6: ipv6Text(parseIpv6(`fd00:1:${leaf.index}::${p.toString(16)}`)),
      mac: `02:00:00:${hex2(leaf.index)}:${hex2(p)}:01`,
      vlan: config.vlans[i % config.vlans.length],
      speed,
      leaf,
      port: leaf.ports[p - 1],
    };
    const hostPort = leaf.ports[p - 1];
    hostPort.speed = speed;
    hostPort.samplingRate = rate(speed);
    hostPort.peer = { kind: 'host', host };
    return host;
  });
  return { config, spines, leaves, switches: [...spines, ...leaves], hosts };
}

/** The switches a packet from `src` to `dst` crosses; `hash` picks the spine, as ECMP does per flow. */
export function path(fabric: Fabric, src: Host, dst: Host, hash: number): Hop[] {
  if (src.leaf === dst.leaf) return [{ sw: src.leaf, in: src.port, out: dst.port }];
  const spine = fabric.spines[hash % fabric.spines.length];
  const up = (leaf: Switch) => leaf.ports[fabric.config.portsPerLeaf + spine.index];
  return [
    { sw: src.leaf, in: src.port, out: up(src.leaf) },
    { sw: spine, in: spine.ports[src.leaf.index], out: spine.ports[dst.leaf.index] },
    { sw: dst.leaf, in: up(dst.leaf), out: dst.port },
  ];
}
