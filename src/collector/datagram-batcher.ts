/**
 * The hand-off from the thread that reads the socket to the analyzer's thread. The socket handler only
 * appends the datagram to a batch; a batch goes as one message (its bytes transferred, not copied again) when
 * it is full or at the end of the event loop's turn, so a datagram waits less than a turn and the analyzer is
 * woken once per batch, not per datagram. The analyzer reports each batch done; the datagrams sent and not yet
 * done are bounded (the queue size), and a datagram past the bound is dropped and counted, so a stalled
 * analyzer costs bounded memory and never blocks the socket.
 */
import type { RawDatagram } from './udp-listener.js';

export interface QueueCounts {
  /** Datagrams taken from the socket since the start. */
  queued: number;
  /** Datagrams dropped because the queue was full. */
  dropped: number;
  /** The most datagrams waiting at once. */
  highWater: number;
  /** Datagrams waiting now: batched, or sent and not yet done. */
  waiting: number;
}

export interface DatagramBatch {
  type: 'batch';
  /** The datagrams back to back. */
  bytes: ArrayBuffer;
  /** Where each ends in `bytes`. */
  ends: Uint32Array;
  sources: string[];
  /** When each was received, ms since the epoch. */
  times: Float64Array;
  /** The batcher's counts when it was sent, for /analyzer/json. */
  counts: QueueCounts;
}

/** Datagrams per batch at most. */
const BATCH = 64;

export class DatagramBatcher {
  private pending: RawDatagram[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly counts = { queued: 0, dropped: 0, highWater: 0 };

  constructor(
    private readonly capacity: number,
    private readonly post: (batch: DatagramBatch, transfer: ArrayBuffer[]) => void,
  ) {}

  push(d: RawDatagram): void {
    const waiting = this.inFlight + this.pending.length;
    if (waiting >= this.capacity) {
      this.counts.dropped++;
      return;
    }
    this.pending.push(d);
    this.counts.queued++;
    if (waiting + 1 > this.counts.highWater) this.counts.highWater = waiting + 1;
    if (this.pending.length >= BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Sends what is batched now. */
  flush(): void {
    const list = this.pending;
    if (list.length === 0) return;
    this.pending = [];
    let size = 0;
    for (const d of list) size += d.bytes.length;
    const bytes = new Uint8Array(size);
    const ends = new Uint32Array(list.length);
    const times = new Float64Array(list.length);
    const sources = new Array<string>(list.length);
    let at = 0;
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      bytes.set(d.bytes, at);
      at += d.bytes.length;
      ends[i] = at;
      times[i] = d.receivedAt;
      sources[i] = d.address;
    }
    this.inFlight += list.length;
    const batch: DatagramBatch = {
      type: 'batch',
      bytes: bytes.buffer,
      ends,
      sources,
      times,
      counts: this.stats(),
    };
    this.post(batch, [bytes.buffer, ends.buffer, times.buffer]);
  }

  /** Counts `n` datagrams dropped before they reached the batcher. */
  dropped(n: number): void {
    this.counts.dropped += n;
  }

  /** The analyzer is done with `n` datagrams. */
  done(n: number): void {
    this.inFlight -= n;
  }

  stats(): QueueCounts {
    return { ...this.counts, waiting: this.inFlight + this.pending.length };
  }
}

/** Calls `take` with each datagram of `batch` (on the analyzer's side). */
export function unbatch(
  batch: DatagramBatch,
  take: (bytes: Uint8Array, source: string, time: number) => void,
): void {
  let start = 0;
  for (let i = 0; i < batch.ends.length; i++) {
    take(new Uint8Array(batch.bytes, start, batch.ends[i] - start), batch.sources[i], batch.times[i]);
    start = batch.ends[i];
  }
}
