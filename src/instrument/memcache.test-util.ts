/** For the memcache parsers' tests: a tracker that samples everything, and streams cut anywhere. */
import type { Operation } from './memcache-operation.js';
import { ConnectionTracker } from './memcache-tracker.js';

/** A tracker that samples everything; what it finished and why it stopped following. */
export function track(maxPending = 64) {
  const done: Operation[] = [];
  const lost: string[] = [];
  const tracker = new ConnectionTracker({
    maxPending,
    sample: () => true,
    done: (op) => done.push(op),
    lost: (code) => lost.push(code),
  });
  return { tracker, done, lost };
}

/** `bytes` cut at the given offsets. */
export function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [0, ...at.filter((n) => n > 0 && n < bytes.length).sort((a, b) => a - b), bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

/** [cmd, key, nkeys, valueBytes, status] of each operation; binary keys as text. */
export const summary = (ops: Operation[]) =>
  ops.map((o) => [
    o.cmd,
    o.key instanceof Uint8Array ? Buffer.from(o.key).toString('latin1') : o.key,
    o.nkeys,
    o.valueBytes,
    o.status,
  ]);
