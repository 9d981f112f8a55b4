/**
 * An sFlow agent's sending side: samples collected during a second are put in time order, given their data
 * source's sequence numbers, and packed into datagrams of at most 1,400 bytes, each with the agent's own
 * datagram sequence number and uptime, as hsflowd and switch agents send them.
 */
import { encodeDatagram } from '../sflow/datagram.js';
import type { KnownSample } from '../sflow/model.js';
import type { Random } from './random.js';

export interface Emitted {
  /** Seconds since the start of the run. */
  time: number;
  agent: string;
  bytes: Uint8Array;
}

export const MAX_DATAGRAM = 1400;
/** The datagram header with an IPv4 agent address. */
const DATAGRAM_HEADER = 28;

interface Pending {
  time: number;
  size: number;
  /** Fills in what depends on the order (sequence numbers, pools) when the sample is sent. */
  make: () => KnownSample;
}

export class Agent {
  private sequence = 0;
  private pending: Pending[] = [];

  /** `bootTime` (seconds, before or after the run's start) sets the uptime agents report. */
  constructor(
    readonly address: string,
    readonly subAgentId: number,
    private readonly bootTime: number,
  ) {}

  /** A sample made at `time`, about `size` bytes encoded. */
  add(time: number, size: number, make: () => KnownSample): void {
    this.pending.push({ time, size, make });
  }

  /** Sends what was collected: datagrams in time order, each stamped with its last sample's time. */
  flush(out: Emitted[]): void {
    if (this.pending.length === 0) return;
    this.pending.sort((a, b) => a.time - b.time);
    let batch: KnownSample[] = [];
    let size = DATAGRAM_HEADER;
    let last = 0;
    const send = () => {
      if (batch.length > 0) this.send(batch, last, out);
      batch = [];
      size = DATAGRAM_HEADER;
    };
    for (const p of this.pending) {
      if (size + p.size > MAX_DATAGRAM) send();
      batch.push(p.make());
      size += p.size;
      last = p.time;
    }
    send();
    this.pending = [];
  }

  /** One datagram of `samples`; two if the sizes were guessed short and it comes out over the limit. */
  private send(samples: KnownSample[], time: number, out: Emitted[]): void {
    const datagram = (s: KnownSample[]) =>
      encodeDatagram({
        version: 5,
        agentAddress: this.address,
        subAgentId: this.subAgentId,
        sequenceNumber: (this.sequence + 1) >>> 0,
        uptime: Math.max(0, Math.round((time - this.bootTime) * 1000)) >>> 0,
        samples: s,
      });
    const bytes = datagram(samples);
    if (bytes.length > MAX_DATAGRAM && samples.length > 1) {
      const half = samples.length >> 1;
      this.send(samples.slice(0, half), time, out);
      this.send(samples.slice(half), time, out);
      return;
    }
    this.sequence++;
    out.push({ time, agent: this.address, bytes });
  }
}

/** When an agent polls its counters: an interval drawn within the configured range, and its own phase. */
export class Poller {
  readonly interval: number;
  private readonly phase: number;

  constructor(rnd: Random, polling: readonly [number, number]) {
    this.interval = rnd.between(polling[0], polling[1]);
    this.phase = rnd.int(this.interval);
  }

  /** Whether counters are sent during second `t`. */
  due(t: number): boolean {
    return (t - this.phase) % this.interval === 0;
  }
}

/**
 * A data source's sample pool: the packets (or transactions) it has seen. Samples are made in flow order and
 * sent in time order, so a sample's pool is taken when it is sent, from the share of the second before it.
 */
export class SamplePool {
  private total = 0;
  private thisSecond = 0;

  add(n: number): void {
    this.thisSecond += n;
  }

  /** The pool at `fraction` of the current second. */
  at(fraction: number): number {
    return (this.total + Math.round(fraction * this.thisSecond)) >>> 0;
  }

  endSecond(): void {
    this.total += Math.round(this.thisSecond);
    this.thisSecond = 0;
  }
}
