/**
 * The hand-off between the socket and the engine. The socket's handler only queues the datagram; the queue is
 * worked off in slices of a few milliseconds on later turns of the event loop, so the socket is read again
 * between slices and a burst waits in memory instead of overflowing the kernel's buffer. A full queue drops
 * the new datagram and counts it.
 */
import type { RawDatagram } from './udp-listener.js';

export interface QueueCounts {
  /** Datagrams queued since the start. */
  queued: number;
  /** Datagrams dropped because the queue was full. */
  dropped: number;
  /** The most datagrams waiting at once. */
  highWater: number;
  /** Datagrams waiting now. */
  waiting: number;
}

/** How long one slice of work may hold the event loop, in milliseconds. */
const SLICE_MS = 4;

export class IngestQueue {
  private readonly items: (RawDatagram | undefined)[];
  private head = 0;
  private tail = 0;
  private scheduled = false;
  private readonly counts = { queued: 0, dropped: 0, highWater: 0 };

  constructor(
    private readonly capacity: number,
    private readonly handle: (d: RawDatagram) => void,
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    this.items = new Array(capacity);
  }

  get waiting(): number {
    return this.tail - this.head;
  }

  push(d: RawDatagram): void {
    const n = this.waiting;
    if (n >= this.capacity) {
      this.counts.dropped++;
      return;
    }
    this.items[this.tail++ % this.capacity] = d;
    this.counts.queued++;
    if (n + 1 > this.counts.highWater) this.counts.highWater = n + 1;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.work);
    }
  }

  private readonly work = (): void => {
    const until = performance.now() + SLICE_MS;
    let i = 0;
    while (this.head < this.tail) {
      const slot = this.head++ % this.capacity;
      const d = this.items[slot] as RawDatagram;
      this.items[slot] = undefined;
      try {
        this.handle(d);
      } catch (e) {
        // The engine counts what it cannot read; anything thrown past it must not stop the queue.
        this.onError(e);
      }
      if ((++i & 63) === 0 && performance.now() > until) break;
    }
    this.scheduled = this.head < this.tail;
    if (this.scheduled) setImmediate(this.work);
  };

  /** Works off everything waiting now (for tests and shutdown). */
  drain(): void {
    while (this.head < this.tail) {
      const slot = this.head++ % this.capacity;
      const d = this.items[slot] as RawDatagram;
      this.items[slot] = undefined;
      this.handle(d);
    }
  }

  stats(): QueueCounts {
    return { ...this.counts, waiting: this.waiting };
  }
}
