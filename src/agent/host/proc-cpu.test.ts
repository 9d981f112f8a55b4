import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KnownCounterRecord } from '../../sflow/model.js';
import { assertBracketed, assertNear, get, missing, run, vmstatS } from './outside-tools.test-util.js';
import { hostCpu, readHostCpu } from './proc-cpu.js';

function cpu(r: KnownCounterRecord | undefined) {
  assert.ok(r?.name === 'host_cpu');
  return r.value;
}

/** `uptime`: the seconds it prints (whole minutes) and the three load averages (two decimals). */
function uptime(): { seconds: number; load: number[] } {
  const out = run('uptime');
  const up = /up\s+(?:(\d+)\s+days?,\s*)?(?:(\d+):(\d+)|(\d+)\s+min)/.exec(out);
  const load = /load averages?:\s*([\d.]+),?\s+([\d.]+),?\s+([\d.]+)/.exec(out);
  assert.ok(up && load, `uptime printed ${out}`);
  const days = Number(up[1] ?? 0);
  const minutes = up[4] !== undefined ? Number(up[4]) : Number(up[2]) * 60 + Number(up[3]);
  return { seconds: days * 86_400 + minutes * 60, load: load.slice(1).map(Number) };
}

const TIMES = [
  ['cpuUser', 'non-nice user cpu ticks'],
  ['cpuNice', 'nice user cpu ticks'],
  ['cpuSystem', 'system cpu ticks'],
  ['cpuIdle', 'idle cpu ticks'],
  ['cpuWio', 'IO-wait cpu ticks'],
  ['cpuIntr', 'IRQ cpu ticks'],
  ['cpuSintr', 'softirq cpu ticks'],
  ['cpuSteal', 'stolen cpu ticks'],
  ['cpuGuest', 'non-nice guest cpu ticks'],
  ['cpuGuestNice', 'nice guest cpu ticks'],
] as const;

test('host_cpu lies between two runs of vmstat -s and uptime', {
  skip: missing('vmstat', 'uptime', 'getconf'),
}, async () => {
  // The tick length comes from getconf, not from our USER_HZ, so a wrong assumption there shows.
  const hz = BigInt(run('getconf', ['CLK_TCK']).trim());
  const ms = (ticks: bigint) => (ticks * 1000n) / hz;
  const [v0, u0] = [vmstatS(), uptime()];
  const c = cpu(await readHostCpu('/'));
  const [v1, u1] = [vmstatS(), uptime()];
  for (const [field, label] of TIMES) {
    assertBracketed(field, ms(get(v0, label)), c[field] ?? -1, ms(get(v1, label)));
  }
  assertBracketed('interrupts', get(v0, 'interrupts'), c.interrupts, get(v1, 'interrupts'));
  assertBracketed('contexts', get(v0, 'CPU context switches'), c.contexts, get(v1, 'CPU context switches'));
  // uptime prints whole minutes, rounded down.
  assert.ok(c.uptime >= u0.seconds && c.uptime < u1.seconds + 60, `uptime ${c.uptime} s vs ${u0.seconds} s`);
  // /proc/loadavg and uptime both print two decimals; ours went through a float32.
  const loads = [c.loadOne, c.loadFive, c.loadFifteen];
  for (let i = 0; i < 3; i++) assertNear(`load[${i}]`, u0.load[i], loads[i], u1.load[i], 0.006);
});

test('cpu_num is the online CPU count; cpu_speed is in MHz', {
  skip: missing('getconf', 'nproc', 'lscpu'),
}, async (t) => {
  const c = cpu(await readHostCpu('/'));
  assert.equal(c.cpuNum, Number(run('getconf', ['_NPROCESSORS_ONLN'])));
  // nproc counts the CPUs this process may run on, at most the online ones.
  assert.ok(Number(run('nproc')) <= c.cpuNum);
  const lscpu = run('lscpu');
  const max = /^CPU max MHz:\s*([\d.]+)/m.exec(lscpu);
  const now = /^CPU MHz:\s*([\d.]+)/m.exec(lscpu);
  if (max) assert.ok(c.cpuSpeed > 0 && c.cpuSpeed <= Number(max[1]) * 1.05, `${c.cpuSpeed} vs max ${max[1]}`);
  // Frequency scaling moves cpuinfo's MHz between two reads; a quarter bounds what it can move.
  else if (now) assertNear('cpuSpeed', Number(now[1]), c.cpuSpeed, Number(now[1]), Number(now[1]) / 4);
  else t.diagnostic(`lscpu shows no MHz here; cpu_speed ${c.cpuSpeed}`);
});

test('process counts agree with ps', { skip: missing('ps') }, async () => {
  const threads = () => run('ps', ['-eLo', 'lwp=']).trim().split('\n').length;
  const before = threads();
  const c = cpu(await readHostCpu('/'));
  const after = threads();
  // Threads come and go between the runs (ps itself, the shell, other work on the machine): allow the change
  // seen between the two runs plus 10%.
  assertNear('procTotal', before, c.procTotal, after, Math.abs(after - before) + before / 10);
  assert.ok(c.procRun <= c.procTotal);
});

test('CPU time is counted in ms: it grows by the busy time this process spends and by wall time × CPUs', async () => {
  const a = cpu(await readHostCpu('/'));
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  while (performance.now() - t0 < 400) {
    // spin
  }
  const used = process.cpuUsage(u0);
  const b = cpu(await readHostCpu('/'));
  const wall = performance.now() - t0;
  const delta = (k: (typeof TIMES)[number][0]) => ((b[k] ?? 0) - (a[k] ?? 0)) >>> 0;
  const busy =
    delta('cpuUser') + delta('cpuNice') + delta('cpuSystem') + delta('cpuIntr') + delta('cpuSintr');
  // /proc/stat is sampled at the scheduler tick (at most 10 ms at HZ=100): two ticks per CPU of slack.
  const slack = 20 * a.cpuNum;
  assert.ok(
    busy + slack >= (used.user + used.system) / 1000,
    `busy ${busy} ms, this process ${used.user / 1000} ms`,
  );
  // Every CPU is always in one of the states (guest time is inside user already).
  const all = busy + delta('cpuIdle') + delta('cpuWio') + delta('cpuSteal');
  assertNear('all states', wall * a.cpuNum, all, wall * a.cpuNum, 0.1 * wall * a.cpuNum + slack);
});

test('host_cpu wraps ms and counts at 32 bits and marks unknown loads -1', () => {
  const c = cpu(
    hostCpu({
      // 429496730 ticks = 4294967300 ms ≡ 4 (mod 2^32)
      stat: 'cpu  429496730 1 2 3 4 5 6\ncpu0 1 1 1 1\ncpu1 1 1 1 1\nintr 4294967297 0 0\nctxt 8589934594\n',
      uptime: '4294967301.77 12.00\n',
      cpuinfo: 'processor\t: 0\ncpu MHz\t\t: 2599.998\n',
    }),
  );
  assert.deepEqual(
    [c.cpuUser, c.cpuNice, c.cpuSystem, c.cpuIdle, c.cpuWio, c.cpuIntr, c.cpuSintr, c.cpuSteal, c.cpuGuest],
    [4, 10, 20, 30, 40, 50, 60, 0, 0],
  );
  assert.deepEqual([c.interrupts, c.contexts, c.uptime, c.cpuNum, c.cpuSpeed], [1, 2, 5, 2, 2599]);
  assert.deepEqual([c.loadOne, c.loadFive, c.loadFifteen, c.procRun, c.procTotal], [-1, -1, -1, 0, 0]);
  assert.equal(hostCpu({ cpuinfo: 'cpu MHz : 1.0' }), undefined);
});
