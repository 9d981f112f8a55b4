/**
 * When each data source's counters are due, as hsflowd staggers them: every data source is polled once per
 * polling interval, at its own offset within it (from a hash of its name), so that a host with many
 * interfaces and containers sends a few counter samples each second rather than all of them at once, and the
 * collector sees evenly spread datagrams.
 */

export class CounterPoller {
  private readonly phases = new Map<string, number>();

  constructor(private intervalSeconds: number) {
    if (!(Number.isInteger(intervalSeconds) && intervalSeconds >= 1))
      throw new RangeError(`polling must be a whole number of seconds, at least 1, not ${intervalSeconds}`);
  }

  /** A new interval (a changed config, DNS-SD): offsets follow from it. */
  setInterval(seconds: number): void {
    if (seconds === this.intervalSeconds) return;
    this.intervalSeconds = seconds;
    this.phases.clear();
  }

  get interval(): number {
    return this.intervalSeconds;
  }

  /** Whether data source `id` is due at whole second `second` (since the epoch, or since the agent began). */
  due(id: string, second: number): boolean {
    let phase = this.phases.get(id);
    if (phase === undefined) {
      phase = hash(id) % this.intervalSeconds;
      this.phases.set(id, phase);
    }
    return second % this.intervalSeconds === phase;
  }

  /** Forgets data sources that are gone (an interface removed, a container stopped). */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.phases.keys()) if (!ids.has(id)) this.phases.delete(id);
  }
}

/** FNV-1a: a stable spread of names over offsets. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
