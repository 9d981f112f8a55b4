/**
 * The outside truth for the host counter tests: the system's own tools (procps, iproute2, coreutils,
 * util-linux), run before and after our read. A counter that only grows must lie between the two runs'
 * values, modulo 2^bits so that a wrap between them still passes: the tolerance is exactly the traffic or
 * time between the bracketing runs, nothing more.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';

/** stdout of a command; throws with its stderr if it fails. */
export function run(cmd: string, args: readonly string[] = []): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/** The tools a test needs that are missing here, as a skip reason; undefined if all are present. */
export function missing(...tools: string[]): string | undefined {
  const gone = tools.filter((t) => !has(t));
  return gone.length === 0 ? undefined : `needs ${gone.join(', ')}`;
}

/** `lo <= v <= hi` for a counter sent in `bits` bits, taken between two readings `lo` and `hi`. */
export function assertBracketed(
  what: string,
  lo: bigint | number,
  v: bigint | number,
  hi: bigint | number,
  bits = 32,
): void {
  const since = BigInt.asUintN(bits, BigInt(v) - BigInt(lo));
  const span = BigInt.asUintN(bits, BigInt(hi) - BigInt(lo));
  assert.ok(since <= span, `${what}: ${v} is not between ${lo} and ${hi} (mod 2^${bits})`);
}

/** `min(a, b) - slack <= v <= max(a, b) + slack`, for gauges, which move both ways. */
export function assertNear(what: string, a: number, v: number, b: number, slack: number): void {
  const lo = Math.min(a, b) - slack;
  const hi = Math.max(a, b) + slack;
  assert.ok(v >= lo && v <= hi, `${what}: ${v} is not within [${lo}, ${hi}]`);
}

/**
 * Runs a comparison of gauges up to `times` times: the machine is shared, and a burst of allocation by
 * another process can fail one bracket; a wrong mapping fails every one.
 */
export async function retried(times: number, compare: () => Promise<void>): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await compare();
    } catch (e) {
      if (i >= times) throw e;
    }
  }
}

/** `vmstat -s`: label → value (`non-nice user cpu ticks` → 1254177n). */
export function vmstatS(): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of run('vmstat', ['-s']).split('\n')) {
    const m = /^\s*(\d+)\s+(.*\S)\s*$/.exec(line);
    if (m) out.set(m[2], BigInt(m[1]));
  }
  return out;
}

export function get<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const v = map.get(key);
  assert.ok(v !== undefined, `no ${String(key)}`);
  return v;
}
