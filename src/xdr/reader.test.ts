import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XdrReader } from './reader.js';
import { XdrWriter } from './writer.js';
import { XdrError } from './xdr-error.js';

function bytesOf(fill: (w: XdrWriter) => void): Uint8Array {
  const w = new XdrWriter();
  fill(w);
  return w.toBytes();
}

test('reading past the end is a TRUNCATED error at the offset', () => {
  const r = new XdrReader(bytesOf((w) => w.u32(1)).subarray(0, 3));
  assert.throws(
    () => r.u32(),
    (e) => e instanceof XdrError && e.code === 'TRUNCATED' && e.offset === 0,
  );
});

test('a count larger than the bytes left could hold is refused before any allocation', () => {
  const r = new XdrReader(
    bytesOf((w) => {
      w.u32(0xffffffff);
      w.u32(1);
    }),
  );
  assert.throws(
    () => r.count(4),
    (e) => e instanceof XdrError && e.code === 'COUNT_TOO_LARGE',
  );
});

test('a length past the enclosing element is LENGTH_OVERRUN', () => {
  const r = new XdrReader(
    bytesOf((w) => {
      w.u32(100);
      w.u32(0);
    }),
  );
  assert.throws(
    () => r.opaque(),
    (e) => e instanceof XdrError && e.code === 'LENGTH_OVERRUN',
  );
});

test('enter/leave bound an element and insist it is used exactly', () => {
  const r = new XdrReader(
    bytesOf((w) => {
      w.u32(1);
      w.u32(2);
      w.u32(3);
    }),
  );
  const outer = r.enter(8);
  assert.equal(r.u32(), 1);
  assert.throws(
    () => r.leave(outer),
    (e) => e instanceof XdrError && e.code === 'TRAILING_BYTES',
  );
  assert.equal(r.u32(), 2);
  assert.throws(
    () => r.u32(),
    (e) => e instanceof XdrError && e.code === 'TRUNCATED',
  );
  r.leave(outer);
  assert.equal(r.u32(), 3);
});

test('non-zero padding and signaling NaNs are read, and flagged as not reproducible', () => {
  const b = Buffer.from(bytesOf((w) => w.opaque(Uint8Array.of(1, 2))));
  b[7] = 9;
  const r = new XdrReader(b);
  assert.deepEqual([...r.opaque()], [1, 2]);
  assert.equal(r.inexact, true);
  const nan = new XdrReader(Uint8Array.of(0x7f, 0x80, 0, 1));
  assert.ok(Number.isNaN(nan.f32()));
  assert.equal(nan.inexact, true);
});

test('strings that are not UTF-8 stay bytes; valid ones, U+FFFD included, are text', () => {
  const bad = new XdrReader(bytesOf((w) => w.opaque(Uint8Array.of(0x75, 0xa3, 0x68))));
  assert.deepEqual([...(bad.string() as Uint8Array)], [0x75, 0xa3, 0x68]);
  const good = new XdrReader(bytesOf((w) => w.string('a\uFFFDb')));
  assert.equal(good.string(), 'a\uFFFDb');
});
