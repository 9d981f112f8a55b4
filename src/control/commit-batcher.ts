/**
 * Batched commits (the seed's note 4): changes that arrive within a short window are written and applied in
 * one commit, and each request's promise settles when its batch is applied or refused. One batch runs at a
 * time, since a commit reads every stored file; changes that arrive while it runs form the next batch, which
 * starts as soon as the running one ends if its own window has already passed. With a window of 0 this is
 * plain group commit: an idle server commits a change at once, a busy one batches what queued meanwhile.
 *
 * A batch is all or nothing towards the back-end: if the commit fails, every file the batch touched is put
 * back as it was, the back-end is asked to commit again (so that what it applies matches the files, even for
 * back-ends that applied part of the batch), and every request of the batch gets the back-end's message.
 * A change that cannot be made at all (a new ACL past --max-acls) is refused alone, before the commit.
 */
import type { Logger } from 'pino';
import { AclError } from './acl-errors.js';
import type { AclStore, Snapshot } from './acl-store.js';
import type { Backend } from './backends.js';

export type Change =
  | { kind: 'put'; name: string; lines: readonly string[] }
  | { kind: 'delete'; name: string }
  | { kind: 'deleteAll' };

export interface BatcherOptions {
  store: AclStore;
  backend: Backend;
  /** How long the first change of a batch waits for more, in ms; 0: commit at once when idle. */
  windowMs: number;
  /** Most ACLs stored; a PUT of a new one past it is refused with TOO_MANY_ACLS. */
  maxAcls: number;
  log?: Logger;
}

export interface BatcherStats {
  /** Commits the back-end applied. */
  commits: number;
  /** Commits the back-end refused (each rolled back). */
  failedCommits: number;
  /** Changes applied (a batch of 50 PUTs adds 50 here and 1 to commits). */
  changesApplied: number;
  /** Changes refused, alone or with their batch. */
  changesRefused: number;
  /** Batches that changed nothing (a DELETE of a missing ACL) and so needed no commit. */
  batchesWithoutChange: number;
  /** Changes waiting for their batch, and in the batch being applied. */
  pending: number;
  largestBatch: number;
  lastCommit?: { at: string; changes: number; ms: number; ok: boolean; error?: string };
}

interface Waiting {
  change: Change;
  at: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class CommitBatcher {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private running: Promise<void> | undefined;
  private inBatch = 0;
  private closed = false;
  private readonly counts: Omit<BatcherStats, 'pending'> = {
    commits: 0,
    failedCommits: 0,
    changesApplied: 0,
    changesRefused: 0,
    batchesWithoutChange: 0,
    largestBatch: 0,
  };

  constructor(private readonly o: BatcherOptions) {}

  /** Queues a change; settles when its batch is applied (or refused, with an AclError). */
  submit(change: Change): Promise<void> {
    if (this.closed) return Promise.reject(new AclError('SHUTTING_DOWN'));
    return new Promise((resolve, reject) => {
      this.queue.push({ change, at: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  stats(): BatcherStats {
    return { ...this.counts, pending: this.queue.length + this.inBatch };
  }

  /** Takes no more changes, applies those already taken, and resolves when the last batch is done. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.queue.length > 0 || this.running) {
      if (this.timer) {
        clearTimeout(this.timer as NodeJS.Timeout);
        clearImmediate(this.timer as NodeJS.Immediate);
        this.timer = undefined;
        this.start();
      }
      await this.running;
    }
  }

  private schedule(): void {
    if (this.timer || this.running || this.queue.length === 0) return;
    const waited = performance.now() - this.queue[0].at;
    const wait = this.closed ? 0 : Math.max(0, this.o.windowMs - waited);
    const go = () => {
      this.timer = undefined;
      this.start();
    };
    // setTimeout(0) waits at least 1 ms; with no window to wait, the changes of this turn of the loop are all in.
    this.timer = wait < 1 ? setImmediate(go) : setTimeout(go, wait);
  }

  private start(): void {
    const batch = this.queue;
    this.queue = [];
    this.inBatch = batch.length;
    this.running = this.apply(batch)
      .catch((e) => {
        // apply() settles every request itself; reaching here is a bug, logged rather than left unhandled.
        this.o.log?.error({ err: e }, 'commit batch failed unexpectedly');
        for (const w of batch) w.reject(new AclError('INTERNAL'));
      })
      .finally(() => {
        this.running = undefined;
        this.inBatch = 0;
        this.schedule();
      });
  }

  private async apply(batch: Waiting[]): Promise<void> {
    const { store, backend, log } = this.o;
    const started = performance.now();
    this.counts.largestBatch = Math.max(this.counts.largestBatch, batch.length);
    const existing = new Set(await store.list());
    const touched = new Set<string>();
    for (const { change } of batch)
      if (change.kind === 'deleteAll') for (const n of existing) touched.add(n);
      else touched.add(change.name);
    const before = await store.snapshot(touched);

    const accepted: Waiting[] = [];
    // What each touched ACL holds after the batch, to tell whether the batch changed anything at all.
    const after = new Map(before);
    try {
      for (const w of batch) {
        const c = w.change;
        if (c.kind === 'put') {
          if (!existing.has(c.name) && existing.size >= this.o.maxAcls) {
            this.refuse(
              w,
              new AclError('TOO_MANY_ACLS', `${existing.size} ACLs are stored, the most --max-acls allows`),
            );
            continue;
          }
          await store.write(c.name, c.lines);
          existing.add(c.name);
          after.set(c.name, c.lines);
        } else if (c.kind === 'delete') {
          await store.remove(c.name);
          existing.delete(c.name);
          after.set(c.name, undefined);
        } else {
          for (const name of existing) {
            await store.remove(name);
            after.set(name, undefined);
          }
          existing.clear();
        }
        accepted.push(w);
      }
    } catch (e) {
      log?.error({ err: e, dir: store.dir }, 'cannot write the ACL files; rolling the batch back');
      // Nothing reached the back-end yet: the files alone go back.
      const again = await this.rollBack(before, false);
      const error = new AclError(
        'STORE_FAILED',
        `cannot write the ACL files: ${(e as Error).message}${again ? `; ${again}` : ''}`,
      );
      for (const w of batch) if (!settled.has(w)) this.refuse(w, error);
      return;
    }
    if (accepted.length === 0) return;
    if (!changed(before, after)) {
      this.counts.batchesWithoutChange++;
      for (const w of accepted) this.succeed(w);
      return;
    }

    try {
      await backend.commit();
    } catch (e) {
      const message = (e as Error).message;
      const ms = performance.now() - started;
      this.counts.failedCommits++;
      this.counts.lastCommit = {
        at: new Date().toISOString(),
        changes: accepted.length,
        ms,
        ok: false,
        error: message,
      };
      log?.warn(
        { changes: accepted.length, ms, backend: backend.name, error: message },
        'commit refused; rolling back',
      );
      const again = await this.rollBack(before);
      const what = accepted.length === 1 ? 'the change' : `the batch of ${accepted.length} changes`;
      const error = new AclError(
        'COMMIT_FAILED',
        `${backend.name} refused ${what}, which was rolled back: ${message}${again ? `; ${again}` : ''}`,
      );
      for (const w of accepted) this.refuse(w, error);
      return;
    }
    const ms = performance.now() - started;
    this.counts.commits++;
    this.counts.lastCommit = { at: new Date().toISOString(), changes: accepted.length, ms, ok: true };
    log?.info(
      { commit: this.counts.commits, changes: accepted.length, ms: round(ms), backend: backend.name },
      'commit',
    );
    for (const w of accepted) this.succeed(w);
  }

  /** Puts the files back and has the back-end apply them; says what went wrong doing so, if anything did. */
  private async rollBack(before: Snapshot, recommit = true): Promise<string | undefined> {
    try {
      await this.o.store.restore(before);
    } catch (e) {
      this.o.log?.error({ err: e }, 'cannot roll the ACL files back');
      return `rolling the files back failed too: ${(e as Error).message}`;
    }
    if (!recommit) return undefined;
    try {
      await this.o.backend.commit();
    } catch (e) {
      this.o.log?.error({ error: (e as Error).message }, 'applying the rolled-back ACLs failed');
      return `applying the ACLs as they were failed too: ${(e as Error).message}`;
    }
    return undefined;
  }

  private succeed(w: Waiting): void {
    settled.add(w);
    this.counts.changesApplied++;
    w.resolve();
  }

  private refuse(w: Waiting, e: AclError): void {
    settled.add(w);
    this.counts.changesRefused++;
    w.reject(e);
  }
}

const settled = new WeakSet<Waiting>();

/** Whether any ACL differs between the two states. */
function changed(before: Snapshot, after: Snapshot): boolean {
  for (const [name, was] of before) {
    const now = after.get(name);
    if (now === undefined || was === undefined ? now !== was : now.join('\n') !== was.join('\n')) return true;
  }
  return false;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
