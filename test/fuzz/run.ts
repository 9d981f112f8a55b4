/**
 * `npm run fuzz -- [cases] [seed]`: fuzzes the datagram decoder for any number of cases (default 1,000,000) and
 * prints cases/s and failures. Exits non-zero on failure.
 */
import { mutate, prng, runCase, seeds } from './mutate.js';

const cases = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const pool = seeds(1000, seed);
const rand = prng(seed);
let decoded = 0;
let failures = 0;
let slowest = 0;
const t0 = performance.now();
for (let i = 0; i < cases; i++) {
  const bytes = mutate(pool[i % pool.length], pool[Math.floor(rand() * pool.length)], rand);
  const out = runCase(bytes);
  if (out.decoded) decoded++;
  slowest = Math.max(slowest, out.ms);
  if (out.failure) {
    failures++;
    if (failures <= 10)
      console.log(`FAIL case ${i}: ${out.failure}\n  ${Buffer.from(bytes).toString('hex')}`);
  }
}
const s = (performance.now() - t0) / 1000;
console.log(
  `fuzz: ${cases} cases (seed ${seed}, ${pool.length} seeds) in ${s.toFixed(1)} s = ${Math.round(cases / s)} cases/s; ` +
    `${decoded} decoded, ${failures} failures, slowest ${slowest.toFixed(2)} ms`,
);
process.exitCode = failures > 0 ? 1 : 0;
