/**
 * `npm run bench:control -- [ELEPHANTS] [DURATION]`: the control loop's delays (issue 6; the seed "Delay and
 * stability"), per stage, for elephant flows marked by `--app builtin:elephant-marking`. Each run (seeds 1,
 * 2, … until at least ELEPHANTS elephants, default 20, are in the app's scope) gets a network namespace of
 * its own, in which bench/control-driver.ts sets up the whole loop — the switches' agent addresses on lo,
 * `sflowkit acl-server` with the iptables back-end answering on them, `sflowkit serve` in-process with the
 * app — and sends the generator's `elephants` scenario (DURATION simulated seconds, default 40; 4, 2.5 and 6
 * Gbit/s at 20%, 30% and 50% of it) in real time, with the default fabric's sampling and counters polled
 * every 2–5 s (as bench/latency.ts, so each port's ifspeed is known before the first elephant). The app's
 * timings (GET /app/elephant-marking/timings) give, per action, the threshold event's timestamp (the arrival
 * of the datagram that crossed it), when the app sent its PUT and when the ACL server answered (its batch
 * committed by iptables-restore). An elephant's true start is when its first simulated second began to be
 * sent (began + start·1000 ms); its stages are measurement (true start → event), planning (event → PUT),
 * configuration (PUT → applied) and the total (true start → applied). An elephant with no ACL applied within
 * GRACE_S of its start is missed, and counts as slower than any in measurement and total. IPv4 and IPv6
 * elephants alike (the app's keys take either). Prints each elephant and the median and p95 of each stage beside its target; figures, not a pass
 * or fail. Needs root, ip and iptables.
 */
import { cpus, loadavg } from 'node:os';
import type { TruthFlow } from '../src/generator/truth.js';
import { Netns, netnsSkipReason } from '../test/control/netns.js';
import { type ControlDriverInput, type ControlReport, flowKeyOf } from './control-driver.js';

const ELEPHANTS = Number(process.argv[2] ?? 20);
const DURATION = Number(process.argv[3] ?? 40);
/** An elephant without an applied ACL this long after its start is missed. */
const GRACE_S = 10;
const MAX_SEEDS = 40;
const BACKGROUND_FLOWS = 400;
/** The app's default: an elephant is over 10% of its access port's speed. */
const SHARE = 0.1;
/** Ethernet header and FCS per frame: what the flow's bytes (frames) add to the truth's IP bytes. */
const ETHERNET_OVERHEAD = 18;
const DRIVER = new URL('./control-driver.js', import.meta.url).pathname;

interface Elephant {
  seed: number;
  flow: TruthFlow;
  portSpeed: number;
  overThreshold: number;
  /** Milliseconds; undefined where the stage did not happen (in time). */
  measurement?: number;
  planning?: number;
  configuration?: number;
  total?: number;
  /** The ACL server's commit that applied it: how long files + iptables-restore took. */
  commit?: number;
}

/** An action on a flow that is not one of the scenario's elephants. */
interface Other {
  seed: number;
  flowKey: string;
  overThreshold?: number;
}

function drive(ns: Netns, input: ControlDriverInput): Promise<ControlReport> {
  return ns.run<ControlReport>(DRIVER, input);
}

async function runSeed(seed: number): Promise<{ elephants: Elephant[]; others: Other[]; sent: number }> {
  const ns = Netns.create('ctl');
  let r: ControlReport;
  try {
    r = await drive(ns, { seed, duration: DURATION, flows: BACKGROUND_FLOWS, grace: GRACE_S });
  } finally {
    ns.destroy();
  }
  const speedOf = new Map(r.interfaces.map((i) => [`${i.agent}/${i.ifIndex}`, i.speed]));
  /** The flow's access port's speed, and its frame rate over the app's threshold there. */
  const place = (flow: TruthFlow) => {
    const at = flow.path[0];
    const portSpeed = speedOf.get(`${at.agent}/${at.inIfIndex}`) ?? 0;
    const frameBits = flow.bitsPerSecond + flow.packetsPerSecond * ETHERNET_OVERHEAD * 8;
    return { portSpeed, overThreshold: frameBits / (SHARE * portSpeed) };
  };
  const timing = new Map(r.timings.map((t) => [t.flowKey, t]));
  const elephants = r.elephants.map((flow): Elephant => {
    const e: Elephant = { seed, flow, ...place(flow) };
    const t = timing.get(flowKeyOf(flow));
    const start = r.began + flow.start * 1000;
    if (t === undefined || t.applied === undefined || t.applied > start + GRACE_S * 1000) return e;
    const applied = t.applied;
    e.measurement = t.event - start;
    e.planning = t.request - t.event;
    e.configuration = applied - t.request;
    e.total = applied - start;
    // The commit that ended last before the answer (its log line is written just before the answer).
    e.commit = r.commits.filter((c) => c.at >= t.request && c.at <= applied).at(-1)?.ms;
    return e;
  });
  const mine = new Set(r.elephants.map(flowKeyOf));
  const byKey = new Map(r.flows.map((f) => [flowKeyOf(f), f]));
  const others = r.timings
    .filter((t) => !mine.has(t.flowKey))
    .map((t) => {
      const flow = byKey.get(t.flowKey);
      return { seed, flowKey: t.flowKey, overThreshold: flow && place(flow).overThreshold };
    });
  return { elephants, others, sent: r.sent };
}

/** The p-th percentile by nearest rank; undefined values (missed) count as slower than any. */
function percentile(values: (number | undefined)[], p: number): number | undefined {
  const sorted = values.map((v) => v ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const v = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  return Number.isFinite(v) ? v : undefined;
}

const ms = (v: number | undefined) =>
  v === undefined ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<number> {
  const skip = netnsSkipReason();
  if (skip) {
    process.stderr.write(`bench:control: ${skip}\n`);
    return 1;
  }
  if (
    !(Number.isInteger(ELEPHANTS) && ELEPHANTS >= 1 && ELEPHANTS <= 100) ||
    !(DURATION >= 20 && DURATION <= 600)
  ) {
    process.stderr.write(
      'usage: node dist/bench/control.js [ELEPHANTS 1-100 (20)] [DURATION 20-600 s (40)]\n',
    );
    return 2;
  }
  const started = performance.now();
  console.log(
    `control loop: elephants scenario, ${DURATION} s simulated and sent in real time, seeds 1.. until ` +
      `${ELEPHANTS} elephants (IPv4 and IPv6); builtin:elephant-marking (10% of access port speed, ` +
      `t=1) → acl-server (iptables, --batch-ms 20) in a network namespace; node ${process.version}, ` +
      `${cpus().length} CPUs, load average ${load()}`,
  );
  const all: Elephant[] = [];
  const others: Other[] = [];
  let seed = 0;
  while (all.length < ELEPHANTS && seed < MAX_SEEDS) {
    seed++;
    const r = await runSeed(seed);
    all.push(...r.elephants);
    others.push(...r.others);
  }
  const rows = [
    [
      'seed',
      'flow',
      'Gbit/s',
      'port',
      'x threshold',
      'start',
      'measurement',
      'planning',
      'configuration',
      '(commit)',
      'total',
    ],
  ];
  for (const e of all)
    rows.push([
      String(e.seed),
      `${e.flow.app} ${e.flow.srcIp} -> ${e.flow.dstIp}:${e.flow.dstPort}`,
      (e.flow.bitsPerSecond / 1e9).toFixed(1),
      `${e.portSpeed / 1e9}G`,
      e.overThreshold.toFixed(2),
      `${e.flow.start} s`,
      ...(e.total === undefined
        ? ['missed', '', '', '', '']
        : [ms(e.measurement), ms(e.planning), ms(e.configuration), ms(e.commit), ms(e.total)]),
    ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    console.log(r.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  if (others.length > 0)
    console.log(
      `\nACLs for other flows (background): ${others.length}; their true frame rates over the threshold: ` +
        others
          .map((o) => (o.overThreshold === undefined ? 'not in the truth' : `${o.overThreshold.toFixed(2)}x`))
          .join(', '),
    );
  const missed = all.filter((e) => e.total === undefined).length;
  const done = all.filter((e) => e.total !== undefined);
  const stages: [string, (number | undefined)[], string, number][] = [
    ['measurement (start → event)', all.map((e) => e.measurement), '≤ 1 s', 1000],
    ['planning (event → PUT)', done.map((e) => e.planning), '≤ 10 ms', 10],
    ['configuration (PUT → applied)', done.map((e) => e.configuration), '≤ 100 ms', 100],
    ['  of which the commit', done.map((e) => e.commit), '', Number.NaN],
    ['total (start → applied)', all.map((e) => e.total), '≤ 1.5 s', 1500],
  ];
  console.log(
    `\n${all.length} elephants in ${seed} runs (seeds 1-${seed}), ${missed} missed ` +
      `(no ACL within ${GRACE_S} s); ` +
      `load average ${load()}; ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s in all`,
  );
  const table = [['stage', 'n', 'median', 'p95', 'max', 'target (median)']];
  for (const [name, values, target, limit] of stages) {
    const median = percentile(values, 50);
    table.push([
      name,
      String(values.length),
      ms(median),
      ms(percentile(values, 95)),
      ms(percentile(values, 100)),
      target === '' ? '' : `${target}: ${median !== undefined && median <= limit ? 'met' : 'not met'}`,
    ]);
  }
  const w = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table)
    console.log(r.map((c, i) => (i === 0 || i === 5 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '));
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench:control: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
