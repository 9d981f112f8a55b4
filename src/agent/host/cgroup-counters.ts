/**
 * Containers and services as virtual nodes, as hsflowd's docker, containerd and systemd modules send them:
 * each one found in the cgroup v2 hierarchy (cgroup-paths.ts) is data source 3:N (cgroup-tracker.ts numbers
 * them) with host_descr, host_parent and the virt_* records (cgroup-records.ts), read from its cgroup's
 * accounting (cgroup-stats.ts) and, where the host has no memory or I/O controller to ask, added up from its
 * processes (cgroup-procs.ts). The agent lists them once a polling interval and reads each when it is due;
 * readContainerCounters does both at once.
 */
import { join } from 'node:path';
import type { KnownCounterRecord } from '../../sflow/model.js';
import type { CounterRecordValue } from '../../sflow/registry.js';
import { containerName, containerUuid, uniqueNames } from './cgroup-names.js';
import {
  type CgroupEntry,
  type CgroupMounts,
  type ContainerKind,
  findCgroupMounts,
  findContainers,
} from './cgroup-paths.js';
import { cgroupPids, namespaceTraffic, type ProcessUse, processUse } from './cgroup-procs.js';
import { vnodeRecords } from './cgroup-records.js';
import { readCgroupStats } from './cgroup-stats.js';
import { ContainerTracker } from './cgroup-tracker.js';
import { readHostDescr } from './host-descr.js';
import type { HostAgentConfig } from './hsflowd-conf-types.js';
import { keyValues, readText } from './proc-text.js';

/** The module blocks of hsflowd.conf that turn containers on: only those present are looked for. */
export type ContainerModules = Pick<HostAgentConfig['modules'], 'docker' | 'containerd' | 'systemd'>;

export const ALL_MODULES: ContainerModules = { docker: {}, containerd: {}, systemd: {} };

export function enabledKinds(m: ContainerModules | undefined): Set<ContainerKind> {
  const kinds = new Set<ContainerKind>();
  if (m?.docker) kinds.add('docker');
  if (m?.containerd) kinds.add('containerd');
  if (m?.systemd) kinds.add('systemd');
  return kinds;
}

/** What every container's sample borrows from its host. */
export interface HostFacts {
  descr: CounterRecordValue<'host_descr'>;
  /** bytes; 0 when /proc/meminfo cannot be read. */
  memTotal: bigint;
  /** The host's CPUs (the `cpuN` lines of /proc/stat). */
  cpus: number;
}

export async function readHostFacts(root: string): Promise<HostFacts> {
  const [descr, meminfo, stat] = await Promise.all([
    readHostDescr(root),
    readText(root, 'proc/meminfo'),
    readText(root, 'proc/stat'),
  ]);
  return {
    descr: descr.value as CounterRecordValue<'host_descr'>,
    memTotal: (keyValues(meminfo ?? '').get('MemTotal') ?? 0n) * 1024n,
    cpus: (stat ?? '').split('\n').filter((l) => /^cpu\d/.test(l)).length,
  };
}

export interface Container extends CgroupEntry {
  /** The data source index: 3:index. */
  index: number;
  name: string;
  uuid: Uint8Array;
  /** The tracker's key. */
  key: string;
}

export interface ContainerList {
  mounts?: CgroupMounts;
  containers: Container[];
}

/** The containers and services now running (a populated cgroup), named and numbered. */
export async function listContainers(
  root: string,
  modules: ContainerModules,
  tracker: ContainerTracker,
  host: HostFacts,
): Promise<ContainerList> {
  const mounts = await findCgroupMounts(root);
  const kinds = enabledKinds(modules);
  if (mounts === undefined || kinds.size === 0) {
    tracker.keepOnly(new Set());
    return { mounts, containers: [] };
  }
  const found = await findContainers(mounts.v2, kinds);
  const live = (
    await Promise.all(
      found.map(async (c) => {
        const events = await readText(mounts.v2, join(c.path, 'cgroup.events'));
        return keyValues(events ?? '').get('populated') === 1n ? c : undefined;
      }),
    )
  ).filter((c) => c !== undefined);
  const named = await Promise.all(
    live.map(async (c) => ({
      ...c,
      name: await containerName(root, c, { dockerHostname: modules.docker?.hostname }),
    })),
  );
  const names = uniqueNames(named);
  const keys = named.map((c) => `${c.kind} ${c.id}`);
  tracker.keepOnly(new Set(keys));
  const containers: Container[] = [];
  named.forEach((c, i) => {
    const uuid = containerUuid(c, host.descr.uuid);
    const index = tracker.index(keys[i], uuid);
    if (index !== undefined) containers.push({ ...c, name: names[i], uuid, index, key: keys[i] });
  });
  return { mounts, containers };
}

/** One container's records; undefined when its cgroup has emptied or gone since it was listed. */
export async function readContainer(
  root: string,
  mounts: CgroupMounts,
  c: Container,
  host: HostFacts,
  tracker: ContainerTracker,
): Promise<KnownCounterRecord[] | undefined> {
  const stats = await readCgroupStats(mounts, c.path);
  if (stats.populated !== true) return undefined;
  const pids = await cgroupPids(join(mounts.v2, c.path));
  // Only without the controllers' own figures: /proc of every process costs more than a cgroup's files.
  const procs: ProcessUse[] =
    stats.memory === undefined || stats.io === undefined
      ? (await Promise.all(pids.map((p) => processUse(root, p)))).filter((p) => p !== undefined)
      : [];
  const byProcess = stats.io === undefined ? tracker.processIo(c.key, procs) : undefined;
  const limit = stats.memoryMax ?? host.memTotal;
  return vnodeRecords(host.descr, {
    name: c.name,
    uuid: c.uuid,
    frozen: stats.frozen,
    cpuUsec: stats.cpuUsec,
    cpus: host.cpus > 0 ? Math.min(stats.cpus ?? host.cpus, host.cpus) : (stats.cpus ?? 0),
    memory: stats.memory ?? procs.reduce((s, p) => s + (p.rss ?? 0n), 0n),
    maxMemory: host.memTotal > 0n && limit > host.memTotal ? host.memTotal : limit,
    io: stats.io ?? {
      readBytes: byProcess?.read ?? 0n,
      writeBytes: byProcess?.write ?? 0n,
      reads: 0n,
      writes: 0n,
    },
    net: await namespaceTraffic(root, pids),
  });
}

export interface ContainerCounters {
  /** The data source index: 3:index. */
  index: number;
  name: string;
  kind: ContainerKind;
  /** The container's id, or the service's unit name. */
  id: string;
  records: KnownCounterRecord[];
}

/**
 * The counters of every container and service of the kinds `modules` turns on (all three by default) on the
 * host whose /proc, /sys, /run and /var are under `root`. Pass the same tracker from poll to poll to keep the
 * indexes and the per-process totals.
 */
export async function readContainerCounters(
  root = '/',
  options: { modules?: ContainerModules; tracker?: ContainerTracker } = {},
): Promise<ContainerCounters[]> {
  const tracker = options.tracker ?? new ContainerTracker();
  const host = await readHostFacts(root);
  const { mounts, containers } = await listContainers(root, options.modules ?? ALL_MODULES, tracker, host);
  if (mounts === undefined) return [];
  const read = await Promise.all(
    containers.map(async (c) => {
      const records = await readContainer(root, mounts, c, host, tracker);
      return records && { index: c.index, name: c.name, kind: c.kind, id: c.id, records };
    }),
  );
  return read.filter((c) => c !== undefined);
}
