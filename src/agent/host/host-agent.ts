/**
 * The Host sFlow agent's loop (`sflowkit agent`, and `serve --agent`): once a second, the data sources whose
 * counters are due (the host, 2:1 as hsflowd numbers it, each NIC, 0:ifIndex, and with the docker, containerd
 * or systemd module each container or service, 3:N; staggered by counter-poller.ts) are read from /proc and
 * /sys (host-counters.ts, cgroup-counters.ts) and sent as counter samples, each data
 * source with its own sequence numbers, through the exporter to every collector. A reading that fails is
 * logged and retried at the next second it is due; the agent never stops for it. With an NFLOG group, or
 * devices to sample by pcap, sampled packets go out as flow samples beside the counters.
 */
import type { CountersSample, KnownCounterRecord } from '../../sflow/model.js';
import { type Collector, SflowExporter } from '../exporter.js';
import type { ContainerModules } from './cgroup-counters.js';
import { ContainerSources } from './cgroup-poller.js';
import { CounterPoller } from './counter-poller.js';
import { type HostCounters, readHostCounters } from './host-counters.js';
import { NflogSampler } from './nflog-sampler.js';
import { PacketSampler, type PacketSamplerOptions } from './packet-sampler.js';

/** What the loop needs of the configuration (from hsflowd.conf, DNS-SD and flags: host-settings.ts). */
export interface AgentSettings {
  agentAddress: string;
  collectors: Collector[];
  polling: number;
  datagramBytes: number;
  /** hsflowd.conf's `docker { }`, `containerd { }`, `systemd { }`: containers and services as 3:N. */
  containers?: ContainerModules;
}

export interface HostAgentOptions {
  settings: AgentSettings;
  /** Where /proc, /sys and /etc are (tests, containers with the host's mounted elsewhere). */
  root?: string;
  onError?: (e: unknown) => void;
}

/** hsflowd's numbering: the physical host is sFlowDataSource 2:1 (entPhysicalEntry 1). */
const HOST_SOURCE = { type: 2, index: 1 };

export interface AgentCounts {
  polls: number;
  samples: number;
  readErrors: number;
}

export class HostAgent {
  private settings: AgentSettings;
  private exporter: SflowExporter;
  private readonly poller: CounterPoller;
  private readonly sequences = new Map<string, number>();
  /** The NICs polled, by ifIndex, from the last reading. */
  private knownNics: number[] | undefined;
  private readonly vnodes: ContainerSources;
  private sampler?: NflogSampler;
  private samplingKey?: string;
  /** pcap samplers by device, each with the options it was started with. */
  private readonly captures = new Map<string, { key: string; sampler: PacketSampler }>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  readonly counts: AgentCounts = { polls: 0, samples: 0, readErrors: 0 };

  constructor(private readonly o: HostAgentOptions) {
    this.settings = o.settings;
    this.exporter = exporterFor(o.settings);
    this.poller = new CounterPoller(Math.max(1, o.settings.polling));
    this.vnodes = new ContainerSources(o.root ?? '/');
  }

  get address(): string {
    return this.settings.agentAddress;
  }

  start(): void {
    if (this.timer) return;
    // At each whole second, so that a data source's polls are a whole interval apart.
    const next = () => {
      this.timer = setTimeout(
        () => {
          void this.tick(Math.floor(Date.now() / 1000));
          next();
        },
        1000 - (Date.now() % 1000),
      );
      this.timer.unref();
    };
    next();
  }

  /**
   * Packet sampling from an NFLOG group (nflog-sampler.ts), its samples sent with the counters; a new group or
   * rate replaces the reader. Rejects when the reader cannot start (not built, no permission).
   */
  async sample(o: {
    group: number;
    samplingRate: number;
    headerBytes: number;
    prefix?: string[];
  }): Promise<void> {
    const key = JSON.stringify(o);
    if (key === this.samplingKey) return;
    this.sampler?.stop();
    this.samplingKey = key;
    this.sampler = new NflogSampler({
      ...o,
      emit: (sample) => this.exporter.add(sample),
      onError: (message) => this.o.onError?.(new Error(message)),
    });
    await this.sampler.start();
  }

  /**
   * Packet sampling on these devices (packet-sampler.ts, hsflowd's pcap); a device whose rate or header size
   * changed gets a new reader, one no longer listed is stopped. One result per device, in order: a reader
   * that cannot start (not built, no permission, no such device) leaves the others running.
   */
  async capture(
    devices: Omit<PacketSamplerOptions, 'emit' | 'onError'>[],
  ): Promise<PromiseSettledResult<void>[]> {
    const wanted = new Set(devices.map((d) => d.dev));
    for (const [dev, c] of this.captures)
      if (!wanted.has(dev)) {
        c.sampler.stop();
        this.captures.delete(dev);
      }
    return Promise.allSettled(
      devices.map(async (o) => {
        const key = JSON.stringify(o);
        const running = this.captures.get(o.dev);
        if (running?.key === key) return;
        running?.sampler.stop();
        const sampler: PacketSampler = new PacketSampler({
          ...o,
          emit: (sample) => this.exporter.add(sample),
          onError: (message) => {
            // The reader exited (the device went away): the next configuration starts it again.
            if (this.captures.get(o.dev)?.sampler === sampler) this.captures.delete(o.dev);
            this.o.onError?.(new Error(message));
          },
        });
        this.captures.set(o.dev, { key, sampler });
        try {
          await sampler.start();
        } catch (e) {
          // Forgotten, so that the next configuration tries again.
          if (this.captures.get(o.dev)?.sampler === sampler) this.captures.delete(o.dev);
          throw e;
        }
      }),
    );
  }

  async stop(): Promise<void> {
    this.sampler?.stop();
    for (const c of this.captures.values()) c.sampler.stop();
    this.captures.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.exporter.flush();
    await this.exporter.close();
  }

  /**
   * New settings (the config file changed, DNS-SD answered): collectors and polling follow at once. Only a new
   * agent address or datagram size makes a new exporter (a new agent, as collectors see it).
   */
  async update(settings: AgentSettings): Promise<void> {
    const before = this.settings;
    this.settings = settings;
    this.poller.setInterval(Math.max(1, settings.polling));
    if (settings.agentAddress === before.agentAddress && settings.datagramBytes === before.datagramBytes) {
      this.exporter.setCollectors(settings.collectors);
      return;
    }
    const old = this.exporter;
    this.exporter = exporterFor(settings);
    await old.close();
  }

  /** Polls what is due at `second` (exposed for tests, which drive seconds themselves). */
  async tick(second: number): Promise<void> {
    // A slow /proc read must not start a second one beside it; polling 0 turns counters off (hsflowd.conf).
    if (this.busy || this.settings.polling === 0) return;
    this.busy = true;
    try {
      await this.poll(second);
    } catch (e) {
      this.counts.readErrors++;
      this.o.onError?.(e);
    } finally {
      this.busy = false;
    }
  }

  private async poll(second: number): Promise<void> {
    const hostDue = this.poller.due('host', second);
    // The NICs are only known from a reading; their ids are stable (ifIndex), so is their phase.
    let counters: HostCounters | undefined;
    const read = async () => {
      counters ??= await readHostCounters(this.o.root);
      return counters;
    };
    // Containers first: the host's virt_node counts them.
    await this.vnodes.poll(second, this.settings.containers, this.poller, (index, records) =>
      this.send(3, index, records),
    );
    if (hostDue) {
      const { host } = await read();
      const vnode = this.vnodes.virtNode(host);
      this.send(HOST_SOURCE.type, HOST_SOURCE.index, vnode ? [...host, vnode] : host);
    }
    const known = this.knownNics;
    if (known === undefined || known.some((i) => this.poller.due(`nic ${i}`, second))) {
      const { nics } = await read();
      const polled = nics.filter((n) => !n.loopback && n.ifIndex > 0);
      this.knownNics = polled.map((n) => n.ifIndex);
      this.poller.keepOnly(new Set(['host', ...this.knownNics.map((i) => `nic ${i}`), ...this.vnodes.ids]));
      for (const n of polled)
        if (this.poller.due(`nic ${n.ifIndex}`, second)) this.send(0, n.ifIndex, n.records);
    }
    if (counters !== undefined) this.counts.polls++;
    this.exporter.flush();
  }

  private send(type: number, index: number, records: KnownCounterRecord[]): void {
    const id = `${type}:${index}`;
    const sequenceNumber = ((this.sequences.get(id) ?? 0) + 1) >>> 0;
    this.sequences.set(id, sequenceNumber);
    const sample: CountersSample = {
      name: 'counters_sample',
      tag: '0:2',
      sequenceNumber,
      sourceIdType: type,
      sourceIdIndex: index,
      records,
    };
    this.exporter.add(sample);
    this.counts.samples++;
  }
}

function exporterFor(s: AgentSettings): SflowExporter {
  return new SflowExporter({
    agentAddress: s.agentAddress,
    collectors: s.collectors,
    datagramBytes: s.datagramBytes,
  });
}
