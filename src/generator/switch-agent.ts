/**
 * A switch's sFlow agent: it samples packets as they come in on each port (one in the port's sampling rate)
 * and sends a flow sample with the sampled header as it was on that link, extended_switch (VLANs) and, where
 * the packet is routed, extended_router; and every polling interval each connected port's (with idlePorts,
 * each port's) if_counters and
 * ethernet_counters, which count exactly the frames the run sends through the port.
 */
import type { FlowRecord, KnownSample } from '../sflow/model.js';
import { recordValue } from '../sflow/record-values.js';
import { COUNTER_RECORDS } from '../sflow/registry.js';
import { Agent, type Emitted, Poller, SamplePool } from './agent.js';
import type { Hop, Port, Switch } from './fabric.js';
import { packetHeader } from './packet-header.js';
import type { Random } from './random.js';
import { type Flow, packetLength } from './traffic.js';

/** Encoded sizes, near enough to pack datagrams (the agent splits one that comes out too big). */
const FLOW_SAMPLE_SIZE = 240;
const COUNTER_SAMPLE_SIZE = 176;
/** Ethernet header and FCS: what a frame adds to its IP packet, and the 802.1Q tag on trunks. */
const ETHERNET_OVERHEAD = 18;
const VLAN_TAG = 4;

/** A port's sampling state and the counters it reports. */
class PortState {
  sequence = 0;
  readonly pool = new SamplePool();
  counterSequence = 0;
  inOctets = 0n;
  outOctets = 0n;
  inPackets = 0;
  outPackets = 0;
  broadcasts = 0;
  up = true;

  constructor(readonly port: Port) {}
}

/** Where a packet is on its path: which hop, and the port it left the hop before from. */
export interface PathStep {
  hop: Hop;
  index: number;
  previous?: Hop;
  next?: Hop;
}

export class SwitchAgent {
  readonly agent: Agent;
  private readonly ports = new Map<number, PortState>();
  private readonly poller: Poller;

  constructor(
    readonly sw: Switch,
    private readonly rnd: Random,
    polling: [number, number],
    /** Report the ports with nothing attached too, as switches do: admin up, oper down, no traffic. */
    private readonly idlePorts = false,
  ) {
    this.agent = new Agent(sw.agent, 0, -rnd.between(3600, 90 * 86400));
    for (const p of sw.ports) {
      const state = new PortState(p);
      if (p.peer.kind === 'none') state.up = false;
      this.ports.set(p.ifIndex, state);
    }
    this.poller = new Poller(rnd, polling);
  }

  private state(port: Port): PortState {
    return this.ports.get(port.ifIndex) as PortState;
  }

  /** `packets` of `flow` crossing this switch at `step` during second `t`, `bytes` of IP packets in all. */
  carry(t: number, step: PathStep, flow: Flow, packets: number, bytes: number): void {
    const { hop } = step;
    const inState = this.state(hop.in);
    const outState = this.state(hop.out);
    const frame = (port: Port) =>
      BigInt(
        Math.round(bytes + packets * (ETHERNET_OVERHEAD + (port.peer.kind === 'switch' ? VLAN_TAG : 0))),
      );
    inState.inOctets += frame(hop.in);
    inState.inPackets += packets;
    outState.outOctets += frame(hop.out);
    outState.outPackets += packets;
    inState.pool.add(packets);
    const samples = this.rnd.poisson(packets / hop.in.samplingRate);
    for (let i = 0; i < samples; i++) {
      const at = this.rnd.next();
      const ipLength = packetLength(flow, this.rnd);
      this.agent.add(t + at, FLOW_SAMPLE_SIZE, () => this.flowSample(step, flow, ipLength, at));
    }
  }

  private flowSample(step: PathStep, flow: Flow, ipLength: number, at: number): KnownSample {
    const { hop } = step;
    const s = this.state(hop.in);
    s.sequence++;
    // Between leaves the fabric routes: each switch rewrites the MACs and takes one off the TTL. Within a
    // leaf (one /24) it switches, host to host.
    const routed = flow.src.leaf !== flow.dst.leaf;
    const { header, frameLength } = packetHeader({
      srcMac: !routed ? flow.src.mac : step.previous ? step.previous.out.mac : flow.src.mac,
      dstMac: !routed ? flow.dst.mac : hop.in.mac,
      vlan: hop.in.peer.kind === 'switch' ? flow.src.vlan : undefined,
      srcIp: flow.srcIp,
      dstIp: flow.dstIp,
      protocol: flow.protocol,
      srcPort: flow.srcPort,
      dstPort: flow.dstPort,
      ipLength,
      ttl: 64 - step.index,
      flowLabel: flow.hash & 0xfffff,
      ipId: s.sequence,
    });
    const records: FlowRecord[] = [
      {
        name: 'sampled_header',
        tag: '0:1',
        value: { protocol: 1, frameLength, stripped: 4, header },
      },
      {
        name: 'extended_switch',
        tag: '0:1001',
        value: { srcVlan: flow.src.vlan, srcPriority: 0, dstVlan: flow.dst.vlan, dstPriority: 0 },
      },
    ];
    if (routed) {
      const v6 = flow.dstIp.includes(':');
      const next = step.next ? step.next.sw.agent : v6 ? flow.dst.ipv6 : flow.dst.ipv4;
      const mask = v6 ? 64 : 24;
      records.push({
        name: 'extended_router',
        tag: '0:1002',
        value: { nexthop: next, srcMaskLen: mask, dstMaskLen: mask },
      });
    }
    return {
      name: 'flow_sample',
      tag: '0:1',
      sequenceNumber: s.sequence >>> 0,
      sourceIdType: 0,
      sourceIdIndex: hop.in.ifIndex,
      samplingRate: hop.in.samplingRate,
      samplePool: s.pool.at(at),
      drops: 0,
      inputFormat: 0,
      inputValue: hop.in.ifIndex,
      outputFormat: 0,
      outputValue: hop.out.ifIndex,
      records,
    };
  }

  /** A port whose host has gone: its link is down from now on. */
  linkDown(port: Port): void {
    this.state(port).up = false;
  }

  /** Ends second `t`: polls counters when due, sends what it has, and moves the sample pools on. */
  endSecond(t: number, out: Emitted[]): void {
    if (this.poller.due(t)) {
      for (const s of this.ports.values()) {
        if (s.port.peer.kind !== 'none') s.broadcasts += this.rnd.poisson(2 * this.poller.interval);
        else if (!this.idlePorts) continue;
        this.agent.add(t + this.rnd.next() * 0.01, COUNTER_SAMPLE_SIZE, () => this.counters(s));
      }
    }
    // Flow samples take their pools from within the second, so they are sent before the pools move on.
    this.agent.flush(out);
    for (const s of this.ports.values()) s.pool.endSecond();
  }

  private counters(s: PortState): KnownSample {
    s.counterSequence++;
    return {
      name: 'counters_sample',
      tag: '0:2',
      sequenceNumber: s.counterSequence,
      sourceIdType: 0,
      sourceIdIndex: s.port.ifIndex,
      records: [
        {
          name: 'if_counters',
          tag: '0:1',
          value: recordValue(COUNTER_RECORDS.if_counters.codec, {
            ifIndex: s.port.ifIndex,
            ifType: 6,
            ifSpeed: BigInt(s.port.speed),
            ifDirection: 1,
            // ifAdminStatus up (bit 0), ifOperStatus up (bit 1) while the link is.
            ifStatus: s.up ? 3 : 1,
            ifInOctets: s.inOctets,
            ifInUcastPkts: Math.round(s.inPackets) >>> 0,
            ifInBroadcastPkts: s.broadcasts >>> 0,
            ifOutOctets: s.outOctets,
            ifOutUcastPkts: Math.round(s.outPackets) >>> 0,
            ifOutBroadcastPkts: s.broadcasts >>> 0,
            ifPromiscuousMode: 0,
          }),
        },
        {
          name: 'ethernet_counters',
          tag: '0:2',
          value: recordValue(COUNTER_RECORDS.ethernet_counters.codec, {}),
        },
      ],
    };
  }
}
