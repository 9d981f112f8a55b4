/**
 * One client connection's operations, followed beside the bytes the proxy forwards: the protocol is the first
 * byte's (0x80: binary, as memcached itself decides), requests wait in a bounded queue for their answers, and
 * each finished operation goes to the sampler. What cannot be followed stops the following, never the traffic.
 */
import { performance } from 'node:perf_hooks';
import { BinaryRequests, BinaryResponses } from './memcache-binary.js';
import {
  type LostCode,
  type Operation,
  OperationQueue,
  type OperationTrack,
  ProtocolError,
} from './memcache-operation.js';
import { TextRequests, TextResponses } from './memcache-text.js';

export interface TrackerOptions {
  /** Operations awaiting their answer, at most (then the connection is no longer followed). */
  maxPending: number;
  /** Whether the next operation is sampled (the sampler's skip count). */
  sample: () => boolean;
  /** An operation is done: counted, and reported when sampled. */
  done: (op: Operation) => void;
  /** The stream can no longer be followed, for this reason. */
  lost: (code: LostCode | 'PARSER_FAILURE', message: string) => void;
}

interface Stream {
  push(chunk: Buffer): void;
}

export class ConnectionTracker implements OperationTrack {
  readonly queue: OperationQueue;
  private requests: Stream | undefined;
  private responses: Stream | undefined;
  private following = true;

  constructor(private readonly o: TrackerOptions) {
    this.queue = new OperationQueue(o.maxPending);
  }

  /** Whether the stream is still followed. */
  get synced(): boolean {
    return this.following;
  }

  fromClient(chunk: Buffer): void {
    if (!this.following || chunk.length === 0) return;
    try {
      if (this.requests === undefined) {
        const binary = chunk[0] === 0x80;
        this.requests = binary ? new BinaryRequests(this) : new TextRequests(this);
        this.responses = binary ? new BinaryResponses(this) : new TextResponses(this);
      }
      this.requests.push(chunk);
    } catch (e) {
      this.lose(e);
    }
  }

  fromServer(chunk: Buffer): void {
    if (!this.following || chunk.length === 0) return;
    try {
      // memcached may speak first (too many connections): nothing to follow on such a connection.
      if (this.responses === undefined)
        throw new ProtocolError('UNEXPECTED_RESPONSE', 'the server spoke first');
      this.responses.push(chunk);
    } catch (e) {
      this.lose(e);
    }
  }

  /** The connection closed: quiet operations still queued passed in silence (memcached answers in order). */
  close(): void {
    for (let op = this.queue.peek(); op !== undefined && op.silent >= 0; op = this.queue.peek())
      this.finish(this.queue.shift()!, op.silent);
    this.stop();
  }

  begin(op: Operation): boolean {
    const sampled = this.o.sample();
    op.sampled = sampled;
    if (sampled) op.started = performance.now();
    return sampled;
  }

  expect(op: Operation): void {
    const q = this.queue;
    // A client that sends quiet commands without ever a noop would fill the queue: a quiet command at its head
    // is presumed to have passed in silence, as it almost always has (its error, should one come, desyncs).
    if (q.size >= q.max && q.peek()!.silent >= 0) {
      const head = q.shift()!;
      this.finish(head, head.silent);
    }
    q.push(op);
  }

  finish(op: Operation, status: number): void {
    op.status = status;
    if (op.sampled) op.uS = Math.min(0xffffffff, Math.round((performance.now() - op.started) * 1000));
    this.o.done(op);
  }

  private lose(e: unknown): void {
    this.stop();
    if (e instanceof ProtocolError) this.o.lost(e.code, e.message);
    else this.o.lost('PARSER_FAILURE', e instanceof Error ? e.message : String(e));
  }

  private stop(): void {
    this.following = false;
    this.queue.clear();
    this.requests = undefined;
    this.responses = undefined;
  }
}
