/**
 * The commit batcher against real back-ends: dry-run, and shell commands that count their runs in a file and
 * refuse a directory holding the word BOOM, as a back-end refuses a rule it cannot load. No mocks: the
 * files, the processes and their exit codes are real.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AclError } from './acl-errors.js';
import { AclStore } from './acl-store.js';
import { type Backend, CommandBackend, DryRunBackend } from './backends.js';
import { CommitBatcher } from './commit-batcher.js';

interface Fixture {
  store: AclStore;
  /** A back-end that appends a line to a file per run, sleeps `sleep` seconds, and refuses BOOM. */
  counting(sleep?: number): Backend;
  runs(): Promise<number>;
}

async function withFixture(f: (x: Fixture) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sfk-batcher-'));
  const store = await AclStore.open(join(dir, 'policy.d'));
  const count = join(dir, 'runs');
  try {
    await f({
      store,
      counting: (sleep = 0) =>
        new CommandBackend('fake', [
          'sh',
          '-c',
          // The way cl-acltool fails: a message on stderr naming the rule, and a non-zero exit.
          'echo run >> "$1"; sleep "$3"; if grep -l BOOM "$2"/*.rules 2>/dev/null; then echo "error: unknown target BOOM" >&2; exit 3; fi',
          'fake',
          count,
          store.dir,
          String(sleep),
        ]),
      runs: async () => (await readFile(count, 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const acl = (rule: string) => ['[iptables]', rule];

test('50 concurrent changes within the window make one commit, and each resolves once it is applied', () =>
  withFixture(async ({ store, counting, runs }) => {
    const b = new CommitBatcher({ store, backend: counting(), windowMs: 20, maxAcls: 1000 });
    const names = Array.from({ length: 50 }, (_, i) => `acl${i}`);
    await Promise.all(
      names.map((n) =>
        b.submit({ kind: 'put', name: n, lines: acl(`-A FORWARD -m comment --comment ${n} -j DROP`) }),
      ),
    );
    assert.equal(await runs(), 1);
    assert.deepEqual(await store.list(), [...names].sort());
    const s = b.stats();
    assert.deepEqual([s.commits, s.changesApplied, s.largestBatch, s.pending], [1, 50, 50, 0]);
    await b.close();
  }));

test('a refused commit rolls back every file of its batch, re-applies, and gives every request the message', () =>
  withFixture(async ({ store, counting, runs }) => {
    const b = new CommitBatcher({ store, backend: counting(), windowMs: 20, maxAcls: 1000 });
    await b.submit({ kind: 'put', name: 'keep', lines: acl('-A FORWARD -j DROP') });
    const results = await Promise.allSettled([
      b.submit({ kind: 'put', name: 'good', lines: acl('-A INPUT -j ACCEPT') }),
      b.submit({ kind: 'put', name: 'bad', lines: ['[iptables]', '# BOOM'] }),
      b.submit({ kind: 'delete', name: 'keep' }),
      b.submit({ kind: 'put', name: 'keep', lines: acl('-A OUTPUT -j DROP') }),
    ]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      const e = (r as PromiseRejectedResult).reason as AclError;
      assert.equal(e.code, 'COMMIT_FAILED');
      assert.match(
        e.message,
        /^fake refused the batch of 4 changes, which was rolled back: .*exit 3.*error: unknown target BOOM/,
      );
    }
    assert.deepEqual(await store.list(), ['keep']);
    assert.deepEqual(
      await store.read('keep'),
      acl('-A FORWARD -j DROP'),
      'the file as it was before the batch',
    );
    assert.equal(
      await runs(),
      3,
      'the first commit, the refused one, and the one re-applying the files as they were',
    );
    const s = b.stats();
    assert.deepEqual([s.commits, s.failedCommits, s.changesRefused], [1, 1, 4]);
    assert.equal(s.lastCommit?.ok, false);
    assert.match(s.lastCommit?.error ?? '', /unknown target BOOM/);
    await b.submit({ kind: 'put', name: 'good', lines: acl('-A INPUT -j ACCEPT') });
    assert.deepEqual(await store.list(), ['good', 'keep'], 'the next batch is not held up by the last');
    await b.close();
  }));

test('when the re-apply fails too, the message says so', () =>
  withFixture(async ({ store }) => {
    const failing = new CommandBackend('false', ['sh', '-c', 'echo always refused; exit 1']);
    const b = new CommitBatcher({ store, backend: failing, windowMs: 0, maxAcls: 10 });
    await assert.rejects(b.submit({ kind: 'put', name: 'x', lines: [] }), (e: AclError) => {
      assert.equal(e.code, 'COMMIT_FAILED');
      assert.match(e.message, /always refused; applying the ACLs as they were failed too: .*always refused/);
      return true;
    });
    assert.equal(await store.read('x'), undefined);
    await b.close();
  }));

test('changes that arrive during a commit form the next batch', () =>
  withFixture(async ({ store, counting, runs }) => {
    const b = new CommitBatcher({ store, backend: counting(0.2), windowMs: 10, maxAcls: 1000 });
    const first = b.submit({ kind: 'put', name: 'a', lines: [] });
    await new Promise((r) => setTimeout(r, 60));
    const later = ['b', 'c', 'd'].map((name) => b.submit({ kind: 'put', name, lines: [] }));
    assert.equal(b.stats().pending, 4);
    await Promise.all([first, ...later]);
    assert.equal(await runs(), 2);
    assert.equal(b.stats().largestBatch, 3);
    await b.close();
  }));

test('window 0: an idle batcher commits each change at once', () =>
  withFixture(async ({ store, counting, runs }) => {
    const b = new CommitBatcher({ store, backend: counting(), windowMs: 0, maxAcls: 1000 });
    for (const name of ['a', 'b', 'c']) await b.submit({ kind: 'put', name, lines: [] });
    assert.equal(await runs(), 3);
    await b.close();
  }));

test('a new ACL past --max-acls is refused alone; a change that changes nothing needs no commit', () =>
  withFixture(async ({ store, counting, runs }) => {
    const b = new CommitBatcher({ store, backend: counting(), windowMs: 20, maxAcls: 2 });
    const r = await Promise.allSettled(
      ['a', 'b', 'c'].map((name) => b.submit({ kind: 'put', name, lines: [] })),
    );
    assert.deepEqual(
      r.map((x) => x.status),
      ['fulfilled', 'fulfilled', 'rejected'],
    );
    assert.equal(((r[2] as PromiseRejectedResult).reason as AclError).code, 'TOO_MANY_ACLS');
    await b.submit({ kind: 'put', name: 'a', lines: ['# replaced'] });
    assert.equal(await runs(), 2, 'replacing an ACL is not a new one');
    await b.submit({ kind: 'delete', name: 'none' });
    await b.submit({ kind: 'put', name: 'a', lines: ['# replaced'] });
    assert.equal(await runs(), 2);
    assert.equal(b.stats().batchesWithoutChange, 2);
    await b.submit({ kind: 'deleteAll' });
    assert.deepEqual(await store.list(), []);
    assert.equal(await runs(), 3);
    await b.close();
  }));

test('close applies what is pending and then takes no more', () =>
  withFixture(async ({ store }) => {
    const b = new CommitBatcher({ store, backend: new DryRunBackend(), windowMs: 5000, maxAcls: 10 });
    const pending = b.submit({ kind: 'put', name: 'late', lines: [] });
    const t = performance.now();
    await b.close();
    await pending;
    assert.ok(performance.now() - t < 1000, 'the window is not waited out');
    assert.deepEqual(await store.list(), ['late']);
    await assert.rejects(
      b.submit({ kind: 'delete', name: 'late' }),
      (e: AclError) => e.code === 'SHUTTING_DOWN',
    );
  }));
