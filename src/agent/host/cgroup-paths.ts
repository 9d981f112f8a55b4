/**
 * Where the containers and services are: the cgroup v2 hierarchy (/sys/fs/cgroup, or /sys/fs/cgroup/unified
 * on a hybrid host), walked once for the cgroups that Docker, containerd (and Kubernetes over it) and systemd
 * create, recognized by their names, as hsflowd's docker, containerd and systemd modules see them:
 *
 * - Docker: `…/docker-<64 hex>.scope` (the systemd cgroup driver) or `docker/<64 hex>` (cgroupfs).
 * - containerd: `…/cri-containerd-<hex>.scope` (Kubernetes, systemd driver), `…/nerdctl-<hex>.scope`, and
 *   `kubepods…/pod<uid>/<64 hex>` (Kubernetes, cgroupfs driver).
 * - systemd: `system.slice/…/<unit>.service`, as hsflowd's systemd module takes only system services.
 *
 * On a hybrid host the v1 controllers (cpuacct, memory, blkio) are mounted beside, and systemd keeps the same
 * path in each; cgroup-stats.ts reads them where the v2 files are missing. A pure v1 host (no v2 hierarchy) has
 * no containers here, nor does Docker's cgroupfs driver on a hybrid host (it leaves the v2 hierarchy alone).
 */
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export type ContainerKind = 'docker' | 'containerd' | 'systemd';

/** The v2 hierarchy, and the v1 controllers of a hybrid host. */
export interface CgroupMounts {
  v2: string;
  v1: { cpuacct?: string; memory?: string; blkio?: string };
}

/** A cgroup that stands for a container or a service. */
export interface CgroupEntry {
  kind: ContainerKind;
  /** The container's id (hex) or the service's unit name. */
  id: string;
  /** Relative to the v2 hierarchy, without a leading slash. */
  path: string;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The cgroup hierarchies of the host whose /sys is under `root`; undefined without cgroup v2. */
export async function findCgroupMounts(root: string): Promise<CgroupMounts | undefined> {
  const base = join(root, 'sys/fs/cgroup');
  if (await exists(join(base, 'cgroup.controllers'))) return { v2: base, v1: {} };
  const unified = join(base, 'unified');
  if (!(await exists(join(unified, 'cgroup.controllers')))) return undefined;
  const v1: CgroupMounts['v1'] = {};
  for (const c of ['cpuacct', 'memory', 'blkio'] as const)
    if (await exists(join(base, c, 'cgroup.procs'))) v1[c] = join(base, c);
  return { v2: unified, v1 };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** What the cgroup at `path` (segments of its relative path) stands for, or undefined. */
export function classify(segments: readonly string[]): Omit<CgroupEntry, 'path'> | undefined {
  const last = segments.at(-1) ?? '';
  const parent = segments.at(-2) ?? '';
  let m = /^docker-([0-9a-f]{64})\.scope$/.exec(last);
  if (m) return { kind: 'docker', id: m[1] };
  if (parent === 'docker' && HEX64.test(last)) return { kind: 'docker', id: last };
  m = /^(?:cri-containerd|nerdctl)-([0-9a-f]{12,64})\.scope$/.exec(last);
  if (m) return { kind: 'containerd', id: m[1] };
  if (segments[0]?.startsWith('kubepods') && parent.startsWith('pod') && HEX64.test(last))
    return { kind: 'containerd', id: last };
  if (segments[0] === 'system.slice' && segments.length >= 2 && last.endsWith('.service'))
    return { kind: 'systemd', id: last };
  return undefined;
}

/** Deep enough for Kubernetes' `kubepods.slice/kubepods-burstable.slice/…-pod<uid>.slice/<container>`. */
const MAX_DEPTH = 6;
/** A bound on the walk, whatever the host has made of its hierarchy. */
const MAX_DIRS = 20_000;

/**
 * The cgroups of the kinds asked for, in walk order. A cgroup recognized as a container is not walked into
 * (its own sub-cgroups are its business), whether or not its kind was asked for.
 */
export async function findContainers(v2: string, kinds: ReadonlySet<ContainerKind>): Promise<CgroupEntry[]> {
  const found: CgroupEntry[] = [];
  let visited = 0;
  const walk = async (segments: string[]): Promise<void> => {
    if (segments.length >= MAX_DEPTH || visited >= MAX_DIRS) return;
    const entries = await readdir(join(v2, ...segments), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isDirectory() || visited++ >= MAX_DIRS) continue;
      const sub = [...segments, e.name];
      const what = classify(sub);
      if (what === undefined) await walk(sub);
      else if (kinds.has(what.kind)) found.push({ ...what, path: sub.join('/') });
    }
  };
  await walk([]);
  return found;
}
