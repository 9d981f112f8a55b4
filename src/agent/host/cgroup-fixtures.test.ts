/**
 * Containers from a made-up host (a directory standing for /): what no real cgroup on this test machine has
 * (a v2 memory and io controller, Docker's and containerd's own files, a container with a network
 * namespace) mapped field by field, the v1 files of a hybrid host, the per-process fallback, the names, and
 * hsflowd's data source numbering.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { CounterRecordName } from '../../sflow/registry.js';
import { type ContainerCounters, readContainerCounters } from './cgroup-counters.js';
import { uuidV5 } from './cgroup-names.js';
import { classify } from './cgroup-paths.js';
import { countCpus, cpuLimit, parseBlkio, parseIoStat } from './cgroup-stats.js';
import { ContainerTracker, preferredIndex, uuidHash } from './cgroup-tracker.js';
import { hostUuid } from './host-descr.js';

const DOCKER = 'aa'.repeat(16) + '11'.repeat(16);
const POD_A = 'b1'.repeat(32);
const POD_B = 'b2'.repeat(32);
const MACHINE_ID = '0123456789abcdef0123456789abcdef';
const GIB = 1024n ** 3n;

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(os.tmpdir(), 'cgroup-fixture-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** /proc of a host with 4 CPUs and 8 GiB, its hostname and machine ID. */
const HOST = {
  'proc/meminfo': 'MemTotal:       8388608 kB\nMemFree:        4194304 kB\n',
  'proc/stat': 'cpu  1 2 3 4\ncpu0 1\ncpu1 1\ncpu2 1\ncpu3 1\n',
  'proc/sys/kernel/hostname': 'node7\n',
  'proc/sys/kernel/osrelease': '6.1.0-test\n',
  'etc/machine-id': `${MACHINE_ID}\n`,
};

function record<N extends CounterRecordName>(c: ContainerCounters | undefined, name: N) {
  const r = c?.records.find((x) => x.name === name);
  assert.ok(r, `${name} in ${c?.name}`);
  return r.value as Extract<typeof r, { name: N }>['value'];
}

test('cgroup names: Docker, containerd and Kubernetes, systemd services; nothing else', () => {
  const of = (p: string) => classify(p.split('/'));
  assert.deepEqual(of(`system.slice/docker-${DOCKER}.scope`), { kind: 'docker', id: DOCKER });
  assert.deepEqual(of(`docker/${DOCKER}`), { kind: 'docker', id: DOCKER });
  assert.deepEqual(
    of(
      `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1_2.slice/cri-containerd-${POD_A}.scope`,
    ),
    { kind: 'containerd', id: POD_A },
  );
  assert.deepEqual(of(`kubepods/besteffort/pod1-2/${POD_B}`), { kind: 'containerd', id: POD_B });
  assert.deepEqual(of(`system.slice/nerdctl-${POD_B}.scope`), { kind: 'containerd', id: POD_B });
  assert.deepEqual(of('system.slice/ssh.service'), { kind: 'systemd', id: 'ssh.service' });
  assert.deepEqual(of('system.slice/app.slice/web.service'), { kind: 'systemd', id: 'web.service' });
  for (const no of ['user.slice/user-0.slice/user@0.service', 'init.scope', 'system.slice', `x/${DOCKER}`])
    assert.equal(of(no), undefined, no);
});

test('the cgroup files parse as the kernel writes them', () => {
  assert.deepEqual(
    parseIoStat(
      '8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n253:0 rbytes=5 wbytes=6 rios=7 wios=8\n',
    ),
    {
      readBytes: 15n,
      writeBytes: 26n,
      reads: 8n,
      writes: 10n,
    },
  );
  assert.deepEqual(parseBlkio('8:0 Read 100\n8:0 Write 7\n8:0 Sync 9\n8:16 Read 1\nTotal 117\n'), {
    read: 101n,
    write: 7n,
  });
  assert.equal(cpuLimit('150000 100000\n'), 2);
  assert.equal(cpuLimit('max 100000\n'), undefined);
  assert.equal(countCpus('0-3,8,10-11\n'), 7);
  assert.equal(countCpus(''), undefined);
});

test('hsflowd numbering: 100000 + FNV-1a of the UUID (signed chars) mod 50000, next free on a collision', () => {
  // The expected numbers come from the same hash compiled in C (gcc, x86-64: char is signed).
  const uuid = new Uint8Array([
    0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 0x80, 0x7f, 0xff, 0, 0x10, 0x20, 0x30, 0x40,
  ]);
  assert.equal(uuidHash(uuid), 2437943469);
  assert.equal(preferredIndex(uuid), 143469);
  const t = new ContainerTracker();
  assert.equal(t.index('a', uuid), 143469);
  assert.equal(t.index('b', uuid), 143470, 'a collision takes the next index');
  assert.equal(t.index('a', uuid), 143469, 'a container keeps its index');
  t.keepOnly(new Set(['b']));
  assert.equal(t.index('c', uuid), 143469, 'a gone container frees its index');
});

test('a v2 host: every field from its cgroup files, names from the engines, net from the namespace', async (t) => {
  const docker = `sys/fs/cgroup/system.slice/docker-${DOCKER}.scope`;
  const pod = 'sys/fs/cgroup/kubepods.slice/kubepods-pod9.slice';
  const root = await tree({
    ...HOST,
    'sys/fs/cgroup/cgroup.controllers': 'cpu io memory pids\n',
    [`${docker}/cgroup.events`]: 'populated 1\nfrozen 1\n',
    [`${docker}/cgroup.procs`]: '4242\n',
    [`${docker}/cpu.stat`]: 'usage_usec 7654321\nuser_usec 6000000\nsystem_usec 1654321\n',
    [`${docker}/cpu.max`]: '250000 100000\n',
    [`${docker}/memory.current`]: '123456789\n',
    [`${docker}/memory.max`]: `${2n * GIB}\n`,
    [`${docker}/io.stat`]: '8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n',
    [`var/lib/docker/containers/${DOCKER}/config.v2.json`]: JSON.stringify({
      Name: '/web',
      Config: { Hostname: 'web-host' },
    }),
    'proc/4242/net/dev': `Inter-|   Receive |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 999 9 0 0 0 0 0 0 999 9 0 0 0 0 0 0
  eth0: 1000 10 1 2 0 0 0 0 2000 20 3 4 0 0 0 0
`,
    // Two containers of one pod: one hostname, made unique with their short ids.
    ...Object.fromEntries(
      [POD_A, POD_B].flatMap((id) => [
        [`${pod}/cri-containerd-${id}.scope/cgroup.events`, 'populated 1\nfrozen 0\n'],
        [`${pod}/cri-containerd-${id}.scope/cpu.stat`, 'usage_usec 1000\n'],
        [`${pod}/cri-containerd-${id}.scope/memory.current`, '1000\n'],
        [`${pod}/cri-containerd-${id}.scope/memory.max`, 'max\n'],
        [`${pod}/cri-containerd-${id}.scope/io.stat`, ''],
        [`run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}/config.json`, '{"hostname":"shop-7f9"}'],
      ]),
    ),
    'sys/fs/cgroup/system.slice/ssh.service/cgroup.events': 'populated 1\nfrozen 0\n',
    'sys/fs/cgroup/system.slice/ssh.service/cpu.stat': 'usage_usec 5000\n',
    'sys/fs/cgroup/system.slice/gone.service/cgroup.events': 'populated 0\nfrozen 0\n',
  });
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'proc/1/ns'), { recursive: true });
  await mkdir(join(root, 'proc/4242/ns'), { recursive: true });
  await symlink('net:[4026531840]', join(root, 'proc/1/ns/net'));
  await symlink('net:[4026532999]', join(root, 'proc/4242/ns/net'));

  const all = await readContainerCounters(root);
  assert.deepEqual(all.map((c) => c.name).sort(), [
    'shop-7f9.b1b1b1b1b1b1',
    'shop-7f9.b2b2b2b2b2b2',
    'ssh.service',
    'web',
  ]);
  const web = all.find((c) => c.name === 'web');
  assert.equal(web?.kind, 'docker');
  assert.equal(web?.index, preferredIndex(new Uint8Array(Buffer.from(DOCKER.slice(0, 32), 'hex'))));
  assert.deepEqual(
    web?.records.map((r) => r.tag),
    ['0:2000', '0:2002', '0:2101', '0:2102', '0:2103', '0:2104'],
  );
  const descr = record(web, 'host_descr');
  assert.equal(descr.hostname, 'web');
  assert.deepEqual(
    descr.uuid,
    new Uint8Array(Buffer.from('aa'.repeat(16), 'hex')),
    "the id's first 16 bytes",
  );
  assert.equal(descr.osRelease, '6.1.0-test');
  assert.deepEqual(record(web, 'host_parent'), { containerType: 2, containerIndex: 1 });
  assert.deepEqual(record(web, 'virt_cpu'), { state: 3, cpuTime: 7654, nrVirtCpu: 3 }, 'frozen: paused');
  assert.deepEqual(record(web, 'virt_memory'), { memory: 123456789n, maxMemory: 2n * GIB });
  assert.deepEqual(record(web, 'virt_disk_io'), {
    capacity: 0n,
    allocation: 0n,
    available: 0n,
    rdReq: 1,
    rdBytes: 4096n,
    wrReq: 2,
    wrBytes: 8192n,
    errs: 0,
  });
  assert.deepEqual(record(web, 'virt_net_io'), {
    rxBytes: 1000n,
    rxPackets: 10,
    rxErrs: 1,
    rxDrop: 2,
    txBytes: 2000n,
    txPackets: 20,
    txErrs: 3,
    txDrop: 4,
  });

  const shop = all.find((c) => c.id === POD_A);
  assert.equal(shop?.kind, 'containerd');
  assert.deepEqual(
    record(shop, 'virt_memory'),
    { memory: 1000n, maxMemory: 8n * GIB },
    'no limit: the host memory',
  );
  assert.equal(record(shop, 'virt_cpu').nrVirtCpu, 4, 'no quota: every CPU of the host');
  assert.equal(
    shop?.records.find((r) => r.name === 'virt_net_io'),
    undefined,
    'no namespace of its own: no net',
  );

  const ssh = all.find((c) => c.kind === 'systemd');
  assert.deepEqual(record(ssh, 'host_descr').uuid, uuidV5(hostUuid(undefined, MACHINE_ID), 'ssh.service'));

  // Only the modules asked for.
  const services = await readContainerCounters(root, { modules: { systemd: {} } });
  assert.deepEqual(
    services.map((c) => c.name),
    ['ssh.service'],
  );
  const dockerOnly = await readContainerCounters(root, { modules: { docker: { hostname: true } } });
  assert.deepEqual(
    dockerOnly.map((c) => c.name),
    ['web-host'],
    'docker { hostname = on }',
  );
});

test('a hybrid host: v1 controllers at the same path, else the processes, kept when one exits', async (t) => {
  const v1 = (c: string) => `sys/fs/cgroup/${c}/system.slice/db.service`;
  const root = await tree({
    ...HOST,
    'sys/fs/cgroup/unified/cgroup.controllers': '',
    'sys/fs/cgroup/unified/system.slice/db.service/cgroup.events': 'populated 1\nfrozen 0\n',
    'sys/fs/cgroup/unified/system.slice/db.service/cgroup.procs': '10\n11\n',
    'sys/fs/cgroup/cpuacct/cgroup.procs': '',
    'sys/fs/cgroup/memory/cgroup.procs': '',
    [`${v1('cpuacct')}/cpuacct.usage`]: '2500000000\n',
    [`${v1('memory')}/memory.usage_in_bytes`]: '5000\n',
    [`${v1('memory')}/memory.limit_in_bytes`]: '9223372036854771712\n',
    'proc/10/stat': '10 (db) S 1 10 10 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 111 0 0\n',
    'proc/10/io': 'rchar: 1\nwchar: 2\nread_bytes: 4096\nwrite_bytes: 1000\n',
    'proc/11/stat': '11 (db worker) S 1 10 10 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 222 0 0\n',
    'proc/11/io': 'read_bytes: 0\nwrite_bytes: 500\n',
  });
  t.after(() => rm(root, { recursive: true, force: true }));
  const tracker = new ContainerTracker();
  const [db] = await readContainerCounters(root, { modules: { systemd: {} }, tracker });
  assert.equal(record(db, 'virt_cpu').cpuTime, 2500, 'cpuacct.usage, ns');
  assert.deepEqual(
    record(db, 'virt_memory'),
    { memory: 5000n, maxMemory: 8n * GIB },
    "v1's no-limit: host memory",
  );
  assert.equal(record(db, 'virt_disk_io').wrBytes, 1500n, 'no blkio: the processes');
  assert.equal(record(db, 'virt_disk_io').rdBytes, 4096n);

  // The worker exits and the main process writes 100 more: the total keeps the worker's 500.
  await writeFile(join(root, 'sys/fs/cgroup/unified/system.slice/db.service/cgroup.procs'), '10\n');
  await writeFile(join(root, 'proc/10/io'), 'read_bytes: 4096\nwrite_bytes: 1100\n');
  const [again] = await readContainerCounters(root, { modules: { systemd: {} }, tracker });
  assert.equal(record(again, 'virt_disk_io').wrBytes, 1600n);
  assert.equal(again.index, db.index);
});
