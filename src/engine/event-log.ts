/**
 * A bounded log of numbered entries that readers poll from a point (sFlow-RT's /events/json?eventID= and
 * /flows/json?flowID=): each entry gets the next id; a reader asks for the entries after the last id it saw,
 * newest first, and may wait up to a timeout for one to arrive (long poll). The oldest entries fall off.
 */
interface Waiter {
  after: number;
  resolve: () => void;
}

export class EventLog<T> {
  private readonly entries: { id: number; value: T }[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly subscribers = new Set<(entry: T) => void>();
  private next = 1;

  constructor(private readonly capacity = 10_000) {}

  /** Appends the entry `make` builds with the next id, and wakes the readers waiting for it. */
  push(make: (id: number) => T): T {
    const id = this.next++;
    const value = make(id);
    this.entries.push({ id, value });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    for (const w of this.waiters) {
      this.waiters.delete(w);
      w.resolve();
    }
    for (const s of this.subscribers) s(value);
    return value;
  }

  /** The id of the newest entry (0 when none yet). */
  get lastId(): number {
    return this.next - 1;
  }

  /** The entries after id `after` (-1 or 0: all kept), newest first, at most `max`. */
  since(after: number, max = Number.POSITIVE_INFINITY): T[] {
    const out: T[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < max; i--) {
      const e = this.entries[i];
      if (e.id <= after) break;
      out.push(e.value);
    }
    return out;
  }

  /**
   * As `since`, but when nothing is newer than `after`, waits up to `timeoutMs` for an entry (or until
   * `signal` aborts, as when the client goes away).
   */
  async wait(after: number, max: number, timeoutMs: number, signal?: AbortSignal): Promise<T[]> {
    const now = this.since(after, max);
    if (now.length > 0 || timeoutMs <= 0 || signal?.aborted) return now;
    await new Promise<void>((resolve) => {
      const w: Waiter = { after, resolve: () => done() };
      const timer = setTimeout(() => done(), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(w);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done);
      this.waiters.add(w);
    });
    return this.since(after, max);
  }

  /** Calls `fn` with each entry from now on (controller apps' handlers); returns the unsubscribe function. */
  subscribe(fn: (entry: T) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Wakes every waiting reader (on shutdown). */
  close(): void {
    for (const w of this.waiters) w.resolve();
  }
}
