/**
 * The byte writer against plain strings: whatever mix of writes, across chunk boundaries, the bytes taken are
 * the text, chunks once taken never change, and a mark splits the output where it was set.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteWriter } from './byte-writer.js';
import { DashedHex, dashedHex } from './format.js';

type Op =
  | { kind: 'text' | 'name'; s: string }
  | { kind: 'value'; v: number | string | Uint8Array }
  | { kind: 'byte'; c: number }
  | { kind: 'take'; all: boolean }
  | { kind: 'mark' };

const latin1 = fc.string({
  unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
});
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('text' as const, 'name' as const), s: latin1 }),
  fc.record({
    kind: fc.constant('value' as const),
    v: fc.oneof(fc.nat(), fc.integer({ min: 0, max: 0xffffffff }), latin1, fc.uint8Array({ maxLength: 200 })),
  }),
  fc.record({ kind: fc.constant('byte' as const), c: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('take' as const), all: fc.boolean() }),
  fc.constant({ kind: 'mark' as const }),
);

/** Does `o` to `w`; returns the text it adds. */
function apply(w: ByteWriter, o: Op, take: (chunks: Uint8Array[]) => void): string {
  switch (o.kind) {
    case 'text':
      w.text(o.s);
      return o.s;
    case 'name':
      w.name(o.s);
      return `${o.s} `;
    case 'byte':
      w.byte(o.c);
      return String.fromCharCode(o.c);
    case 'take':
      take(w.take(o.all));
      return '';
    case 'mark':
      w.mark();
      return '';
    case 'value':
      if (o.v instanceof Uint8Array) {
        w.value(new DashedHex(o.v));
        return dashedHex(o.v);
      }
      w.value(o.v);
      return String(o.v);
  }
}

const text = (chunks: Uint8Array[]) => chunks.map((c) => Buffer.from(c).toString('latin1')).join('');

test('what is taken is what was written, in order, and stays as it was taken', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 1, max: 4000 }), (ops, repeat) => {
      const w = new ByteWriter();
      let expected = '';
      const taken: { chunk: Uint8Array; copy: string }[] = [];
      const take = (chunks: Uint8Array[]) => {
        for (const c of chunks) taken.push({ chunk: c, copy: Buffer.from(c).toString('latin1') });
      };
      // Repeating the ops fills more than one of the writer's 1 MB buffers.
      for (let r = 0; r < Math.min(repeat, 1 + Math.floor(3_000_000 / (ops.length * 100 + 1))); r++) {
        for (const o of ops) expected += apply(w, o, take);
      }
      take(w.take(true));
      assert.equal(taken.map((t) => t.copy).join(''), expected);
      for (const t of taken)
        assert.equal(Buffer.from(t.chunk).toString('latin1'), t.copy, 'a taken chunk changed');
    }),
    { numRuns: 60 },
  );
});

test('takeToMark gives what was written before the mark; take gives the rest', () => {
  const w = new ByteWriter();
  w.text('before ');
  w.take(false);
  w.text('still before');
  w.mark();
  w.text(' after');
  assert.equal(text(w.takeToMark()), 'before still before');
  assert.equal(text(w.take(true)), ' after');
});
