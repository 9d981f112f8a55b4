/**
 * What a container or service is called in its host_descr, and its UUID, as hsflowd names them:
 *
 * - Docker: the container's name (its hostname with `docker { hostname = on }`), from the engine's
 *   /var/lib/docker/containers/ID/config.v2.json (hsflowd asks the engine's API for the same); the short id
 *   (12 hex digits) when that file cannot be read. UUID: the id's first 16 bytes, as hsflowd takes it.
 * - containerd: the hostname of the container's OCI spec (/run/containerd/io.containerd.runtime.v2.task/
 *   NAMESPACE/ID/config.json), else the short id. UUID: the id's first 16 bytes.
 * - systemd: the unit name. UUID: an RFC 4122 version 5 UUID of the unit name in the host's UUID as namespace
 *   (hsflowd hashes its agent address in too; here a host keeps its services' UUIDs when its address changes).
 *
 * Names that several containers share (Kubernetes gives every container of a pod the pod's hostname) become
 * NAME.SHORTID, as hsflowd's docker module makes them unique.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupEntry } from './cgroup-paths.js';
import { readText } from './proc-text.js';

const TASKS = 'run/containerd/io.containerd.runtime.v2.task';

export interface NameOptions {
  /** `docker { hostname = on }`: a Docker container's hostname rather than its name. */
  dockerHostname?: boolean;
}

export async function containerName(root: string, c: CgroupEntry, o: NameOptions = {}): Promise<string> {
  if (c.kind === 'systemd') return c.id;
  if (c.kind === 'docker') {
    const config = json(await readText(root, `var/lib/docker/containers/${c.id}/config.v2.json`));
    const name = o.dockerHostname ? config?.Config?.Hostname : config?.Name?.replace(/^\//, '');
    return typeof name === 'string' && name !== '' ? name : shortId(c.id);
  }
  for (const ns of await readdir(join(root, TASKS)).catch(() => [] as string[])) {
    const spec = json(await readText(root, `${TASKS}/${ns}/${c.id}/config.json`));
    if (typeof spec?.hostname === 'string' && spec.hostname !== '') return spec.hostname;
  }
  return shortId(c.id);
}

/** Names made unique: NAME.SHORTID for each that more than one container has. */
export function uniqueNames(named: readonly { id: string; name: string }[]): string[] {
  const count = new Map<string, number>();
  for (const n of named) count.set(n.name, (count.get(n.name) ?? 0) + 1);
  return named.map((n) => ((count.get(n.name) ?? 0) > 1 ? `${n.name}.${shortId(n.id)}` : n.name));
}

export function shortId(id: string): string {
  return /^[0-9a-f]+$/.test(id) ? id.slice(0, 12) : id;
}

export function containerUuid(c: CgroupEntry, hostUuid: Uint8Array): Uint8Array {
  if (c.kind !== 'systemd' && /^[0-9a-f]{32}/.test(c.id))
    return new Uint8Array(Buffer.from(c.id.slice(0, 32), 'hex'));
  return uuidV5(hostUuid, c.id);
}

/** RFC 4122 §4.3: SHA-1 of the namespace's 16 bytes and the name, with version 5 and the RFC variant. */
export function uuidV5(namespace: Uint8Array, name: string): Uint8Array {
  const h = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  const u = new Uint8Array(h.subarray(0, 16));
  u[6] = (u[6] & 0x0f) | 0x50;
  u[8] = (u[8] & 0x3f) | 0x80;
  return u;
}

// biome-ignore lint/suspicious/noExplicitAny: the engines' JSON files, read field by field with checks.
function json(text: string | undefined): any {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
