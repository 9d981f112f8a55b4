/**
 * The marking loop, run whole inside one network namespace (the test starts this with `ip netns exec`): the
 * rig of loop-rig.ts (the switches' agent addresses on its loopback, `sflowkit acl-server` answering on them,
 * `sflowkit serve` with a marking app), and the generator's data center sending to it in real time. While it
 * runs, the ACLs are polled; after, it waits for them to be removed. Prints one JSON report: the truth, every
 * ACL seen (its rules, from when to when), the namespace's mangle table at the peak and at the end, and the
 * app's state.
 */
import { execFileSync } from 'node:child_process';
import { toUdp } from '../../src/cli/udp-sender.js';
import { DataCenter } from '../../src/generator/data-center.js';
import { DEFAULT_FABRIC } from '../../src/generator/fabric.js';
import type { ScenarioName } from '../../src/generator/scenarios.js';
import { type LoopRigInput, startLoopRig } from './loop-rig.js';

export interface DriverInput extends LoopRigInput {
  scenario: ScenarioName;
  duration: number;
  hostSpeeds?: number[];
  /** Seconds to wait after the last datagram for the ACLs to go. */
  drain: number;
}

export interface SeenAcl {
  name: string;
  rules: string[];
  first: number;
  last: number;
}

const input = JSON.parse(process.argv[2]) as DriverInput;

async function main() {
  const dc = new DataCenter({
    fabric: {
      ...DEFAULT_FABRIC,
      polling: [2, 3],
      ...(input.hostSpeeds ? { hostSpeeds: input.hostSpeeds } : {}),
    },
    scenario: input.scenario,
    seed: 7,
    duration: input.duration,
    flows: 200,
  });
  const truth = dc.truth();
  const rig = await startLoopRig(dc, input);
  const server = rig.server;

  const seen = new Map<string, SeenAcl>();
  let peak = '';
  let most = 0;
  const began = Date.now();
  const poll = async () => {
    const names = (await (await fetch('http://127.0.0.1:8080/acl/')).json()) as string[];
    const now = (Date.now() - began) / 1000;
    for (const name of names) {
      const acl = seen.get(name);
      if (acl) acl.last = now;
      else {
        const rules = (await (await fetch(`http://127.0.0.1:8080/acl/${name}`)).json()) as string[];
        seen.set(name, { name, rules, first: now, last: now });
      }
    }
    if (names.length > most) {
      most = names.length;
      peak = execFileSync('iptables-save', ['-t', 'mangle'], { encoding: 'utf8' });
    }
    return names.length;
  };
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await poll().catch(() => 0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await toUdp(dc, { address: '127.0.0.1', port: server.sflowPort, family: 4 });
  const sent = (Date.now() - began) / 1000;
  for (let i = 0; i < input.drain * 10 && (await poll()) > 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  polling = false;
  await poller;
  const remaining = await poll();
  const app = await (await fetch(`http://127.0.0.1:${server.httpPort}/app/json`)).json();
  const events = await (
    await fetch(`http://127.0.0.1:${server.httpPort}/events/json?maxEvents=10000`)
  ).json();
  const end = execFileSync('iptables-save', ['-t', 'mangle'], { encoding: 'utf8' });
  // The operator's reset of a built-in app's fail-safe, and the state after it.
  const reset = input.app.startsWith('builtin:')
    ? await (
        await fetch(`http://127.0.0.1:${server.httpPort}/app/${input.app.slice(8)}/reset`, { method: 'POST' })
      ).json()
    : undefined;
  await rig.stop();
  process.stdout.write(
    `${JSON.stringify({ truth: { flows: truth.flows, fabric: truth.fabric }, acls: [...seen.values()], peak, end, remaining, sent, app, events, reset, hosts: dc.fabric.hosts.map((h) => ({ name: h.name, speed: h.speed })) })}\n`,
  );
}

main().then(
  // The report may be large: exit once the pipe has taken it all.
  () => process.stdout.write('', () => process.exit(0)),
  (e) => {
    process.stderr.write(`marking driver: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
