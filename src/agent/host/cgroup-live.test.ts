/**
 * Containers as virtual nodes on this machine, for real: cgroups made by the test (named as Docker's,
 * Kubernetes' and systemd's), a worker moved into one that uses CPU, memory and disk, a process in a network
 * namespace of its own with traffic over a veth pair. What the agent reads is compared with the cgroup and
 * /proc files read by the test before and after it, and with the work done; everything must go through our
 * codec unchanged.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeDatagram, encodeDatagram } from '../../sflow/index.js';
import type { CountersSample, Datagram } from '../../sflow/model.js';
import type { CounterRecordName } from '../../sflow/registry.js';
import { ALL_MODULES, type ContainerCounters, readContainerCounters } from './cgroup-counters.js';
import { liveSkipReason, randomHex, runWorker, TestCgroups, workerArgs } from './cgroup-live.test-util.js';
import { preferredIndex } from './cgroup-tracker.js';
import { assertBracketed, assertNear, missing } from './outside-tools.test-util.js';
import { parseNetDev } from './proc-net.js';
import { keyValues } from './proc-text.js';

const skip = await liveSkipReason();
const MIB = 1024 * 1024;

function record<N extends CounterRecordName>(c: ContainerCounters | undefined, name: N) {
  const r = c?.records.find((x) => x.name === name);
  assert.ok(r, `${name} in ${c?.name}: ${c?.records.map((x) => x.name)}`);
  return r.value as Extract<typeof r, { name: N }>['value'];
}

const fileValues = async (path: string) => keyValues(await readFile(path, 'utf8'));
const readOptional = (path: string) => readFile(path, 'utf8').catch(() => undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a Docker-named cgroup: CPU, memory and disk of the work done in it, paused while frozen', {
  skip,
}, async (t) => {
  const cg = await TestCgroups.open();
  const id = randomHex(32);
  const path = `system.slice/docker-${id}.scope`;
  const file = join(os.tmpdir(), `sflowkit-cgroup-${id.slice(0, 8)}`);
  t.after(async () => {
    await cg.cleanup();
    await rm(file, { force: true });
  });
  const dir = await cg.make(path);
  const worker = cg.spawn(process.execPath, workerArgs({ cpuMs: 400, memMiB: 64, writeMiB: 8, file }));
  const pid = worker.pid as number;
  await cg.move(pid, path);
  const report = await runWorker(worker);
  const hasMemory = (await readOptional(join(dir, 'memory.current'))) !== undefined;
  const hasIo = (await readOptional(join(dir, 'io.stat'))) !== undefined;
  t.diagnostic(`cgroup v2 at ${cg.v2}; memory controller: ${hasMemory}, io controller: ${hasIo}`);

  const outside = async () => ({
    usec: (await fileValues(join(dir, 'cpu.stat'))).get('usage_usec') ?? -1n,
    rss: Number((await fileValues(`/proc/${pid}/status`)).get('VmRSS') ?? 0n) * 1024,
    written: (await fileValues(`/proc/${pid}/io`)).get('write_bytes') ?? -1n,
    current: Number(await readOptional(join(dir, 'memory.current'))),
    wbytes: (await readOptional(join(dir, 'io.stat')))
      ?.match(/wbytes=\d+/g)
      ?.reduce((s, w) => s + BigInt(w.slice(7)), 0n),
  });
  const before = await outside();
  const all = await readContainerCounters('/', { modules: ALL_MODULES });
  const after = await outside();
  const c = all.find((x) => x.id === id);
  assert.ok(c, `docker-${id.slice(0, 12)}… among ${all.map((x) => x.name)}`);

  assert.equal(c.kind, 'docker');
  assert.equal(c.name, id.slice(0, 12), 'no engine to name it: the short id');
  const uuid = new Uint8Array(Buffer.from(id.slice(0, 32), 'hex'));
  assert.equal(c.index, preferredIndex(uuid));
  assert.deepEqual(record(c, 'host_descr').uuid, uuid);
  assert.equal(record(c, 'host_descr').osRelease, os.release().slice(0, 32));
  assert.deepEqual(record(c, 'host_parent'), { containerType: 2, containerIndex: 1 });

  // CPU: cpu.stat's usage_usec in ms, which holds at least the CPU the worker used after it was moved in.
  const cpu = record(c, 'virt_cpu');
  assert.equal(cpu.state, 1, 'running');
  assert.equal(cpu.nrVirtCpu, os.cpus().length, 'no quota: all of the host');
  assertBracketed('cpuTime', before.usec / 1000n, cpu.cpuTime, after.usec / 1000n);
  const used = (u?: { user: number; system: number }) => (u ? (u.user + u.system) / 1000 : Number.NaN);
  const worked = used(report.after) - used(report.before);
  assert.ok(worked >= 350, `the worker burnt ${worked} ms`);
  assert.ok(
    cpu.cpuTime >= worked - 5,
    `cpuTime ${cpu.cpuTime} ms holds the ${worked} ms worked in the cgroup`,
  );
  assert.ok(cpu.cpuTime <= used(report.after) + 100, `cpuTime ${cpu.cpuTime} ms ≤ the worker's whole life`);

  // Memory: memory.current with the memory controller, else the processes' resident memory.
  const mem = record(c, 'virt_memory');
  if (hasMemory) assertNear('memory', before.current, Number(mem.memory), after.current, MIB);
  else assertNear('memory (VmRSS)', before.rss, Number(mem.memory), after.rss, MIB);
  assert.ok(mem.memory >= 64n * BigInt(MIB), `${mem.memory} bytes hold the 64 MiB filled`);
  const total = (await fileValues('/proc/meminfo')).get('MemTotal') ?? 0n;
  assert.ok(mem.maxMemory > 0n && mem.maxMemory <= total * 1024n);

  // Disk: io.stat with the io controller, else the processes' write_bytes; both hold the 8 MiB fsynced.
  const disk = record(c, 'virt_disk_io');
  if (hasIo) assertBracketed('wrBytes', before.wbytes ?? -1n, disk.wrBytes, after.wbytes ?? -1n, 64);
  else assertBracketed('wrBytes (write_bytes)', before.written, disk.wrBytes, after.written, 64);
  assert.ok(disk.wrBytes >= 8n * BigInt(MIB), `${disk.wrBytes} bytes written hold the 8 MiB`);
  t.diagnostic(
    `cpuTime ${cpu.cpuTime} ms (worked ${worked} ms), memory ${mem.memory}, maxMemory ${mem.maxMemory}, wrBytes ${disk.wrBytes}`,
  );
  assert.equal(
    c.records.find((r) => r.name === 'virt_net_io'),
    undefined,
    "the host's network namespace: no net of its own",
  );

  // Frozen (as `docker pause` freezes): paused.
  await writeFile(join(dir, 'cgroup.freeze'), '1');
  for (let i = 0; i < 100 && (await fileValues(join(dir, 'cgroup.events'))).get('frozen') !== 1n; i++)
    await sleep(20);
  const frozen = (await readContainerCounters('/', { modules: { docker: {} } })).find((x) => x.id === id);
  await writeFile(join(dir, 'cgroup.freeze'), '0');
  assert.equal(record(frozen, 'virt_cpu').state, 3, 'paused');

  // Every container found here goes through our codec unchanged.
  const d: Datagram = {
    version: 5,
    agentAddress: '192.0.2.1',
    subAgentId: 0,
    sequenceNumber: 1,
    uptime: 1000,
    samples: all.map(
      (x): CountersSample => ({
        name: 'counters_sample',
        tag: '0:2',
        sequenceNumber: 1,
        sourceIdType: 3,
        sourceIdIndex: x.index,
        records: x.records,
      }),
    ),
  };
  const back = decodeDatagram(encodeDatagram(d));
  back.samples.forEach((s, i) => {
    assert.ok(s.name === 'counters_sample');
    for (const r of s.records) assert.ok(r.name !== 'invalid' && r.name !== 'unknown', `${r.tag}: ${r.name}`);
    assert.deepEqual(s.records, (d.samples[i] as CountersSample).records);
  });
});

test('a systemd-named service cgroup is a service only with systemd { }', { skip }, async (t) => {
  const cg = await TestCgroups.open();
  t.after(() => cg.cleanup());
  const unit = `sflowkit-test-${randomHex(4)}.service`;
  const path = `system.slice/${unit}`;
  await cg.make(path);
  await cg.move(cg.spawn('sleep', ['30']).pid as number, path);
  const services = await readContainerCounters('/', { modules: { systemd: {} } });
  const s = services.find((x) => x.name === unit);
  assert.ok(s, `${unit} among ${services.map((x) => x.name)}`);
  assert.equal(s.kind, 'systemd');
  assert.ok(s.index >= 100_000 && s.index < 150_000);
  const noSystemd = await readContainerCounters('/', { modules: { docker: {}, containerd: {} } });
  assert.equal(
    noSystemd.find((x) => x.name === unit),
    undefined,
  );
});

test('a real systemd service (systemd-run)', async (t) => {
  let state = '';
  try {
    state = execFileSync('systemctl', ['is-system-running'], { encoding: 'utf8' }).trim();
  } catch (e) {
    state = String((e as { stdout?: string }).stdout ?? '').trim() || 'no systemctl';
  }
  if (!['running', 'degraded', 'starting'].includes(state) || skip) {
    t.skip(
      `no systemd running here (systemctl is-system-running: ${state}); the cgroup-named service test stands in`,
    );
    return;
  }
  const unit = `sflowkit-test-${randomHex(4)}`;
  execFileSync('systemd-run', ['--quiet', '--unit', unit, 'sleep', '30']);
  t.after(() => execFileSync('systemctl', ['stop', unit]));
  const services = await readContainerCounters('/', { modules: { systemd: {} } });
  const s = services.find((x) => x.name === `${unit}.service`);
  assert.ok(s, `${unit}.service among ${services.map((x) => x.name)}`);
  assert.equal(record(s, 'virt_cpu').state, 1);
});

test('a Kubernetes-named container in its own network namespace: the traffic of its veth', {
  skip: skip ?? missing('unshare', 'ip', 'nsenter'),
}, async (t) => {
  const cg = await TestCgroups.open();
  const tag = randomHex(3);
  const [hostEnd, podEnd] = [`sfk${tag}h`, `sfk${tag}c`];
  t.after(async () => {
    execFileSync('ip', ['link', 'del', hostEnd], { stdio: 'ignore' });
    await cg.cleanup();
  });
  const id = randomHex(32);
  const path = `kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${tag}.slice/cri-containerd-${id}.scope`;
  await cg.make(path);
  const pod = cg.spawn('unshare', ['-n', 'sleep', '30']);
  const pid = pod.pid as number;
  await cg.move(pid, path);
  const ours = await readlink('/proc/self/ns/net');
  const netnsOf = () => readlink(`/proc/${pid}/ns/net`).catch(() => ours);
  for (let i = 0; i < 500 && (await netnsOf()) === ours; i++) await sleep(10);
  assert.notEqual(await netnsOf(), ours, 'unshare -n made its namespace');
  const net = Math.floor(Math.random() * 256);
  const ip = (...args: string[]) => execFileSync('ip', args);
  const podIp = (...args: string[]) => execFileSync('nsenter', ['-t', String(pid), '-n', 'ip', ...args]);
  ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', podEnd);
  ip('link', 'set', podEnd, 'netns', String(pid));
  ip('addr', 'add', `198.18.${net}.1/30`, 'dev', hostEnd);
  ip('link', 'set', hostEnd, 'up');
  podIp('addr', 'add', `198.18.${net}.2/30`, 'dev', podEnd);
  podIp('link', 'set', podEnd, 'up');

  const sock = createSocket('udp4');
  t.after(() => sock.close());
  const payload = Buffer.alloc(100, 1);
  for (let i = 0; i < 20; i++)
    await new Promise<void>((resolve, reject) =>
      sock.send(payload, 9, `198.18.${net}.2`, (e) => (e ? reject(e) : resolve())),
    );
  const counters = async () => {
    const dev = parseNetDev(await readFile(`/proc/${pid}/net/dev`, 'utf8'));
    const line = dev.find(([name]) => name === podEnd);
    assert.ok(line, `${podEnd} in the pod's /proc/net/dev`);
    return line[1];
  };
  // Delivered (after ARP) in a moment, longer on a loaded machine.
  for (let i = 0; i < 100 && (await counters()).rxPackets < 20n; i++) await sleep(20);
  const before = await counters();
  const all = await readContainerCounters('/', { modules: { containerd: {} } });
  const after = await counters();
  const c = all.find((x) => x.id === id);
  assert.ok(c, `cri-containerd-${id.slice(0, 12)}… among ${all.map((x) => x.name)}`);
  assert.equal(c.kind, 'containerd');
  assert.equal(c.name, id.slice(0, 12));
  const nio = record(c, 'virt_net_io');
  assertBracketed('rxPackets', before.rxPackets, nio.rxPackets, after.rxPackets);
  assertBracketed('rxBytes', before.rxBytes, nio.rxBytes, after.rxBytes, 64);
  assertBracketed('txPackets', before.txPackets, nio.txPackets, after.txPackets);
  assertBracketed('txBytes', before.txBytes, nio.txBytes, after.txBytes, 64);
  t.diagnostic(`${podEnd}: ${nio.rxPackets} packets, ${nio.rxBytes} bytes in; ${nio.txPackets} out`);
  assert.ok(nio.rxPackets >= 20, `${nio.rxPackets} packets in hold the 20 sent`);
  assert.ok(nio.rxBytes >= 20n * BigInt(14 + 28 + payload.length), `${nio.rxBytes} bytes in`);
});
