import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mutate, prng, runCase, seeds } from './mutate.js';

const CASES = Number(process.env.SFLOWKIT_FUZZ_CASES ?? 50_000);
/** Generous: a datagram is at most 64 KiB and decodes in microseconds; this only catches blow-ups. */
const MAX_MS = 250;

test(`decoder fuzz: ${CASES} mutated datagrams`, (t) => {
  const pool = seeds(300);
  const rand = prng(20261122);
  let decoded = 0;
  let slowest = 0;
  const failures: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const bytes = mutate(pool[i % pool.length], pool[Math.floor(rand() * pool.length)], rand);
    const out = runCase(bytes);
    if (out.decoded) decoded++;
    slowest = Math.max(slowest, out.ms);
    if (out.failure)
      failures.push(`case ${i}: ${out.failure} (${Buffer.from(bytes).toString('hex').slice(0, 160)}…)`);
  }
  t.diagnostic(
    `${CASES} cases from ${pool.length} seeds: ${decoded} decoded, slowest ${slowest.toFixed(2)} ms`,
  );
  assert.deepEqual(failures.slice(0, 5), []);
  assert.ok(slowest < MAX_MS, `slowest decode took ${slowest} ms`);
});
