/**
 * The traffic: flows between hosts with a protocol mix and heavy-tailed rates (many mice, a few elephants),
 * each with the packet size its application would use. A flow's rate is its truth; the switches sample it.
 */
import type { Fabric, Host } from './fabric.js';
import type { Random } from './random.js';

export type App = 'http' | 'https' | 'dns' | 'memcache' | 'replication' | 'storage' | 'ddos';

export interface Flow {
  id: number;
  app: App;
  src: Host;
  dst: Host;
  /** Spoofed source address (the DDoS), else the source host's. */
  srcIp: string;
  dstIp: string;
  protocol: 6 | 17;
  srcPort: number;
  dstPort: number;
  /** Bytes per second on the wire (IP length), while active. */
  bytesPerSecond: number;
  /** Mean IP packet length. */
  packetSize: number;
  start: number;
  end: number;
  /** Picks the spine (ECMP). */
  hash: number;
  /** The flow this one answers: the other direction of the same conversation. */
  answers?: number;
}

interface AppProfile {
  weight: number;
  protocol: 6 | 17;
  port: number;
  packetSize: number;
  /** Rates in bytes/s follow a Pareto tail (index 1.2) from a fifth of this: its median is about a third of it. */
  rate: number;
}

/** For web, DNS and memcache, the client's requests; their answers are ten times the size. */
const APPS: Record<Exclude<App, 'ddos'>, AppProfile> = {
  http: { weight: 30, protocol: 6, port: 80, packetSize: 450, rate: 20_000 },
  https: { weight: 30, protocol: 6, port: 443, packetSize: 550, rate: 30_000 },
  dns: { weight: 10, protocol: 17, port: 53, packetSize: 70, rate: 500 },
  memcache: { weight: 15, protocol: 6, port: 11211, packetSize: 150, rate: 30_000 },
  replication: { weight: 5, protocol: 6, port: 3306, packetSize: 1400, rate: 2_000_000 },
  storage: { weight: 10, protocol: 6, port: 3260, packetSize: 1450, rate: 5_000_000 },
};

/** Which hosts serve what: a few web servers, memcache servers, a database pair and storage targets. */
export interface Roles {
  web: Host[];
  memcache: Host[];
  database: Host[];
  storage: Host[];
  dns: Host[];
}

export function assignRoles(fabric: Fabric): Roles {
  const h = fabric.hosts;
  const take = (from: number, n: number) => h.slice(from, from + n).filter(Boolean);
  const n = h.length;
  return {
    web: take(0, Math.max(1, Math.floor(n / 8))),
    memcache: take(Math.floor(n / 8), Math.max(1, Math.floor(n / 16))),
    database: take(Math.floor(n / 4), 2),
    storage: take(Math.floor(n / 4) + 2, Math.max(1, Math.floor(n / 16))),
    dns: take(n - 1, 1),
  };
}

const SERVERS: Record<Exclude<App, 'ddos'>, keyof Roles> = {
  http: 'web',
  https: 'web',
  dns: 'dns',
  memcache: 'memcache',
  replication: 'database',
  storage: 'storage',
};

/** Makes the flows of one run, numbered from 1 in the order made. */
export class FlowMaker {
  private nextId = 1;

  constructor(
    private readonly rnd: Random,
    readonly fabric: Fabric,
    readonly roles: Roles,
  ) {}

  /**
   * A flow of `app` from a random client to one of its servers. `rate` (bytes/s) overrides the drawn one, and
   * then both ends are hosts whose links carry it. No flow is faster than its slower end's link.
   */
  flow(app: Exclude<App, 'ddos'>, start: number, end: number, rate?: number): Flow {
    const { rnd, fabric, roles } = this;
    const p = APPS[app];
    const fits = (h: Host) => rate === undefined || h.speed / 8 >= rate * 1.25;
    const servers = roles[SERVERS[app]].filter(fits);
    const dst = rnd.pick(servers.length > 0 ? servers : roles[SERVERS[app]]);
    const clients = fabric.hosts.filter((h) => h !== dst && fits(h));
    const src = rnd.pick(clients.length > 0 ? clients : fabric.hosts.filter((h) => h !== dst));
    const drawn = rate ?? rnd.pareto(p.rate / 5, 1.2);
    // A fifth of the flows are IPv6: every host has addresses of both families.
    const v6 = rnd.next() < 0.2;
    return {
      id: this.nextId++,
      app,
      src,
      dst,
      srcIp: v6 ? src.ipv6 : src.ipv4,
      dstIp: v6 ? dst.ipv6 : dst.ipv4,
      protocol: p.protocol,
      srcPort: rnd.between(32768, 60999),
      dstPort: p.port,
      bytesPerSecond: Math.round(Math.min(drawn, (0.8 * Math.min(src.speed, dst.speed)) / 8)),
      packetSize: p.packetSize,
      start,
      end,
      hash: rnd.int(1 << 30),
    };
  }

  /**
   * The background: `count` conversations drawn from the application mix, active from 0 to `end`, each the
   * client's flow and the server's answer (see answer).
   */
  background(count: number, end: number): Flow[] {
    const mix = Object.entries(APPS).map(([app, p]) => [app as Exclude<App, 'ddos'>, p.weight] as const);
    return Array.from({ length: count }, () => this.flow(this.rnd.weighted(mix), 0, end)).flatMap((f) => [
      f,
      this.answer(f),
    ]);
  }

  /**
   * The other direction of `f`'s conversation. Requests to a web, DNS or memcache server get a response ten
   * times their size; bulk transfers to database and storage servers get TCP's acknowledgements (3%).
   */
  answer(f: Flow): Flow {
    const bulk = f.app === 'replication' || f.app === 'storage';
    const rate = bulk ? f.bytesPerSecond * 0.03 : f.bytesPerSecond * 10;
    return {
      ...f,
      id: this.nextId++,
      src: f.dst,
      dst: f.src,
      srcIp: f.dstIp,
      dstIp: f.srcIp,
      srcPort: f.dstPort,
      dstPort: f.srcPort,
      bytesPerSecond: Math.round(Math.min(rate, (0.8 * Math.min(f.src.speed, f.dst.speed)) / 8)),
      packetSize: bulk ? (f.srcIp.includes(':') ? 72 : 52) : Math.min(1400, f.packetSize * 2),
      answers: f.id,
    };
  }

  /** A DDoS flood: UDP to `victim` from `sources` spoofed random addresses, sent through `via` hosts' ports. */
  ddos(
    victim: Host,
    via: Host[],
    sources: number,
    bytesPerSecond: number,
    start: number,
    end: number,
  ): Flow[] {
    const { rnd } = this;
    return Array.from({ length: sources }, (_, i) => ({
      id: this.nextId++,
      app: 'ddos' as const,
      src: via[i % via.length],
      dst: victim,
      srcIp: `${rnd.between(1, 223)}.${rnd.int(256)}.${rnd.int(256)}.${rnd.between(1, 254)}`,
      dstIp: victim.ipv4,
      protocol: 17 as const,
      srcPort: rnd.between(1024, 65535),
      dstPort: 53,
      bytesPerSecond: Math.round(bytesPerSecond / sources),
      packetSize: 512,
      start,
      end,
      hash: rnd.int(1 << 30),
    }));
  }
}

/**
 * One packet's IP length: around the flow's mean, a tenth of them pure ACKs in TCP flows of smaller packets;
 * drawn so that the mean is exactly `packetSize`, which the truth's packet rate assumes.
 */
export function packetLength(flow: Flow, rnd: Random): number {
  const min = flow.srcIp.includes(':') ? 72 : 52;
  const acks = flow.protocol === 6 && flow.packetSize <= 1200 ? 0.1 : 0;
  if (rnd.next() < acks) return min;
  const mean = (flow.packetSize - acks * min) / (1 - acks);
  const spread = Math.min(0.25 * mean, 1500 - mean, mean - min);
  return Math.round(mean - spread + 2 * spread * rnd.next());
}

export function isActive(f: Flow, t: number): boolean {
  return t >= f.start && t < f.end;
}
