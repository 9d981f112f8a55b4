/**
 * What really happened in a run, for scoring what an analyzer measured: every flow with its true rate and
 * path, every connected interface's true bit rate each second, and the scenario's timeline.
 */
import type { Fabric, FabricConfig, Hop } from './fabric.js';
import type { TimelineEvent } from './scenarios.js';
import type { Flow } from './traffic.js';

export interface TruthFlow {
  id: number;
  app: string;
  src: string;
  dst: string;
  srcIp: string;
  dstIp: string;
  protocol: number;
  srcPort: number;
  dstPort: number;
  /** Active from `start` (inclusive) to `end` (exclusive), seconds from the run's start. Rates are of IP packets. */
  start: number;
  end: number;
  bitsPerSecond: number;
  packetsPerSecond: number;
  /** The flow this one answers (the other direction of the conversation). */
  answers?: number;
  /** The switches it crosses: each samples it where it comes in. */
  path: { agent: string; inIfIndex: number; outIfIndex: number; samplingRate: number }[];
}

export interface TruthInterface {
  agent: string;
  ifIndex: number;
  speed: number;
  samplingRate: number;
  /** What it connects to: a host's name or a switch's. */
  peer: string;
  /** Bits per second of Ethernet frames (FCS and any 802.1Q tag included), one entry a second. */
  inBitsPerSecond: number[];
  outBitsPerSecond: number[];
}

export interface Truth {
  generator: 'sflowkit';
  seed: number;
  scenario: string;
  duration: number;
  fabric: FabricConfig;
  agents: { address: string; kind: 'switch' | 'host'; name: string }[];
  flows: TruthFlow[];
  interfaces: TruthInterface[];
  timeline: TimelineEvent[];
}

export class TruthRecorder {
  private readonly interfaces = new Map<string, TruthInterface>();

  constructor(
    private readonly fabric: Fabric,
    private readonly duration: number,
  ) {
    for (const sw of fabric.switches) {
      for (const p of sw.ports) {
        if (p.peer.kind === 'none') continue;
        this.interfaces.set(`${sw.agent}/${p.ifIndex}`, {
          agent: sw.agent,
          ifIndex: p.ifIndex,
          speed: p.speed,
          samplingRate: p.samplingRate,
          peer: p.peer.kind === 'host' ? p.peer.host.name : p.peer.sw.name,
          inBitsPerSecond: new Array(duration).fill(0),
          outBitsPerSecond: new Array(duration).fill(0),
        });
      }
    }
  }

  /** `packets` IP packets of `bytes` in all through `hop`: counted as frames, as interfaces count them. */
  carry(t: number, hop: Hop, bytes: number, packets: number): void {
    const frames = (port: Hop['in']) => (bytes + packets * (18 + (port.peer.kind === 'switch' ? 4 : 0))) * 8;
    const into = this.interfaces.get(`${hop.sw.agent}/${hop.in.ifIndex}`);
    const outOf = this.interfaces.get(`${hop.sw.agent}/${hop.out.ifIndex}`);
    if (into) into.inBitsPerSecond[t] += frames(hop.in);
    if (outOf) outOf.outBitsPerSecond[t] += frames(hop.out);
  }

  truth(
    config: { seed: number; scenario: string; duration: number; fabric: FabricConfig },
    flows: readonly Flow[],
    paths: ReadonlyMap<Flow, Hop[]>,
    timeline: TimelineEvent[],
  ): Truth {
    return {
      generator: 'sflowkit',
      seed: config.seed,
      scenario: config.scenario,
      duration: config.duration,
      fabric: config.fabric,
      agents: [
        ...this.fabric.switches.map((s) => ({ address: s.agent, kind: 'switch' as const, name: s.name })),
        ...this.fabric.hosts.map((h) => ({ address: h.ipv4, kind: 'host' as const, name: h.name })),
      ],
      flows: flows.map((f) => ({
        id: f.id,
        app: f.app,
        src: f.src.name,
        dst: f.dst.name,
        srcIp: f.srcIp,
        dstIp: f.dstIp,
        protocol: f.protocol,
        srcPort: f.srcPort,
        dstPort: f.dstPort,
        start: f.start,
        end: Math.min(f.end, this.duration),
        bitsPerSecond: f.bytesPerSecond * 8,
        packetsPerSecond: f.bytesPerSecond / f.packetSize,
        ...(f.answers === undefined ? {} : { answers: f.answers }),
        path: (paths.get(f) ?? []).map((h) => ({
          agent: h.sw.agent,
          inIfIndex: h.in.ifIndex,
          outIfIndex: h.out.ifIndex,
          samplingRate: h.in.samplingRate,
        })),
      })),
      interfaces: [...this.interfaces.values()],
      timeline: [...timeline].sort((a, b) => a.time - b.time),
    };
  }
}
