/**
 * The text protocol followed beside a stream, whatever its chunking: each operation's command, first key, key
 * count, value size and status, for a stream shaped as memcached 1.6 answers (the proxy's tests against
 * Debian's memcached check the same against the real thing), and the stream given up on when it cannot be
 * followed, never thrown.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cut, summary, track } from './memcache.test-util.js';
import { CMD, STATUS } from './memcache-operation.js';
import { lineStatus } from './memcache-text.js';

const REQUESTS = [
  'set a 0 0 3\r\nabc\r\n',
  'set b 0 0 1 noreply\r\nx\r\n',
  'get a b c\r\n',
  'gets a\r\n',
  'gat 100 a zz\r\n',
  'touch a 10\r\n',
  'incr a 1\r\n',
  'delete a\r\n',
  'delete a noreply\r\n',
  'cas n 0 0 1 999\r\n7\r\n',
  // Does not parse: memcached reads no data block after it.
  'set k 0 0 abc\r\n',
  // A data block holding \r\n and what looks like a command.
  'set big 0 0 12\r\nab\r\nget x\r\nc\r\n',
  'stats\r\n',
  'version\r\n',
  'flush_all noreply\r\n',
  'foo  bar\r\n',
  // Not modelled: any one line answers it.
  'slabs reassign 1 2\r\n',
  'quit\r\n',
].join('');

const RESPONSES = [
  'STORED\r\n',
  'VALUE a 0 3\r\nabc\r\nVALUE b 0 1\r\nx\r\nEND\r\n',
  'VALUE a 0 3 1\r\nabc\r\nEND\r\n',
  'VALUE a 0 3\r\nabc\r\nEND\r\n',
  'TOUCHED\r\n',
  'CLIENT_ERROR cannot increment or decrement non-numeric value\r\n',
  'DELETED\r\n',
  'EXISTS\r\n',
  'CLIENT_ERROR bad command line format\r\n',
  'STORED\r\n',
  'STAT pid 1\r\nSTAT version END\r\nEND\r\n',
  'VERSION 1.6.18\r\n',
  'ERROR\r\n',
  'NOSPARE\r\n',
].join('');

/** [cmd, key, nkeys, valueBytes, status]: noreply and quit are done when read, the rest when answered. */
const EXPECTED = [
  [CMD.SET, 'b', 1, 1, STATUS.UNKNOWN],
  [CMD.DELETE, 'a', 1, 0, STATUS.UNKNOWN],
  [CMD.FLUSH, undefined, 0, 0, STATUS.UNKNOWN],
  [CMD.QUIT, undefined, 0, 0, STATUS.UNKNOWN],
  [CMD.SET, 'a', 1, 3, STATUS.STORED],
  [CMD.GET, 'a', 3, 3, STATUS.EXISTS],
  [CMD.GETS, 'a', 1, 3, STATUS.EXISTS],
  [CMD.GET, 'a', 2, 3, STATUS.EXISTS],
  [CMD.TOUCH, 'a', 1, 0, STATUS.OK],
  [CMD.INCR, 'a', 1, 0, STATUS.CLIENT_ERROR],
  [CMD.DELETE, 'a', 1, 0, STATUS.DELETED],
  [CMD.CAS, 'n', 1, 1, STATUS.EXISTS],
  [CMD.SET, 'k', 1, 0, STATUS.CLIENT_ERROR],
  [CMD.SET, 'big', 1, 12, STATUS.STORED],
  [CMD.STATS, undefined, 0, 0, STATUS.OK],
  [CMD.VERSION, undefined, 0, 0, STATUS.OK],
  [CMD.OTHER, undefined, 0, 0, STATUS.ERROR],
  [CMD.OTHER, undefined, 0, 0, STATUS.UNKNOWN],
];

test('each operation of a text stream, in one chunk', () => {
  const { tracker, done, lost } = track();
  tracker.fromClient(Buffer.from(REQUESTS, 'latin1'));
  tracker.fromServer(Buffer.from(RESPONSES, 'latin1'));
  assert.deepEqual(lost, []);
  assert.deepEqual(summary(done), EXPECTED);
  assert.equal(tracker.queue.size, 0);
});

test('the same operations whatever the chunking: every single cut, then one byte at a time', () => {
  const requests = Buffer.from(REQUESTS, 'latin1');
  const responses = Buffer.from(RESPONSES, 'latin1');
  for (let i = 1; i < Math.max(requests.length, responses.length); i++) {
    const { tracker, done, lost } = track();
    for (const c of cut(requests, [i])) tracker.fromClient(c);
    for (const c of cut(responses, [i])) tracker.fromServer(c);
    assert.deepEqual([lost, summary(done)], [[], EXPECTED], `cut at ${i}`);
  }
  const { tracker, done } = track();
  for (let i = 0; i < requests.length; i++) tracker.fromClient(requests.subarray(i, i + 1));
  for (let i = 0; i < responses.length; i++) tracker.fromServer(responses.subarray(i, i + 1));
  assert.deepEqual(summary(done), EXPECTED);
});

test('a get of many keys: the first key reports, hit or miss; a key missed is NOT_FOUND', () => {
  const { tracker, done } = track();
  const keys = Array.from({ length: 2000 }, (_, i) => `key:${i}`);
  tracker.fromClient(Buffer.from(`get ${keys.join(' ')}\r\nget key:0 key:1\r\n`));
  tracker.fromServer(Buffer.from('VALUE key:5 0 2\r\nxx\r\nEND\r\nVALUE key:1 0 4\r\nabcd\r\nEND\r\n'));
  assert.deepEqual(summary(done), [
    [CMD.GET, 'key:0', 2000, 0, STATUS.NOT_FOUND],
    [CMD.GET, 'key:0', 2, 0, STATUS.NOT_FOUND],
  ]);
  assert.ok(done.every((o) => o.uS >= 0 && o.sampled));
});

test('what cannot be followed stops the following, with its reason; nothing throws', () => {
  const cases: [string, string, string][] = [
    [`get ${'k'.repeat(70_000)}`, '', 'LINE_TOO_LONG'],
    ['mg foo v\r\n', '', 'UNSUPPORTED_COMMAND'],
    ['lru_crawler metadump all\r\n', '', 'UNSUPPORTED_COMMAND'],
    ['', 'STORED\r\n', 'UNEXPECTED_RESPONSE'],
    ['version\r\n', 'VALUE a 0 1\r\nx\r\nEND\r\n', 'UNEXPECTED_RESPONSE'],
    ['get a\r\n', 'STORED\r\n', 'UNEXPECTED_RESPONSE'],
    ['get a\r\n', 'VALUE a 0 x\r\n', 'UNEXPECTED_RESPONSE'],
    ['get a\r\nget b\r\nget c\r\n', '', 'QUEUE_FULL'],
  ];
  for (const [requests, responses, code] of cases) {
    const { tracker, lost } = track(2);
    tracker.fromClient(Buffer.from(requests));
    tracker.fromServer(Buffer.from(responses));
    assert.deepEqual(lost, [code], JSON.stringify(requests.slice(0, 40)));
    assert.equal(tracker.synced, false);
    // Later bytes are forwarded by the proxy and ignored here.
    tracker.fromClient(Buffer.from('get a\r\n'));
    tracker.fromServer(Buffer.from('END\r\n'));
    assert.deepEqual(lost, [code]);
  }
});

test('one-line answers and their status', () => {
  const cases: [string, keyof typeof STATUS][] = [
    ['STORED', 'STORED'],
    ['NOT_STORED', 'NOT_STORED'],
    ['EXISTS', 'EXISTS'],
    ['NOT_FOUND', 'NOT_FOUND'],
    ['DELETED', 'DELETED'],
    ['TOUCHED', 'OK'],
    ['OK', 'OK'],
    ['VERSION 1.6.18', 'OK'],
    ['ERROR', 'ERROR'],
    ['CLIENT_ERROR bad data chunk', 'CLIENT_ERROR'],
    ['SERVER_ERROR out of memory storing object', 'SERVER_ERROR'],
    ['42', 'EXISTS'],
    ['HD', 'UNKNOWN'],
  ];
  for (const [line, status] of cases) assert.equal(lineStatus(line), STATUS[status], line);
});
