/**
 * `sflowkit serve` end to end: the generator's data center sends over real UDP in real time, and the REST API
 * is checked against the generator's truth: elephant flows in activeflows at their true rates within the
 * sampling error, a threshold that fires once for each elephant and never for the mice, interface counters
 * that become the right rates, and a host gone silent reported lost.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { RunningServer } from '../../src/cli/serve-command.js';
import type { ActiveFlow } from '../../src/engine/flows.js';
import type { TruthFlow } from '../../src/generator/truth.js';
import { call, dataCenter, get, send, sleep, testServer } from './serve-support.js';

const servers: RunningServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});

/** 1 Gbit/s in bytes per second: above every mouse of the steady mix, below every elephant. */
const THRESHOLD = 1e9 / 8;
const T = 1;

test('elephants: activeflows at their true rates, one threshold event each, none for the mice', async () => {
  const server = await testServer();
  servers.push(server);
  const { url } = server;
  const keys = 'ipsource,ipdestination,tcpsourceport,tcpdestinationport';
  assert.equal((await call(`${url}/flow/pair/json`, 'PUT', { keys, value: 'bytes', t: T })).status, 200);
  // On access ports only, as the seed's controller has it: one sample on a 100G uplink sampled 1 in 100,000
  // stands for 150 MB, which alone lifts a mouse over the threshold for a moment.
  const filter = { ifspeed: [1e9, 10e9, 25e9] };
  const threshold = { metric: 'pair', value: THRESHOLD, byFlow: true, timeout: 4, filter };
  assert.equal((await call(`${url}/threshold/elephant/json`, 'PUT', threshold)).status, 200);

  const dc = dataCenter('elephants', 20);
  const truth = dc.truth();
  const began = performance.now();
  const sending = send(dc, server);
  // At 13.5 s all three elephants run: from 4, 6 and 10 s.
  await sleep(13_500 - (performance.now() - began));
  const at = (performance.now() - began) / 1000;
  const active = await get<ActiveFlow[]>(`${url}/activeflows/ALL/pair/json?maxFlows=20`);
  const e1 = truth.flows.find((f) => f.start === 4 && f.bitsPerSecond / 8 > 2 * THRESHOLD) as TruthFlow;
  const hostOut = await get<{ dataSource: string; metricValue: number; lastUpdate: number }[]>(
    `${url}/dump/${e1.srcIp}/bytes_out/json`,
  );
  await sending;
  await sleep(300);

  const elephants = truth.flows.filter((f) => f.bitsPerSecond / 8 > 2 * THRESHOLD && f.protocol === 6);
  assert.equal(elephants.length, 3, 'the scenario has three elephants');
  const keyOf = (f: TruthFlow) => [f.srcIp, f.dstIp, f.srcPort, f.dstPort].join(',');
  for (const f of elephants) {
    const seen = active.find((a) => a.key === keyOf(f));
    assert.ok(seen, `elephant ${keyOf(f)} is in activeflows: ${JSON.stringify(active.slice(0, 5))}`);
    // The smoothed rate has risen towards the true one as 1 − e^(−age/t); bytes are frames: 18 to 22 bytes
    // more than the IP packet (Ethernet header and FCS, and a VLAN tag on some ports).
    const ipBytes = f.bitsPerSecond / 8;
    const packet = ipBytes / f.packetsPerSecond;
    const rise = 1 - Math.exp(-(at - f.start) / T);
    const low = ipBytes * ((packet + 18) / packet) * rise;
    const high = ipBytes * ((packet + 22) / packet);
    // Samples behind the value: about pps × t / sampling rate; a count estimate's relative error is 1/√n.
    const n = (f.packetsPerSecond * T) / Math.max(...f.path.map((p) => p.samplingRate));
    const bound = 4 / Math.sqrt(n);
    assert.ok(
      seen.value > low * (1 - bound) && seen.value < high * (1 + bound),
      `${keyOf(f)}: ${seen.value.toFixed(0)} B/s, truth ${low.toFixed(0)}–${high.toFixed(0)} ± ${(bound * 100).toFixed(1)}%`,
    );
  }

  const events = (
    await get<{ thresholdID: string; flowKey?: string }[]>(`${url}/events/json?maxEvents=1000`)
  ).filter((e) => e.thresholdID === 'elephant');
  for (const f of elephants)
    assert.equal(events.filter((e) => e.flowKey === keyOf(f)).length, 1, `one event for ${keyOf(f)}`);
  const mice = new Set(truth.flows.filter((f) => f.bitsPerSecond / 8 < THRESHOLD / 2).map(keyOf));
  assert.ok(mice.size > 100);
  assert.deepEqual(
    events.filter((e) => mice.has(e.flowKey ?? '')),
    [],
    'no event for a flow under half the threshold',
  );

  // Host counters: the elephant's source host sends it and its other flows. Its last poll before 13.5 s
  // covered 2 to 3 seconds after 10 s: bytes_out is the IP bytes of the flows it sent then.
  assert.equal(hostOut.length, 1, `bytes_out of host ${e1.srcIp}`);
  const polled = at - hostOut[0].lastUpdate / 1000;
  const from = e1.src;
  const sendingAt = (t: number) => truth.flows.filter((f) => f.src === from && f.start <= t && t < f.end);
  const span = [Math.floor(polled) - 3, Math.floor(polled)];
  const always = truth.flows.filter((f) => f.src === from && f.start <= span[0] && span[1] < f.end);
  const ever = new Set([span[0], span[0] + 1, span[0] + 2, span[1]].flatMap(sendingAt));
  const sum = (list: Iterable<TruthFlow>) => [...list].reduce((s, f) => s + f.bitsPerSecond / 8, 0);
  assert.ok(
    hostOut[0].metricValue >= sum(always) * 0.98 && hostOut[0].metricValue <= sum(ever) * 1.02,
    `bytes_out ${hostOut[0].metricValue} of ${e1.srcIp}: truth ${sum(always)}–${sum(ever)}`,
  );

  // Interface counters: the port an elephant comes in on carries it; its ifinoctets match the truth.
  const port = e1.path[0];
  const iface = truth.interfaces.find((i) => i.agent === port.agent && i.ifIndex === port.inIfIndex);
  assert.ok(iface);
  const dump = await get<{ dataSource: string; metricValue: number }[]>(
    `${url}/dump/${port.agent}/ifinoctets/json`,
  );
  const mine = dump.find((d) => d.dataSource === String(port.inIfIndex));
  assert.ok(mine, `ifinoctets of ${port.agent} port ${port.inIfIndex}`);
  // Its last poll fell between 14 and 20 s: the elephant ran to 14 s, so look at the seconds around.
  const window = iface.inBitsPerSecond.slice(8, 20).map((b) => b / 8);
  assert.ok(
    mine.metricValue >= Math.min(...window) * 0.98 && mine.metricValue <= Math.max(...window) * 1.02,
    `ifinoctets ${mine.metricValue} within the truth's ${Math.min(...window)}–${Math.max(...window)}`,
  );
});

test('host-loss: the silenced host is reported lost, and only it', async () => {
  const server = await testServer('--agent-lost-min-seconds', '4', '--agent-lost-intervals', '2');
  servers.push(server);
  const dc = dataCenter('host-loss', 16);
  const truth = dc.truth();
  await send(dc, server);
  const silent = truth.timeline.find((t) => t.kind === 'host_silent');
  const agent = truth.agents.find((a) => a.name === silent?.host);
  assert.ok(agent, 'the scenario silences a host agent');
  const events = await get<{ thresholdID: string; agent: string }[]>(
    `${server.url}/events/json?maxEvents=1000`,
  );
  const lost = events.filter((e) => e.thresholdID === 'agent_lost').map((e) => e.agent);
  assert.deepEqual(lost, [agent.address]);
  const found = events.filter((e) => e.thresholdID === 'agent_found');
  assert.equal(found.length, new Set(truth.agents.map((a) => a.address)).size, 'every agent found once');
  const agents = await get<Record<string, { present: boolean }>>(`${server.url}/agents/json`);
  assert.equal(agents[agent.address].present, false);
});
