/**
 * Containers in the agent loop and on to the analyzer: a Docker-named cgroup made by the test (Docker is not
 * installed here; its systemd driver's name is what the agent goes by) is polled as its own data source 3:N
 * once an interval at its own offset, only with `docker { }`; the host's sample carries virt_node; and
 * `sflowkit serve` turns the container's records into sFlow-RT's vir_* metrics.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  liveSkipReason,
  randomHex,
  runWorker,
  TestCgroups,
  workerArgs,
} from '../../src/agent/host/cgroup-live.test-util.js';
import { preferredIndex } from '../../src/agent/host/cgroup-tracker.js';
import { type AgentSettings, HostAgent } from '../../src/agent/host/host-agent.js';
import { decodeDatagram } from '../../src/sflow/index.js';
import type { CountersSample, Datagram } from '../../src/sflow/model.js';
import { get, testServer } from '../serve/serve-support.js';

const skip = await liveSkipReason();
const sockets: Socket[] = [];
after(() => {
  for (const s of sockets) s.close();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function collector(): Promise<{ port: number; got: Datagram[] }> {
  const s = createSocket('udp4');
  sockets.push(s);
  const got: Datagram[] = [];
  s.on('message', (m) => got.push(decodeDatagram(m)));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return { port: s.address().port, got };
}

/** A Docker-named cgroup with a worker in it that has done its work (or burns CPU throughout). */
async function container(t: { after: (fn: () => Promise<void>) => void }, cpuMs: number) {
  const cg = await TestCgroups.open();
  const id = randomHex(32);
  const path = `system.slice/docker-${id}.scope`;
  const file = join(os.tmpdir(), `sflowkit-cgroup-${id.slice(0, 8)}`);
  t.after(async () => {
    await cg.cleanup();
    await rm(file, { force: true });
  });
  const dir = await cg.make(path);
  const worker = cg.spawn(process.execPath, workerArgs({ cpuMs, memMiB: 64, writeMiB: 1, file }));
  await cg.move(worker.pid as number, path);
  await runWorker(worker);
  return { id, dir, index: preferredIndex(new Uint8Array(Buffer.from(id.slice(0, 32), 'hex'))) };
}

const settings = (
  port: number,
  polling: number,
  containers?: AgentSettings['containers'],
): AgentSettings => ({
  agentAddress: '192.0.2.7',
  collectors: [{ address: '127.0.0.1', port }],
  polling,
  datagramBytes: 1400,
  containers,
});

test('each container is its own data source 3:N, once an interval, with docker { } only', {
  skip,
}, async (t) => {
  const { id, index } = await container(t, 50);
  const samples = (ds: Datagram[]) => ds.flatMap((d) => d.samples as CountersSample[]);

  const off = await collector();
  const plain = new HostAgent({ settings: settings(off.port, 3) });
  for (let second = 600; second < 603; second++) await plain.tick(second);
  await plain.stop();

  const on = await collector();
  const agent = new HostAgent({ settings: settings(on.port, 3, { docker: {} }) });
  const at: number[] = [];
  for (let second = 600; second < 606; second++) {
    const before = samples(on.got).length;
    await agent.tick(second);
    await sleep(50);
    if (
      samples(on.got)
        .slice(before)
        .some((s) => s.sourceIdType === 3 && s.sourceIdIndex === index)
    )
      at.push(second);
  }
  await agent.stop();
  await sleep(50);

  assert.equal(samples(off.got).filter((s) => s.sourceIdType === 3).length, 0, 'no container module: no 3:N');
  const mine = samples(on.got).filter((s) => s.sourceIdType === 3 && s.sourceIdIndex === index);
  assert.deepEqual(
    mine.map((s) => s.sequenceNumber),
    [1, 2],
    'twice in 6 s at polling 3, its own sequence',
  );
  assert.equal(at[1] - at[0], 3, `polled at ${at}: an interval apart`);
  const descr = mine[0].records.find((r) => r.name === 'host_descr');
  assert.equal(descr?.name === 'host_descr' && descr.value.hostname, id.slice(0, 12));
  assert.deepEqual(
    mine[0].records.map((r) => r.tag),
    ['0:2000', '0:2002', '0:2101', '0:2102', '0:2103'],
  );
  const host = samples(on.got).filter((s) => s.sourceIdType === 2 && s.sourceIdIndex === 1);
  const vnode = host[0]?.records.find((r) => r.name === 'virt_node');
  assert.ok(vnode?.name === 'virt_node', 'virt_node in the host sample');
  assert.ok(vnode.value.numDomains >= 1);
  assert.equal(vnode.value.cpus, os.cpus().length);
  const plainHost = samples(off.got).find((s) => s.sourceIdType === 2);
  assert.equal(
    plainHost?.records.find((r) => r.name === 'virt_node'),
    undefined,
  );
  assert.equal(agent.counts.readErrors, 0);
});

test("serve: a busy container's vir_* metrics", { skip }, async (t) => {
  const { id, dir, index } = await container(t, -1);
  const server = await testServer();
  t.after(() => server.stop());
  const agent = new HostAgent({ settings: settings(server.sflowPort, 1, { docker: {} }) });
  t.after(() => agent.stop());
  // The CPU the worker had, from its cgroup, at each poll: the machine is shared, a full CPU is not promised.
  const used = async () => ({
    ms: Number((await readFile(join(dir, 'cpu.stat'), 'utf8')).match(/usage_usec (\d+)/)?.[1]) / 1000,
    at: Date.now(),
  });
  const start = Math.floor(Date.now() / 1000);
  await agent.tick(start);
  const first = await used();
  await sleep(1000);
  await agent.tick(start + 1);
  const second = await used();
  const expected = (100 * (second.ms - first.ms)) / (second.at - first.at);
  let m: Record<string, number | string> = {};
  for (let i = 0; i < 40 && m[`3.${index}.vir_cpu_utilization`] === undefined; i++) {
    await sleep(100);
    m = await get<typeof m>(`${server.url}/metric/192.0.2.7/json`).catch(() => ({}));
  }
  const v = (name: string) => m[`3.${index}.${name}`];
  t.diagnostic(
    `vir_cpu_utilization ${v('vir_cpu_utilization')} (${expected} by cpu.stat), vir_mem_used ${v('vir_mem_used')}`,
  );
  assert.equal(v('vir_host_name'), id.slice(0, 12));
  assert.equal(v('vir_state'), 'running');
  const cpu = Number(v('vir_cpu_utilization'));
  assert.ok(expected > 5, `the worker had ${expected}% of a CPU`);
  assert.ok(Math.abs(cpu - expected) <= 10 + expected / 5, `${cpu}% as cpu.stat gives, ${expected}%`);
  assert.ok(Number(v('vir_mem_used')) >= 64 * 1024 * 1024);
  assert.ok(Number(v('vir_mem_utilization')) > 0);
  assert.equal(v('vir_cpu_num'), os.cpus().length);
  assert.ok(Number(m['2.1.vnode_domains']) >= 1);
});
