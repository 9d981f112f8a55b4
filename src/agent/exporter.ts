/**
 * The sending side of a real sFlow agent: samples are collected and sent at least once a second, packed into
 * datagrams of at most `datagramBytes` (1,400 by default, as hsflowd), each with the agent's datagram sequence
 * number and its uptime, to every collector over UDP. Each sample is encoded as it comes, into one buffer that
 * the exporter keeps, and the datagrams are cut from it in order when 64 have gathered or a second has passed:
 * a flush is bounded work, and a waiting sample is no object of its own (in a server, objects that wait survive
 * V8's young-generation collections, and their bytes make it grow the young generation sooner, which the
 * caches then do not hold: docs/benchmarks.md). A sample that cannot be encoded, or a send that fails, is
 * counted, never thrown: monitoring must not break what it monitors.
 */
import type { Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { assembleDatagram, encodeSampleInto } from '../sflow/datagram.js';
import type { KnownSample } from '../sflow/model.js';
import { XdrWriter } from '../xdr/writer.js';
import { udpSocket } from './udp-socket.js';

/** Samples encoded and sent together. */
const BATCH = 64;

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
  /** Samples dropped because they could not be encoded (a field out of its range). */
  encodeErrors: number;
  datagrams: number;
  sendErrors: number;
}

export class SflowExporter {
  /** The samples waiting, encoded back to back (format, length and body each). */
  private readonly queued = new XdrWriter(8192);
  /** Where each waiting sample ends in `queued`. */
  private readonly ends = new Uint32Array(BATCH);
  private waiting = 0;
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private readonly sockets: { v4?: Socket; v6?: Socket } = {};
  private inFlight = 0;
  private idle: (() => void) | undefined;
  readonly counts: ExporterCounts = { samples: 0, encodeErrors: 0, datagrams: 0, sendErrors: 0 };

  constructor(private o: ExporterOptions) {
    if (isIP(o.agentAddress) === 0)
      throw new RangeError(`agent address '${o.agentAddress}' is not an IP address`);
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
        const s = udpSocket(family === 4 ? 'udp4' : 'udp6');
        s.on('error', () => this.counts.sendErrors++);
        // Bound now, not by the first send: that one would wait for the bind with once() listeners, whose
        // removal teaches removeListener() shapes that Node's code for every HTTP response then pays for
        // (docs/benchmarks.md).
        s.bind();
        s.unref();
        this.sockets[key] = s;
      }
    }
  }

  /** Queues a sample; it goes within flushMs, or at once when a batch has gathered. */
  add(sample: KnownSample): void {
    const w = this.queued;
    const mark = w.pos;
    try {
      encodeSampleInto(w, sample);
    } catch {
      w.pos = mark;
      this.counts.encodeErrors++;
      return;
    }
    this.queue();
  }

  /** Queues a sample its source encoded itself, as it stands in a datagram: format, length and body. */
  addEncoded(sample: Uint8Array): void {
    this.queued.raw(sample);
    this.queue();
  }

  private queue(): void {
    this.ends[this.waiting++] = this.queued.pos;
    this.counts.samples++;
    if (this.waiting >= BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.o.flushMs ?? 1000).unref();
  }

  /** Sends everything queued now, in as few datagrams as their size allows. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // The bytes a datagram has for samples: its size less the largest header (an IPv6 agent's, 40 bytes).
    const room = (this.o.datagramBytes ?? 1400) - 40;
    const w = this.queued;
    let first = 0;
    let count = 0;
    for (let i = 0; i < this.waiting; i++) {
      const start = i === 0 ? 0 : this.ends[i - 1];
      if (this.ends[i] - first > room && count > 0) {
        // This one does not fit: the datagram goes without it, and the next starts with it.
        this.send(w.view(first, start), count);
        first = start;
        count = 0;
      }
      count++;
    }
    if (count > 0) this.send(w.view(first), count);
    this.waiting = 0;
    w.reset();
  }

  /** One datagram of `count` encoded samples (one sample larger than a datagram goes alone). */
  private send(samples: Uint8Array, count: number): void {
    this.sequence = (this.sequence + 1) >>> 0;
    const bytes = assembleDatagram(
      {
        version: 5,
        agentAddress: this.o.agentAddress,
        subAgentId: this.o.subAgentId ?? 0,
        sequenceNumber: this.sequence,
        uptime: (Date.now() - this.started) >>> 0,
      },
      samples,
      count,
    );
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
