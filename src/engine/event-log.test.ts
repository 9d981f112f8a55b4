/**
 * The event log: entries numbered from 1, read after an id newest first and at most `max`, the oldest dropped
 * past the capacity; the long poll answers at once when something is newer, wakes on a push, gives nothing
 * after its timeout, and ends early when its signal aborts or the log closes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventLog } from './event-log.js';

function log(n: number, capacity = 100): EventLog<{ id: number; text: string }> {
  const l = new EventLog<{ id: number; text: string }>(capacity);
  for (let i = 0; i < n; i++) l.push((id) => ({ id, text: `e${id}` }));
  return l;
}

const ids = (xs: { id: number }[]) => xs.map((x) => x.id);

test('entries are numbered from 1 and read after an id, newest first, at most max', () => {
  const l = log(0);
  assert.equal(l.lastId, 0);
  assert.deepEqual(l.since(0), []);
  assert.deepEqual(
    l.push((id) => ({ id, text: 'first' })),
    { id: 1, text: 'first' },
  );
  for (let i = 0; i < 4; i++) l.push((id) => ({ id, text: `e${id}` }));
  assert.equal(l.lastId, 5);
  assert.deepEqual(ids(l.since(0)), [5, 4, 3, 2, 1]);
  assert.deepEqual(ids(l.since(-1)), [5, 4, 3, 2, 1]);
  assert.deepEqual(ids(l.since(2)), [5, 4, 3]);
  assert.deepEqual(ids(l.since(0, 2)), [5, 4]);
  assert.deepEqual(ids(l.since(4, 10)), [5]);
  assert.deepEqual(l.since(5), []);
  assert.deepEqual(l.since(0, 0), []);
});

test('past its capacity the log drops the oldest entries; ids go on', () => {
  const l = log(7, 3);
  assert.deepEqual(ids(l.since(0)), [7, 6, 5]);
  assert.deepEqual(ids(l.since(2)), [7, 6, 5], 'a reader behind the kept entries gets what is kept');
  assert.deepEqual(ids(l.since(5)), [7, 6]);
  assert.equal(l.lastId, 7);
});

test('wait() answers at once when something is newer', async () => {
  const l = log(3);
  const started = Date.now();
  assert.deepEqual(ids(await l.wait(1, 10, 10_000)), [3, 2]);
  assert.deepEqual(ids(await l.wait(0, 1, 10_000)), [3]);
  assert.ok(Date.now() - started < 1000);
});

test('wait() wakes on the next push with what came', async () => {
  const l = log(2);
  const started = Date.now();
  const waiting = l.wait(2, 2, 10_000);
  const other = l.wait(2, 10, 10_000);
  setTimeout(() => {
    for (let i = 0; i < 3; i++) l.push((id) => ({ id, text: `late${id}` }));
  }, 20);
  assert.deepEqual(ids(await waiting), [5, 4], 'all three came before the reader ran; max 2');
  assert.deepEqual(
    (await other).map((e) => e.text),
    ['late5', 'late4', 'late3'],
  );
  assert.ok(Date.now() - started < 5000, 'woken, not timed out');
});

test('wait() gives nothing after its timeout', async () => {
  const l = log(2);
  const started = Date.now();
  assert.deepEqual(await l.wait(2, 10, 60), []);
  const took = Date.now() - started;
  assert.ok(took >= 50 && took < 5000, `took ${took} ms`);
  assert.deepEqual(await l.wait(2, 10, 0), [], 'no timeout: no wait');
  // A push after the timeout finds no reader left to wake, and is kept.
  l.push((id) => ({ id, text: 'after' }));
  assert.deepEqual(ids(l.since(2)), [3]);
});

test('wait() ends early when its signal aborts, or at once when already aborted', async () => {
  const l = log(1);
  const ac = new AbortController();
  const started = Date.now();
  const waiting = l.wait(1, 10, 60_000, ac.signal);
  setTimeout(() => ac.abort(), 20);
  assert.deepEqual(await waiting, []);
  assert.ok(Date.now() - started < 5000, 'aborted, not timed out');
  const t0 = Date.now();
  assert.deepEqual(await l.wait(1, 10, 60_000, AbortSignal.abort()), []);
  assert.ok(Date.now() - t0 < 1000);
  // The aborted reader's 60 s timer is gone: otherwise this test file would not end for a minute.
});

test('close() wakes every reader', async () => {
  const l = log(1);
  const started = Date.now();
  const readers = [l.wait(1, 10, 60_000), l.wait(0, 10, 60_000), l.wait(1, 10, 60_000)];
  setTimeout(() => l.close(), 20);
  const got = await Promise.all(readers);
  assert.deepEqual(got.map(ids), [[], [1], []]);
  assert.ok(Date.now() - started < 5000);
});
