/**
 * The sending side of a real sFlow agent: samples are collected and sent at least once a second, packed into
 * datagrams of at most `datagramBytes` (1,400 by default, as hsflowd), each with the agent's datagram sequence
 * number and its uptime, to every collector over UDP. A send that fails is counted, never thrown: monitoring
 * must not break what it monitors.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { encodeDatagram } from '../sflow/datagram.js';
import type { KnownSample } from '../sflow/model.js';

export interface Collector {
  address: string;
  port: number;
}

export interface ExporterOptions {
  /** The agent address datagrams carry (IPv4 or IPv6). */
  agentAddress: string;
  subAgentId?: number;
  collectors: Collector[];
  datagramBytes?: number;
  /** Milliseconds a sample may wait for others to share its datagram. */
  flushMs?: number;
}

export interface ExporterCounts {
  samples: number;
  datagrams: number;
  sendErrors: number;
}

export class SflowExporter {
  private pending: KnownSample[] = [];
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private readonly sockets: { v4?: Socket; v6?: Socket } = {};
  private inFlight = 0;
  private idle: (() => void) | undefined;
  readonly counts: ExporterCounts = { samples: 0, datagrams: 0, sendErrors: 0 };

  constructor(private o: ExporterOptions) {
    this.open(o.collectors);
  }

  /** Other collectors (a changed config, DNS-SD): the datagram sequence and uptime go on, as one agent's do. */
  setCollectors(collectors: Collector[]): void {
    this.open(collectors);
    this.o = { ...this.o, collectors };
  }

  private open(collectors: Collector[]): void {
    for (const c of collectors) {
      const family = isIP(c.address);
      if (family === 0) throw new RangeError(`collector '${c.address}' is not an IP address`);
      const key = family === 4 ? 'v4' : 'v6';
      if (this.sockets[key] === undefined) {
        const s = createSocket(family === 4 ? 'udp4' : 'udp6');
        s.on('error', () => this.counts.sendErrors++);
        s.unref();
        this.sockets[key] = s;
      }
    }
  }

  /** Queues a sample; it goes within flushMs, or at once when a datagram's worth is waiting. */
  add(sample: KnownSample): void {
    this.pending.push(sample);
    this.counts.samples++;
    this.timer ??= setTimeout(() => this.flush(), this.o.flushMs ?? 1000).unref();
  }

  /** Sends everything queued now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const samples = this.pending;
    this.pending = [];
    if (samples.length > 0) this.pack(samples);
  }

  /** Datagrams of `samples`, split in halves while one is over the size limit. */
  private pack(samples: KnownSample[]): void {
    const bytes = encodeDatagram({
      version: 5,
      agentAddress: this.o.agentAddress,
      subAgentId: this.o.subAgentId ?? 0,
      sequenceNumber: (this.sequence + 1) >>> 0,
      uptime: (Date.now() - this.started) >>> 0,
      samples,
    });
    if (bytes.length > (this.o.datagramBytes ?? 1400) && samples.length > 1) {
      const half = samples.length >> 1;
      this.pack(samples.slice(0, half));
      this.pack(samples.slice(half));
      return;
    }
    this.sequence = (this.sequence + 1) >>> 0;
    this.counts.datagrams++;
    for (const c of this.o.collectors) {
      const s = isIP(c.address) === 4 ? this.sockets.v4 : this.sockets.v6;
      if (s === undefined) continue;
      this.inFlight++;
      s.send(bytes, c.port, c.address, (e) => {
        if (e) this.counts.sendErrors++;
        if (--this.inFlight === 0) this.idle?.();
      });
    }
  }

  /** Sends what is queued and closes the sockets. */
  async close(): Promise<void> {
    this.flush();
    // Sends complete on later turns of the event loop; close after the last.
    if (this.inFlight > 0) await new Promise<void>((r) => (this.idle = r));
    for (const s of Object.values(this.sockets)) await new Promise<void>((r) => s.close(() => r()));
  }
}
