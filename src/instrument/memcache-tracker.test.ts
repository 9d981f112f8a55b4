/**
 * Whatever bytes a client or a server sends, following them never throws (the proxy forwards them all the
 * same) and never holds more than its bounds: fast-check's arbitrary streams, text-like and binary-like.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { track } from './memcache.test-util.js';
import { MAX_LINE } from './memcache-stream.js';

const TEXT = [
  'get a b\r\n',
  'set a 0 0 3\r\nabc\r\n',
  'set a 0 0 3 noreply\r\n',
  'STORED\r\n',
  'END\r\n',
  'VALUE a 0 3\r\n',
  'VALUE a 0 99999999\r\n',
  'STAT x 1\r\n',
  'ERROR\r\n',
  'gat 1 a\r\n',
  '\r\n',
  '\n',
  'mn\r\n',
];

const chunks = fc.array(
  fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.constantFrom(...TEXT).map((s) => Buffer.from(s)),
    fc.uint8Array({ minLength: 24, maxLength: 40 }).map((b) => {
      b[0] = 0x80 | (b[0] & 1);
      return b;
    }),
  ),
  { maxLength: 30 },
);

test('arbitrary streams both ways: no throw, bounded queue, and a verdict (followed or lost)', () => {
  fc.assert(
    fc.property(chunks, chunks, fc.array(fc.boolean(), { maxLength: 60 }), (requests, responses, order) => {
      const { tracker, done, lost } = track(16);
      let r = 0;
      let s = 0;
      for (const fromClient of order) {
        if (fromClient && r < requests.length) tracker.fromClient(Buffer.from(requests[r++]));
        else if (s < responses.length) tracker.fromServer(Buffer.from(responses[s++]));
      }
      while (r < requests.length) tracker.fromClient(Buffer.from(requests[r++]));
      while (s < responses.length) tracker.fromServer(Buffer.from(responses[s++]));
      tracker.close();
      assert.ok(tracker.queue.size === 0);
      assert.ok(lost.length <= 1);
      assert.ok(done.every((o) => Number.isInteger(o.status) && o.uS >= 0));
    }),
    { numRuns: 500 },
  );
});

test('a line never ends: given up on at the bound, not buffered forever', () => {
  const { tracker, lost } = track();
  const chunk = Buffer.alloc(4096, 0x61);
  for (let i = 0; i < (2 * MAX_LINE) / chunk.length; i++) tracker.fromClient(chunk);
  assert.deepEqual(lost, ['LINE_TOO_LONG']);
});
