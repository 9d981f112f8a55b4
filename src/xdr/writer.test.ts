import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { XdrReader } from './reader.js';
import { XdrWriter } from './writer.js';

test('values written past the initial size survive the buffer growing', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          fc.uint8Array({ maxLength: 9 }),
        ),
      ),
      (items) => {
        const w = new XdrWriter(4);
        for (const [a, b, c] of items) {
          w.u32(a);
          w.u64(b);
          w.opaque(c);
          w.raw(c);
        }
        const r = new XdrReader(w.toBytes());
        for (const [a, b, c] of items) {
          assert.equal(r.u32(), a);
          assert.equal(r.u64(), b);
          assert.deepEqual([...r.opaque()], [...c]);
          r.pos += c.length;
        }
        assert.equal(r.remaining, 0);
      },
    ),
  );
});

test('begin/finish fill in the length of what was written between them', () => {
  const w = new XdrWriter(2);
  w.u32(7);
  const mark = w.begin();
  w.string('héllo');
  w.finish(mark);
  const r = new XdrReader(w.toBytes());
  assert.equal(r.u32(), 7);
  assert.equal(r.u32(), 12);
  assert.equal(r.string(), 'héllo');
});

test('strings are their UTF-8 bytes, zero-padded, whether ASCII, not, or long', () => {
  const w = new XdrWriter(8);
  // Junk where the padding goes: the writer must zero it, not leave what was there.
  w.raw(new Uint8Array(64).fill(0xff));
  w.reset();
  const texts = [
    '',
    'a',
    'abcd',
    'abcde',
    'GET /ünïcode',
    `${'x'.repeat(1023)}é`,
    'y'.repeat(3000),
    '\u{1f600}',
    '\ud800',
  ];
  for (const t of texts) w.string(t);
  const bytes = w.toBytes();
  let at = 0;
  for (const t of texts) {
    const utf8 = Buffer.from(t, 'utf8');
    const padded = Buffer.alloc(4 + ((utf8.length + 3) & ~3));
    padded.writeUInt32BE(utf8.length, 0);
    utf8.copy(padded, 4);
    assert.deepEqual(
      Buffer.from(bytes.subarray(at, at + padded.length)),
      padded,
      JSON.stringify(t.slice(0, 20)),
    );
    at += padded.length;
  }
  assert.equal(at, bytes.length);
});
