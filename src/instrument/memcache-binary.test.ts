/**
 * The binary protocol followed beside a stream: quiet commands passed in silence once a later request is
 * answered, stat's many responses, statuses as the text protocol would give them, keys of sampled requests
 * across chunks; streams that cannot be followed are given up on. Requests and responses come from a builder.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cut, summary, track } from './memcache.test-util.js';
import { binaryStatus } from './memcache-binary.js';
import { CMD, operation, PROTOCOL, STATUS } from './memcache-operation.js';

interface Frame {
  magic?: number;
  opcode: number;
  key?: string;
  extras?: number;
  value?: string;
  status?: number;
  opaque?: number;
  cas?: bigint;
}

/** A request (0x80) or response (0x81): the 24-byte header, extras (zeros), key, value. */
function frame(f: Frame, magic: number): Buffer {
  const key = Buffer.from(f.key ?? '');
  const value = Buffer.from(f.value ?? '');
  const extras = f.extras ?? 0;
  const h = Buffer.alloc(24);
  h[0] = f.magic ?? magic;
  h[1] = f.opcode;
  h.writeUInt16BE(key.length, 2);
  h[4] = extras;
  h.writeUInt16BE(f.status ?? 0, 6);
  h.writeUInt32BE(extras + key.length + value.length, 8);
  h.writeUInt32BE(f.opaque ?? 0, 12);
  h.writeBigUInt64BE(f.cas ?? 0n, 16);
  return Buffer.concat([h, Buffer.alloc(extras), key, value]);
}
const requests = (...f: Frame[]) => Buffer.concat(f.map((x) => frame(x, 0x80)));
const responses = (...f: Frame[]) => Buffer.concat(f.map((x) => frame(x, 0x81)));

const REQUESTS = requests(
  { opcode: 0x01, key: 'hot', extras: 8, value: 'abcdefghij', opaque: 1 }, // set
  { opcode: 0x09, key: 'miss:1', opaque: 2 }, // getq, a miss: no answer
  { opcode: 0x0d, key: 'hot', opaque: 3 }, // getkq, a hit
  { opcode: 0x09, key: 'miss:2', opaque: 4 }, // getq, a miss
  { opcode: 0x11, key: 'q', extras: 8, value: 'v', opaque: 5 }, // setq, stored: no answer
  { opcode: 0x0a, opaque: 6 }, // noop
  { opcode: 0x02, key: 'hot', extras: 8, value: 'x', opaque: 7 }, // add of a key there
  { opcode: 0x03, key: 'nope', extras: 8, value: 'x', opaque: 8 }, // replace of a key not there
  { opcode: 0x01, key: 'hot', extras: 8, value: 'y', opaque: 9, cas: 12345n }, // set with a stale cas
  { opcode: 0x05, key: 'n', extras: 20, opaque: 10 }, // incr
  { opcode: 0x10, opaque: 11 }, // stat
  { opcode: 0x12, key: 'hot', extras: 8, value: 'z', opaque: 12 }, // addq that fails: answered
  { opcode: 0x0b, opaque: 13 }, // version
  { opcode: 0x14, key: 'gone', opaque: 14 }, // deleteq, then the connection closes
);

const RESPONSES = responses(
  { opcode: 0x01, opaque: 1, cas: 1n },
  { opcode: 0x0d, key: 'hot', extras: 4, value: 'abcdefghij', opaque: 3 },
  { opcode: 0x0a, opaque: 6 },
  { opcode: 0x02, status: 0x02, value: 'Data exists for key.', opaque: 7 },
  { opcode: 0x03, status: 0x01, value: 'Not found', opaque: 8 },
  { opcode: 0x01, status: 0x02, value: 'Data exists for key.', opaque: 9 },
  { opcode: 0x05, value: '\0\0\0\0\0\0\0\x06', opaque: 10 },
  { opcode: 0x10, key: 'pid', value: '1', opaque: 11 },
  { opcode: 0x10, key: 'uptime', value: '2', opaque: 11 },
  { opcode: 0x10, opaque: 11 },
  { opcode: 0x12, status: 0x02, value: 'Data exists for key.', opaque: 12 },
  { opcode: 0x0b, value: '1.6.18', opaque: 13 },
);

const EXPECTED = [
  [CMD.SET, 'hot', 1, 10, STATUS.STORED],
  [CMD.GET, 'miss:1', 1, 0, STATUS.NOT_FOUND],
  [CMD.GET, 'hot', 1, 10, STATUS.EXISTS],
  [CMD.GET, 'miss:2', 1, 0, STATUS.NOT_FOUND],
  [CMD.SET, 'q', 1, 1, STATUS.STORED],
  [CMD.OTHER, undefined, 0, 0, STATUS.OK],
  [CMD.ADD, 'hot', 1, 1, STATUS.NOT_STORED],
  [CMD.REPLACE, 'nope', 1, 1, STATUS.NOT_STORED],
  [CMD.CAS, 'hot', 1, 1, STATUS.EXISTS],
  [CMD.INCR, 'n', 1, 0, STATUS.EXISTS],
  [CMD.STATS, undefined, 0, 0, STATUS.OK],
  [CMD.ADD, 'hot', 1, 1, STATUS.NOT_STORED],
  [CMD.VERSION, undefined, 0, 0, STATUS.OK],
  [CMD.DELETE, 'gone', 1, 0, STATUS.DELETED],
];

test('each operation of a binary stream, whatever the chunking; quiet ones done in silence', () => {
  for (let i = 0; i < Math.max(REQUESTS.length, RESPONSES.length); i += 7) {
    const { tracker, done, lost } = track();
    for (const c of cut(REQUESTS, [i, i + 30])) tracker.fromClient(c);
    for (const c of cut(RESPONSES, [i, i + 30])) tracker.fromServer(c);
    tracker.close();
    assert.deepEqual([lost, summary(done)], [[], EXPECTED], `cut at ${i}`);
  }
  const { tracker, done } = track();
  for (let i = 0; i < REQUESTS.length; i++) tracker.fromClient(REQUESTS.subarray(i, i + 1));
  for (let i = 0; i < RESPONSES.length; i++) tracker.fromServer(RESPONSES.subarray(i, i + 1));
  tracker.close();
  assert.deepEqual(summary(done), EXPECTED);
});

test('a key of up to 64 kB is read whole; a value is passed over, not held', () => {
  const { tracker, done } = track();
  const key = 'k'.repeat(65_535);
  const value = 'v'.repeat(3_000_000);
  const bytes = requests({ opcode: 0x01, key, extras: 8, value });
  for (const c of cut(bytes, [10, 30, 40_000, 1_000_000])) tracker.fromClient(c);
  tracker.fromServer(responses({ opcode: 0x01 }));
  assert.deepEqual(summary(done), [[CMD.SET, key, 1, 3_000_000, STATUS.STORED]]);
});

test('what cannot be followed stops the following, with its reason', () => {
  const cases: [Buffer, Buffer, string][] = [
    [requests({ opcode: 0x00, key: 'a' }, { magic: 0x42, opcode: 0 }), Buffer.alloc(0), 'BAD_MAGIC'],
    [requests({ opcode: 0x00, key: 'a' }), responses({ opcode: 0x00, magic: 0x80 }), 'BAD_MAGIC'],
    [requests({ opcode: 0x00, key: 'a' }), responses({ opcode: 0x01 }), 'UNEXPECTED_RESPONSE'],
    [
      requests({ opcode: 0x00, key: 'a', opaque: 1 }),
      responses({ opcode: 0x00, opaque: 2 }),
      'UNEXPECTED_RESPONSE',
    ],
    [requests({ opcode: 0x00 }, { opcode: 0x00 }, { opcode: 0x00 }), Buffer.alloc(0), 'QUEUE_FULL'],
  ];
  const bad = Buffer.from(requests({ opcode: 0x00, key: 'abc' }));
  bad[4] = 200; // extras longer than the body
  cases.push([bad, Buffer.alloc(0), 'BAD_HEADER']);
  for (const [req, res, code] of cases) {
    const { tracker, lost } = track(2);
    tracker.fromClient(req);
    tracker.fromServer(res);
    assert.deepEqual(lost, [code]);
  }
});

test('a client that never sends a noop: quiet requests at the head are presumed done, not lost', () => {
  const { tracker, done, lost } = track(4);
  for (let i = 0; i < 100; i++)
    tracker.fromClient(requests({ opcode: 0x11, key: `k${i}`, extras: 8, value: 'v' }));
  assert.deepEqual(lost, []);
  assert.equal(done.length, 96);
  assert.equal(tracker.queue.size, 4);
});

test('binary statuses read as the text protocol would answer', () => {
  const op = (cmd: number) => operation(PROTOCOL.BINARY, cmd);
  const cases: [number, number, keyof typeof STATUS][] = [
    [CMD.GET, 0x00, 'EXISTS'],
    [CMD.GET, 0x01, 'NOT_FOUND'],
    [CMD.SET, 0x00, 'STORED'],
    [CMD.ADD, 0x02, 'NOT_STORED'],
    [CMD.REPLACE, 0x01, 'NOT_STORED'],
    [CMD.APPEND, 0x05, 'NOT_STORED'],
    [CMD.CAS, 0x02, 'EXISTS'],
    [CMD.CAS, 0x01, 'NOT_FOUND'],
    [CMD.DELETE, 0x00, 'DELETED'],
    [CMD.INCR, 0x06, 'CLIENT_ERROR'],
    [CMD.TOUCH, 0x00, 'OK'],
    [CMD.OTHER, 0x81, 'ERROR'],
    [CMD.SET, 0x82, 'SERVER_ERROR'],
    [CMD.SET, 0x99, 'UNKNOWN'],
  ];
  for (const [cmd, status, expected] of cases)
    assert.equal(binaryStatus(op(cmd), status), STATUS[expected], `${cmd} 0x${status.toString(16)}`);
});
