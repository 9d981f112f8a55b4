/**
 * A host's agent, as hsflowd sends: every polling interval one counter sample for the host (0:2000
 * host_descr, 0:2001 host_adapters, 0:2002 host_parent for the hosts that are virtual machines, 0:2003
 * host_cpu, 0:2004 host_memory, 0:2005 host_disk_io, 0:2006 host_net_io) and one for its network interface
 * (if_counters). CPU, memory and disk move with the traffic the host carries and with the load a scenario
 * puts on it; a host that goes silent sends nothing more.
 */
import type { CounterRecord, KnownSample } from '../sflow/model.js';
import { recordValue } from '../sflow/record-values.js';
import { COUNTER_RECORDS } from '../sflow/registry.js';
import { Agent, type Emitted, Poller } from './agent.js';
import type { Host } from './fabric.js';
import type { Random } from './random.js';

const HOST_SAMPLE_SIZE = 420;
const IF_SAMPLE_SIZE = 112;
/** hsflowd's sub-agent id. */
const HSFLOWD_SUB_AGENT = 100000;
const GB = 1024n ** 3n;

export class HostAgent {
  readonly agent: Agent;
  silent = false;
  /** Extra CPU load (0–1) a scenario puts on this host. */
  extraLoad = 0;
  private readonly poller: Poller;
  private readonly cpus: number;
  private readonly memTotal: bigint;
  private readonly uuid: Uint8Array;
  /** Counter sample sequence numbers: the host's (2:1) and its NIC's (0:2) data sources each have their own. */
  private sequence = 0;
  private nicSequence = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private pktsIn = 0;
  private pktsOut = 0;
  private busyThisSecond = 0;
  private load = 0;
  private readonly cpuMs = { user: 0, system: 0, wio: 0, idle: 0, intr: 0 };
  private interrupts = 0;
  private contexts = 0;
  private disk = { reads: 0, writes: 0, bytesRead: 0n, bytesWritten: 0n, readTime: 0, writeTime: 0 };
  private uptime: number;

  constructor(
    readonly host: Host,
    private readonly rnd: Random,
    polling: [number, number],
  ) {
    this.uptime = rnd.between(3600, 60 * 86400);
    this.agent = new Agent(host.ipv4, HSFLOWD_SUB_AGENT, -this.uptime);
    this.poller = new Poller(rnd, polling);
    this.cpus = rnd.pick([8, 16, 32, 64]);
    this.memTotal = BigInt(rnd.pick([64, 128, 256])) * GB;
    this.uuid = Uint8Array.from({ length: 16 }, () => rnd.int(256));
    // Counters that have run since boot, as an agent's do.
    const ms = this.uptime * 1000 * this.cpus;
    Object.assign(this.cpuMs, { user: ms * 0.1, system: ms * 0.04, wio: ms * 0.01, idle: ms * 0.85 });
    this.interrupts = this.uptime * 2000;
    this.contexts = this.uptime * 8000;
  }

  /** Traffic through the host's NIC during the second. */
  traffic(bytesIn: number, pktsIn: number, bytesOut: number, pktsOut: number): void {
    this.bytesIn += bytesIn;
    this.pktsIn += pktsIn;
    this.bytesOut += bytesOut;
    this.pktsOut += pktsOut;
    // Moving bytes costs CPU: about a core per 10 Gbit/s.
    this.busyThisSecond += ((bytesIn + bytesOut) * 8) / 10e9;
    this.disk.bytesWritten += BigInt(Math.round(bytesIn / 20));
  }

  endSecond(t: number, out: Emitted[]): void {
    const busyCores = Math.min(
      this.cpus,
      0.05 * this.cpus + this.busyThisSecond + this.extraLoad * this.cpus,
    );
    const noise = 1 + 0.1 * this.rnd.normal();
    const busyMs = Math.max(0, busyCores * 1000 * noise);
    this.cpuMs.user += busyMs * 0.6;
    this.cpuMs.system += busyMs * 0.3;
    this.cpuMs.wio += busyMs * 0.1;
    this.cpuMs.idle += Math.max(0, this.cpus * 1000 - busyMs);
    this.interrupts += Math.round(this.pktsIn / 10 + 1000);
    this.contexts += Math.round(this.pktsIn / 5 + 5000);
    this.load += (busyCores - this.load) * (1 - Math.exp(-1 / 60));
    this.disk.reads += this.rnd.poisson(20);
    this.disk.writes += this.rnd.poisson(40);
    this.busyThisSecond = 0;
    this.uptime++;
    if (!this.silent && this.poller.due(t)) {
      this.agent.add(t + this.rnd.next(), HOST_SAMPLE_SIZE, () => this.hostSample());
      this.agent.add(t + this.rnd.next(), IF_SAMPLE_SIZE, () => this.nicSample());
    }
    this.agent.flush(out);
  }

  private hostSample(): KnownSample {
    this.sequence++;
    const c = this.cpuMs;
    const memFree = (this.memTotal * BigInt(Math.round(40 - 20 * Math.min(1, this.load / this.cpus)))) / 100n;
    return {
      name: 'counters_sample_expanded',
      tag: '0:4',
      sequenceNumber: this.sequence,
      sourceIdType: 2,
      sourceIdIndex: 1,
      records: [
        {
          name: 'host_descr',
          tag: '0:2000',
          value: {
            hostname: this.host.name,
            uuid: this.uuid,
            machineType: 3,
            osName: 2,
            osRelease: '6.1.0-28-amd64',
          },
        },
        {
          name: 'host_adapters',
          tag: '0:2001',
          value: { adapters: [{ ifIndex: 2, macAddress: [this.host.mac] }] },
        },
        ...this.parent(),
        {
          name: 'host_cpu',
          tag: '0:2003',
          value: {
            ...recordValue(COUNTER_RECORDS.host_cpu.codec, {}),
            loadOne: Math.fround(this.load),
            loadFive: Math.fround(this.load * 0.95),
            loadFifteen: Math.fround(this.load * 0.9),
            procRun: Math.round(this.load),
            procTotal: 300 + this.cpus * 10,
            cpuNum: this.cpus,
            cpuSpeed: 2600,
            uptime: this.uptime >>> 0,
            cpuUser: Math.round(c.user) >>> 0,
            cpuSystem: Math.round(c.system) >>> 0,
            cpuIdle: Math.round(c.idle) >>> 0,
            cpuWio: Math.round(c.wio) >>> 0,
            interrupts: this.interrupts >>> 0,
            contexts: this.contexts >>> 0,
            cpuSteal: 0,
            cpuGuest: 0,
            cpuGuestNice: 0,
          },
        },
        {
          name: 'host_memory',
          tag: '0:2004',
          value: recordValue(COUNTER_RECORDS.host_memory.codec, {
            memTotal: this.memTotal,
            memFree,
            memBuffers: this.memTotal / 50n,
            memCached: this.memTotal / 4n,
            swapTotal: 8n * GB,
            swapFree: 8n * GB,
          }),
        },
        {
          name: 'host_disk_io',
          tag: '0:2005',
          value: recordValue(COUNTER_RECORDS.host_disk_io.codec, {
            diskTotal: 2000n * GB,
            diskFree: 1200n * GB,
            partMaxUsed: 4200,
            reads: this.disk.reads >>> 0,
            bytesRead: BigInt(this.disk.reads) * 16384n,
            writes: this.disk.writes >>> 0,
            bytesWritten: this.disk.bytesWritten + BigInt(this.disk.writes) * 8192n,
          }),
        },
        {
          name: 'host_net_io',
          tag: '0:2006',
          value: recordValue(COUNTER_RECORDS.host_net_io.codec, {
            bytesIn: BigInt(Math.round(this.bytesIn)),
            pktsIn: Math.round(this.pktsIn) >>> 0,
            bytesOut: BigInt(Math.round(this.bytesOut)),
            packetsOut: Math.round(this.pktsOut) >>> 0,
          }),
        },
      ],
    };
  }

  /** Every fourth host is a virtual machine: its parent is its hypervisor, physical entity 1. */
  private parent(): CounterRecord[] {
    if (this.host.index % 4 !== 3) return [];
    return [{ name: 'host_parent', tag: '0:2002', value: { containerType: 2, containerIndex: 1 } }];
  }

  private nicSample(): KnownSample {
    this.nicSequence++;
    return {
      name: 'counters_sample_expanded',
      tag: '0:4',
      sequenceNumber: this.nicSequence,
      sourceIdType: 0,
      sourceIdIndex: 2,
      records: [
        {
          name: 'if_counters',
          tag: '0:1',
          value: recordValue(COUNTER_RECORDS.if_counters.codec, {
            ifIndex: 2,
            ifType: 6,
            ifSpeed: BigInt(this.host.speed),
            ifDirection: 1,
            ifStatus: 3,
            ifInOctets: BigInt(Math.round(this.bytesIn)),
            ifInUcastPkts: Math.round(this.pktsIn) >>> 0,
            ifOutOctets: BigInt(Math.round(this.bytesOut)),
            ifOutUcastPkts: Math.round(this.pktsOut) >>> 0,
          }),
        },
      ],
    };
  }
}
