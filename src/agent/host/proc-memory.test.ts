import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KnownCounterRecord } from '../../sflow/model.js';
import {
  assertBracketed,
  assertNear,
  get,
  missing,
  retried,
  run,
  vmstatS,
} from './outside-tools.test-util.js';
import { hostMemory, readHostMemory } from './proc-memory.js';

function memory(r: KnownCounterRecord | undefined) {
  assert.ok(r?.name === 'host_memory');
  return r.value;
}

/** `free -bw`: the Mem and Swap rows by column (total, used, free, shared, buffers, cache, available). */
function free(): Record<string, number> {
  const [head, mem, swap] = run('free', ['-bw']).trim().split('\n');
  const cols = head.trim().split(/\s+/);
  const row = (line: string) => line.trim().split(/\s+/).slice(1).map(Number);
  const m = row(mem);
  const s = row(swap);
  const out: Record<string, number> = { swapTotal: s[0], swapFree: s[2] };
  cols.forEach((c, i) => {
    out[c] = m[i];
  });
  return out;
}

test('host_memory agrees with free -bw and vmstat -s', { skip: missing('free', 'vmstat') }, () =>
  retried(3, async () => {
    const [f0, v0] = [free(), vmstatS()];
    const m = memory(await readHostMemory('/'));
    const [f1, v1] = [free(), vmstatS()];
    assert.equal(m.memTotal, BigInt(f0.total));
    assert.equal(m.swapTotal, BigInt(f0.swapTotal));
    // Gauges move both ways while other processes allocate: allow what moved between the two free runs plus
    // 32 MiB, more than a compiler's heap grows in the ~10 ms the bracket lasts.
    const near = (what: string, a: number, v: bigint, b: number) =>
      assertNear(what, a, Number(v), b, Math.abs(b - a) + 32 * 2 ** 20);
    near('memFree', f0.free, m.memFree, f1.free);
    near('memShared', f0.shared, m.memShared, f1.shared);
    near('memBuffers', f0.buffers, m.memBuffers, f1.buffers);
    near('memCached', f0.cache, m.memCached, f1.cache);
    near('swapFree', f0.swapFree, m.swapFree, f1.swapFree);
    // vmstat prints pgpgin/pgpgout as it finds them (KiB), and the swap counts in pages.
    assertBracketed('pageIn', get(v0, 'K paged in'), m.pageIn, get(v1, 'K paged in'));
    assertBracketed('pageOut', get(v0, 'K paged out'), m.pageOut, get(v1, 'K paged out'));
    assertBracketed('swapIn', get(v0, 'pages swapped in'), m.swapIn, get(v1, 'pages swapped in'));
    assertBracketed('swapOut', get(v0, 'pages swapped out'), m.swapOut, get(v1, 'pages swapped out'));
  }),
);

test('host_memory takes kB to bytes at 64 bits and wraps the paging counts at 32', () => {
  const m = memory(
    hostMemory('MemTotal:       24683652 kB\nSReclaimable:  1 kB\nCached: 2 kB\n', 'pgpgin 4294967298\n'),
  );
  assert.equal(m.memTotal, 24683652n * 1024n);
  assert.equal(m.memCached, 3072n);
  assert.equal(m.pageIn, 2);
  assert.equal(m.swapTotal, 0n);
  assert.equal(hostMemory(undefined, undefined), undefined);
});
