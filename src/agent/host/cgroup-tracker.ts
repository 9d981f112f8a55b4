/**
 * What the agent remembers of its containers between polls:
 *
 * - Each one's data source index, 3:N, allocated as hsflowd's assignVM_dsIndex does: N is 100000 plus the
 *   FNV-1a hash of the container's 16-byte UUID modulo 50000 (hsflowd's logical entities run from 100000 up
 *   to its application range at 150000), the next free index after it on a collision. It is not written to
 *   disk: a container keeps its index across agent restarts because the hash gives it again, unless another
 *   container took it first. The index is freed when the container goes.
 * - The I/O its processes did, for cgroups with no I/O accounting of their own: each process's counters are
 *   added as they grow, so that the container's total keeps what exited processes did (as hsflowd's systemd
 *   module accumulates its per-process deltas) rather than drop with them.
 */
import type { ProcessUse } from './cgroup-procs.js';

export const FIRST_INDEX = 100_000;
export const LAST_INDEX = 149_999;
const RANGE = LAST_INDEX - FIRST_INDEX + 1;

/** hsflowd's hashUUID: 32-bit FNV-1a over the bytes as C's signed char (each sign-extended before the xor). */
export function uuidHash(uuid: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of uuid) {
    h ^= (b << 24) >> 24;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The index a container gets when nothing else has it. */
export function preferredIndex(uuid: Uint8Array): number {
  return FIRST_INDEX + (uuidHash(uuid) % RANGE);
}

interface Tracked {
  index: number;
  /** Per process (pid@start): the counters last seen. */
  seen: Map<string, { read: bigint; write: bigint }>;
  read: bigint;
  write: bigint;
}

export class ContainerTracker {
  private readonly byKey = new Map<string, Tracked>();
  private readonly taken = new Set<number>();

  /** The data source index of the container `key` (its UUID in hex), allocated at first sight. */
  index(key: string, uuid: Uint8Array): number | undefined {
    const known = this.byKey.get(key);
    if (known) return known.index;
    if (this.taken.size >= RANGE) return undefined;
    let index = preferredIndex(uuid);
    while (this.taken.has(index)) index = index === LAST_INDEX ? FIRST_INDEX : index + 1;
    this.taken.add(index);
    this.byKey.set(key, { index, seen: new Map(), read: 0n, write: 0n });
    return index;
  }

  /** Forgets containers no longer there; their indexes are free again. */
  keepOnly(keys: ReadonlySet<string>): void {
    for (const [key, t] of this.byKey)
      if (!keys.has(key)) {
        this.taken.delete(t.index);
        this.byKey.delete(key);
      }
  }

  /** The container's storage bytes so far, from its processes' counters now (added up as they grow). */
  processIo(key: string, procs: readonly ProcessUse[]): { read: bigint; write: bigint } {
    const t = this.byKey.get(key);
    if (t === undefined) return sum(procs);
    const now = new Map<string, { read: bigint; write: bigint }>();
    for (const p of procs) {
      const before = t.seen.get(p.key) ?? { read: 0n, write: 0n };
      if (p.readBytes === undefined || p.writeBytes === undefined) {
        // Unreadable this time: remembered as it was, so that it is not counted again from zero.
        if (t.seen.has(p.key)) now.set(p.key, before);
        continue;
      }
      // Counters of one process only grow; a smaller one would be another reading's quirk: nothing added.
      if (p.readBytes > before.read) t.read += p.readBytes - before.read;
      if (p.writeBytes > before.write) t.write += p.writeBytes - before.write;
      now.set(p.key, { read: p.readBytes, write: p.writeBytes });
    }
    t.seen = now;
    return { read: t.read, write: t.write };
  }
}

function sum(procs: readonly ProcessUse[]): { read: bigint; write: bigint } {
  let read = 0n;
  let write = 0n;
  for (const p of procs) {
    read += p.readBytes ?? 0n;
    write += p.writeBytes ?? 0n;
  }
  return { read, write };
}
