/**
 * One run of `npm run bench:control`, inside the network namespace bench/control.ts made for it (`ip netns
 * exec NS node control-driver.js INPUT`): the loop's rig (test/control/loop-rig.ts: agent addresses on lo,
 * `sflowkit acl-server` with the iptables back-end on them, `sflowkit serve` in-process with
 * builtin:elephant-marking) and the generator's `elephants` scenario sent to it in real time. It stops
 * sending once every IPv4 elephant's ACL is applied (the app's flow keys are IPv4's), or GRACE seconds after
 * the last elephant started. Prints one JSON line (the last on stdout; the analyzer's warnings come before
 * it): `began` (Date.now() as toUdp started, so the datagrams of simulated second s go from began + s·1000
 * ms), the truth's flows, interfaces and elephants, the app's action timings, the threshold events, and the
 * ACL server's commits.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ActionTiming } from '../src/apps/shipped/elephant-marking.js';
import { toUdp } from '../src/cli/udp-sender.js';
import { DataCenter } from '../src/generator/data-center.js';
import { DEFAULT_FABRIC } from '../src/generator/fabric.js';
import type { TruthFlow } from '../src/generator/truth.js';
import { type AclCommit, startLoopRig } from '../test/control/loop-rig.js';

export interface ControlDriverInput {
  seed: number;
  /** Simulated seconds; the elephants start at 20%, 30% and 50% of it. */
  duration: number;
  /** Background flows. */
  flows: number;
  /** Seconds after the last elephant's start to stop waiting for its ACL. */
  grace: number;
}

export interface ThresholdEvent {
  thresholdID: string;
  flowKey?: string;
  agent: string;
  dataSource: string;
  timestamp: number;
}

export interface ControlReport {
  seed: number;
  began: number;
  /** Seconds of traffic sent. */
  sent: number;
  elephants: TruthFlow[];
  flows: TruthFlow[];
  interfaces: { agent: string; ifIndex: number; speed: number }[];
  timings: ActionTiming[];
  events: ThresholdEvent[];
  commits: AclCommit[];
}

/** IPv6 addresses in one spelling, as the analyzer writes them in flow keys. */
const canonical = (ip: string) => (ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip);
export const flowKeyOf = (f: { srcIp: string; dstIp: string; srcPort: number; dstPort: number }) =>
  [canonical(f.srcIp), canonical(f.dstIp), f.srcPort, f.dstPort].join(',');

const APP = 'elephant-marking';

async function main(input: ControlDriverInput): Promise<ControlReport> {
  const dc = new DataCenter({
    // Counters every 2–5 s, so that each port's ifspeed (the thresholds' filter) is known before an elephant.
    fabric: { ...DEFAULT_FABRIC, polling: [2, 5] },
    scenario: 'elephants',
    seed: input.seed,
    duration: input.duration,
    flows: input.flows,
  });
  const truth = dc.truth();
  const elephants = truth.timeline
    .filter((t) => t.kind === 'elephant_start')
    .map((t) => truth.flows.find((f) => f.id === t.flows?.[0]) as TruthFlow);
  const rig = await startLoopRig(dc, { app: `builtin:${APP}`, backend: 'iptables' });
  const base = `http://127.0.0.1:${rig.server.httpPort}`;
  const timings = async () => (await (await fetch(`${base}/app/${APP}/timings`)).json()) as ActionTiming[];
  try {
    const stop = new AbortController();
    const lastStart = Math.max(...elephants.map((e) => e.start));
    const deadline = setTimeout(() => stop.abort(), (lastStart + input.grace) * 1000);
    const keys = elephants.map(flowKeyOf);
    // Once a second: are all the elephants' ACLs applied? (One small GET; the app keeps the timings anyway.)
    const watcher = setInterval(() => {
      timings().then(
        (all) => {
          const applied = new Set(all.filter((t) => t.applied !== undefined).map((t) => t.flowKey));
          if (keys.every((k) => applied.has(k))) stop.abort();
        },
        () => {},
      );
    }, 1000);
    const began = Date.now();
    // toUdp sends each datagram at its simulated time after its own start, which is this one.
    await toUdp(
      dc,
      { address: '127.0.0.1', port: rig.server.sflowPort, family: 4 },
      undefined,
      undefined,
      stop.signal,
    );
    const sent = (Date.now() - began) / 1000;
    clearTimeout(deadline);
    clearInterval(watcher);
    // A PUT still on its way: give it a moment.
    for (let i = 0; i < 20 && (await timings()).some((t) => t.applied === undefined); i++)
      await new Promise((r) => setTimeout(r, 100));
    const events = (
      (await (await fetch(`${base}/events/json?maxEvents=10000`)).json()) as ThresholdEvent[]
    ).filter((e) => e.thresholdID.startsWith('marking_'));
    return {
      seed: input.seed,
      began,
      sent,
      elephants,
      flows: truth.flows,
      interfaces: truth.interfaces.map((i) => ({ agent: i.agent, ifIndex: i.ifIndex, speed: i.speed })),
      timings: await timings(),
      events,
      commits: rig.commits,
    };
  } finally {
    await rig.stop();
  }
}

// Run as a program (by bench/control.ts), not when imported for its types and flowKeyOf.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url))
  main(JSON.parse(process.argv[2]) as ControlDriverInput).then(
    // The report may be large: exit once the pipe has taken it all.
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0)),
    (e) => {
      process.stderr.write(`control driver: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
