/**
 * The elephant-flow marking loop end to end (issue 6): the generator's `elephants` scenario → `sflowkit serve`
 * with a marking app → `sflowkit acl-server` with the iptables back-end, all in a network namespace the test
 * creates (marking-driver.ts). Each elephant gets exactly one ACL, the mice none, and every ACL is gone after
 * its flow ends; the seed's clmark.js does the same, unchanged, against the dry-run back-end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TruthFlow } from '../../src/generator/truth.js';
import type { DriverInput, SeenAcl } from './marking-driver.js';
import { Netns, netnsSkipReason } from './netns.js';

const DRIVER = new URL('./marking-driver.js', import.meta.url).pathname;
const CLMARK = new URL('../../../test/apps/fixtures/clmark.js', import.meta.url).pathname;

interface Report {
  events: { thresholdID: string; metric: string; message?: string }[];
  reset?: { safeMode: boolean };
  truth: { flows: TruthFlow[] };
  hosts: { name: string; speed: number }[];
  acls: SeenAcl[];
  peak: string;
  end: string;
  remaining: number;
  sent: number;
  app: { name: string; errors: number; state?: Record<string, unknown> }[];
}

function drive(ns: Netns, input: DriverInput): Promise<Report> {
  return ns.run<Report>(DRIVER, input);
}

/** The flow an ACL marks, from its rule line. */
function markedFlow(acl: SeenAcl): string {
  const rule = acl.rules.find((r) => r.startsWith('-t mangle')) ?? '';
  const arg = (flag: string) => new RegExp(`${flag} (\\S+)`).exec(rule)?.[1];
  return [arg('-s'), arg('-d'), arg('--sport'), arg('--dport')].join(',');
}

const keyOf = (f: TruthFlow) => [f.srcIp, f.dstIp, f.srcPort, f.dstPort].join(',');

/**
 * The truth's TCP flows by how they compare with `fraction` of their access port's speed, beyond the sampling
 * error: a flow sampled λ times a second and smoothed with time constant t is measured with a relative
 * standard deviation of 1/√(2λt); an elephant is over the threshold by 4 of them, a mouse under it by 4. Flows
 * in between may go either way, and are not judged.
 */
function classify(r: Report, fraction: number, t: number, v4Only = false) {
  const host = new Map(r.hosts.map((h) => [h.name, h]));
  const tcp = r.truth.flows.filter((f) => f.protocol === 6 && (!v4Only || !f.srcIp.includes(':')));
  const margin = (f: TruthFlow) => {
    const samplesPerSecond = f.packetsPerSecond / f.path[0].samplingRate;
    return 4 / Math.sqrt(2 * samplesPerSecond * t);
  };
  const share = (f: TruthFlow) => f.bitsPerSecond / ((host.get(f.src)?.speed as number) * fraction);
  return {
    elephants: tcp.filter((f) => share(f) * (1 - margin(f)) > 1),
    mice: tcp.filter((f) => share(f) * (1 + margin(f)) < 1),
  };
}

const skip = netnsSkipReason();

/** Each loop in a namespace of its own, destroyed after. */
async function inNetns(tag: string, input: DriverInput): Promise<Report> {
  const ns = Netns.create(tag);
  try {
    return await drive(ns, input);
  } finally {
    ns.destroy();
  }
}

let started: { marking: Promise<Report>; clmark: Promise<Report>; storm: Promise<Report> } | undefined;
/** The fail-safe's budget in the storm. */
const BUDGET = { windowSeconds: 60, perTarget: 5, overall: 8 };
/**
 * Both loops, started together on the first call: they take 30 and 40 seconds of real time and mostly wait,
 * so side by side they take 40.
 */
function loops() {
  if (started === undefined) {
    started = {
      marking: inNetns('mark', {
        app: 'builtin:elephant-marking',
        appOptions: { checkSeconds: 0.5 },
        scenario: 'elephants',
        duration: 20,
        drain: 20,
        backend: 'iptables',
      }),
      clmark: inNetns('clmark', {
        app: CLMARK,
        scenario: 'elephants',
        duration: 20,
        // clmark.js watches 1 Gbit/s access ports and deletes once a flow is under 100 bytes/s, checking every 5 s.
        hostSpeeds: [1e9],
        drain: 40,
        // clmark.js writes Cumulus's SETQOS target, which plain iptables lacks: the ACL server only stores it.
        backend: 'dry-run',
      }),
      // A rule that matches every address pair over a trifle: the flood's 200 spoofed sources make a storm.
      storm: inNetns('storm', {
        app: 'builtin:elephant-marking',
        appOptions: { match: 'ip', fraction: 1e-7, budget: BUDGET, onSafeMode: 'rollback' },
        scenario: 'ddos',
        duration: 12,
        drain: 15,
        backend: 'iptables',
      }),
    };
    // Each is awaited by its test; a failure must not count as unhandled before then.
    for (const p of Object.values(started)) p.catch(() => {});
  }
  return started;
}

test('elephant-marking: one ACL per elephant, none for mice, all removed after', {
  skip,
  timeout: 120_000,
}, async () => {
  const r = await loops().marking;
  const { elephants, mice } = classify(r, 0.1, 1);
  // The scenario's 2.5 Gbit/s elephant may land on a 25G port, just at 10%: neither elephant nor mouse here.
  assert.ok(elephants.length >= 2, `the scenario's elephants: ${elephants.length}`);
  assert.ok(mice.length > 100, `mice: ${mice.length}`);
  const marked = r.acls.map(markedFlow);
  for (const f of elephants)
    assert.equal(
      marked.filter((k) => k === keyOf(f)).length,
      1,
      `one ACL for elephant ${keyOf(f)}: ${marked}`,
    );
  const mouse = new Set(mice.map(keyOf));
  assert.deepEqual(
    marked.filter((k) => mouse.has(k)),
    [],
    'no ACL for a mouse',
  );
  // The rules really were in the namespace's mangle table, and are gone.
  assert.match(r.peak, /-A sflowkit-FORWARD .*-j DSCP --set-dscp 0x0a/);
  assert.equal(r.remaining, 0, 'every ACL removed after its flow ended');
  assert.doesNotMatch(r.end, /DSCP/);
  const app = r.app.find((a) => a.name === 'elephant-marking');
  assert.equal(app?.errors, 0);
  assert.equal(app?.state?.safeMode, false);
});

test("the seed's clmark.js, unchanged, marks the elephants through the ACL API", {
  skip,
  timeout: 120_000,
}, async () => {
  const r = await loops().clmark;
  // Its rules are [iptables] (IPv4) and its threshold 100 Mbit/s: 10% of the 1 Gbit/s ports.
  const { elephants, mice } = classify(r, 0.1, 1, true);
  assert.ok(elephants.length >= 3, `elephants: ${elephants.length}`);
  assert.ok(mice.length > 50, `mice: ${mice.length}`);
  const marked = r.acls.map(markedFlow);
  for (const f of elephants)
    assert.equal(marked.filter((k) => k === keyOf(f)).length, 1, `one ACL for elephant ${keyOf(f)}`);
  const mouse = new Set(mice.map(keyOf));
  assert.deepEqual(
    marked.filter((k) => mouse.has(k)),
    [],
  );
  assert.ok(r.acls.every((a) => a.rules.some((l) => l.includes('-j SETQOS --set-dscp 10 --set-cos 5'))));
  assert.equal(r.remaining, 0, 'clmark removed every ACL after its flow ended');
  assert.equal(r.app.find((a) => a.name === 'clmark')?.errors, 0);
});

test('fail-safe: an action storm trips safe mode within budget, raises an event, rolls back, resets', {
  skip,
  timeout: 120_000,
}, async () => {
  const r = await loops().storm;
  const crossings = r.events.filter((e) => e.thresholdID.startsWith('marking_')).length;
  assert.ok(crossings > 5 * BUDGET.overall, `a storm: ${crossings} threshold events`);
  assert.ok(r.acls.length <= BUDGET.overall, `${r.acls.length} ACLs, within the budget of ${BUDGET.overall}`);
  assert.ok(r.acls.length > 0);
  const safe = r.events.filter((e) => e.thresholdID === 'safe_mode');
  assert.equal(safe.length, 1, 'one safe_mode event');
  assert.equal(safe[0].metric, 'app');
  assert.match(safe[0].message ?? '', /elephant-marking stops acting: \d+ actions .*budget/);
  const state = r.app.find((a) => a.name === 'elephant-marking')?.state as {
    safeMode: boolean;
    reason: string;
  };
  assert.equal(state.safeMode, true);
  assert.match(state.reason, /budget/);
  assert.equal(r.remaining, 0, 'rolled back: its ACLs removed');
  assert.doesNotMatch(r.end, /DSCP/);
  assert.equal(r.reset?.safeMode, false, "the operator's reset leaves safe mode");
});
