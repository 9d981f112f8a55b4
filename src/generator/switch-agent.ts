/**
 * A switch's sFlow agent: it samples packets as they come in on each port (one in the port's sampling rate)
 * and sends a flow sample with the sampled header, extended_switch (VLANs) and, where it routes (the spines),
 * extended_router; and every polling interval each port's if_counters and ethernet_counters, which count
 * exactly the traffic the run sends through the port.
 */
import type { FlowRecord, KnownSample } from '../sflow/model.js';
import { COUNTER_RECORDS } from '../sflow/registry.js';
import { Agent, type Emitted } from './agent.js';
import type { Hop, Port, Switch } from './fabric.js';
import { packetHeader } from './packet-header.js';
import type { Random } from './random.js';
import { recordValue } from './record-values.js';
import { type Flow, packetLength } from './traffic.js';

/** Encoded sizes, near enough to pack datagrams: a flow sample with a 128-byte header, a port's counters. */
const FLOW_SAMPLE_SIZE = 232;
const COUNTER_SAMPLE_SIZE = 176;

/** What the agent keeps per port: its sampling state and the counters it reports. */
class PortState {
  sequence = 0;
  pool = 0;
  /** Packets seen this second, and how many of them came before each sample. */
  packetsThisSecond = 0;
  counterSequence = 0;
  inOctets = 0n;
  outOctets = 0n;
  inPackets = 0;
  outPackets = 0;
  broadcasts = 0;
  up = true;

  constructor(readonly port: Port) {}
}

export class SwitchAgent {
  readonly agent: Agent;
  private readonly ports = new Map<number, PortState>();
  /** Seconds between counter polls, and when in that interval this agent's come. */
  private readonly interval: number;
  private readonly phase: number;

  constructor(
    readonly sw: Switch,
    private readonly rnd: Random,
    polling: [number, number],
  ) {
    this.agent = new Agent(sw.agent, 0, -rnd.between(3600, 90 * 86400));
    for (const p of sw.ports) this.ports.set(p.ifIndex, new PortState(p));
    this.interval = rnd.between(polling[0], polling[1]);
    this.phase = rnd.int(this.interval);
  }

  private state(port: Port): PortState {
    return this.ports.get(port.ifIndex) as PortState;
  }

  /** `packets` of `flow` crossing this switch through `hop` during second `t`, `bytes` in all. */
  carry(t: number, hop: Hop, flow: Flow, packets: number, bytes: number, vlan: number): void {
    const inState = this.state(hop.in);
    const outState = this.state(hop.out);
    inState.inOctets += BigInt(Math.round(bytes));
    inState.inPackets += packets;
    outState.outOctets += BigInt(Math.round(bytes));
    outState.outPackets += packets;
    const before = inState.packetsThisSecond;
    inState.packetsThisSecond += packets;
    const samples = this.rnd.poisson(packets / hop.in.samplingRate);
    // On a trunk (a port facing another switch) frames carry their VLAN tag.
    const tagged = hop.in.peer.kind === 'switch';
    for (let i = 0; i < samples; i++) {
      const at = this.rnd.next();
      const ipLength = packetLength(flow, this.rnd);
      const seen = before + at * packets;
      this.agent.add(t + at, FLOW_SAMPLE_SIZE, () =>
        this.flowSample(hop, flow, ipLength, vlan, tagged, seen),
      );
    }
  }

  private flowSample(
    hop: Hop,
    flow: Flow,
    ipLength: number,
    vlan: number,
    tagged: boolean,
    seen: number,
  ): KnownSample {
    const s = this.state(hop.in);
    s.sequence++;
    const { header, frameLength } = packetHeader({
      srcMac: flow.src.mac,
      dstMac: flow.dst.mac,
      vlan: tagged ? vlan : undefined,
      srcIp: flow.srcIp,
      dstIp: flow.dstIp,
      protocol: flow.protocol,
      srcPort: flow.srcPort,
      dstPort: flow.dstPort,
      ipLength,
      ttl: this.sw.role === 'spine' ? 63 : 64,
      ipId: s.sequence,
    });
    const records: FlowRecord[] = [
      {
        name: 'sampled_header',
        tag: '0:1',
        value: { protocol: 1, frameLength: frameLength + 4, stripped: 4, header },
      },
      {
        name: 'extended_switch',
        tag: '0:1001',
        value: { srcVlan: vlan, srcPriority: 0, dstVlan: vlan, dstPriority: 0 },
      },
    ];
    if (this.sw.role === 'spine' && hop.out.peer.kind === 'switch') {
      records.push({
        name: 'extended_router',
        tag: '0:1002',
        value: { nexthop: hop.out.peer.sw.agent, srcMaskLen: 24, dstMaskLen: 24 },
      });
    }
    return {
      name: 'flow_sample',
      tag: '0:1',
      sequenceNumber: s.sequence >>> 0,
      sourceIdType: 0,
      sourceIdIndex: hop.in.ifIndex,
      samplingRate: hop.in.samplingRate,
      samplePool: (s.pool + Math.round(seen)) >>> 0,
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
    if ((t - this.phase) % this.interval === 0) {
      for (const s of this.ports.values()) {
        if (s.port.peer.kind === 'none') continue;
        s.broadcasts += this.rnd.poisson(2 * this.interval);
        this.agent.add(t + this.rnd.next() * 0.01, COUNTER_SAMPLE_SIZE, () => this.counters(s));
      }
    }
    // Flow samples take their pools from the second's start, so send before moving them on.
    this.agent.flush(out);
    for (const s of this.ports.values()) {
      s.pool += Math.round(s.packetsThisSecond);
      s.packetsThisSecond = 0;
    }
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
