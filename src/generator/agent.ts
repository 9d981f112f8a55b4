/**
 * An sFlow agent's sending side: samples collected during a second are put in time order, given their data
 * source's sequence numbers, and packed into datagrams of at most 1,400 bytes, each with the agent's own
 * datagram sequence number and uptime, as hsflowd and switch agents send them.
 */
import { encodeDatagram } from '../sflow/datagram.js';
import type { KnownSample } from '../sflow/model.js';

export interface Emitted {
  /** Seconds since the start of the run. */
  time: number;
  agent: string;
  bytes: Uint8Array;
}

const MAX_DATAGRAM = 1400;
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
      if (batch.length === 0) return;
      this.sequence++;
      const bytes = encodeDatagram({
        version: 5,
        agentAddress: this.address,
        subAgentId: this.subAgentId,
        sequenceNumber: this.sequence >>> 0,
        uptime: Math.max(0, Math.round((last - this.bootTime) * 1000)) >>> 0,
        samples: batch,
      });
      out.push({ time: last, agent: this.address, bytes });
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
}
