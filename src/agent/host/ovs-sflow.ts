/**
 * What Open vSwitch's sFlow should be, what it is, and the one ovs-vsctl transaction between the two, as
 * hsflowd's mod_ovs keeps it (github.com/sflow/host-sflow src/Linux/mod_ovs.c): every bridge points at one
 * sFlow record with the host agent's collectors, `sampling`, polling interval, `headerBytes` and agent
 * address, so that OVS's own datagrams reach the same collectors from the same agent. Pure: ovs-sync.ts runs
 * the commands.
 */
import { isIP } from 'node:net';
import type { Collector } from '../exporter.js';
import { mapOf, type OvsdbRow, optional, setOf } from './ovs-vsctl.js';

export interface OvsSflowSettings {
  collectors: Collector[];
  /** 1-in-N: hsflowd gives OVS the `sampling` setting, not a per-speed rate (OVS has one rate a bridge). */
  sampling: number;
  polling: number;
  headerBytes: number;
  /** An IP address or a device name (OVS then uses the device's address). */
  agent?: string;
}

/** The mark on the record we set, so that turning off removes ours and nobody else's. */
export const OURS = { key: 'sflowkit', value: 'host-agent' } as const;

/** The columns of the sFlow table we set, as OVS stores them (targets sorted: a set). */
export interface SflowColumns {
  agent?: string;
  header?: number;
  polling?: number;
  sampling?: number;
  targets: string[];
}

export interface SflowRecord extends SflowColumns {
  uuid: string;
  ours: boolean;
}

export interface BridgeRow {
  name: string;
  /** The uuid of the bridge's sFlow record, if it has one. */
  sflow?: string;
}

export interface OvsState {
  records: SflowRecord[];
  bridges: BridgeRow[];
}

/** The read, in one ovs-vsctl run (one snapshot of the database): the sFlow records, then the bridges. */
export const READ_STATE = [
  '--format=json',
  '--',
  '--columns=_uuid,agent,header,polling,sampling,targets,external_ids',
  'list',
  'sflow',
  '--',
  // `list bridge`, not `list-br`: list-br names VLAN fake bridges too, which have no sflow column (mod_ovs's
  // history says so).
  '--columns=name,sflow',
  'list',
  'bridge',
];

export function parseState(tables: OvsdbRow[][]): OvsState {
  const [sflow = [], bridge = []] = tables;
  const num = (v: OvsdbRow[string]) => {
    const x = optional(v);
    return typeof x === 'number' ? x : undefined;
  };
  return {
    records: sflow.map((r) => {
      const agent = optional(r.agent);
      return {
        uuid: String(optional(r._uuid)),
        ...(typeof agent === 'string' ? { agent } : {}),
        ...defined({ header: num(r.header), polling: num(r.polling), sampling: num(r.sampling) }),
        targets: setOf(r.targets).map(String).sort(),
        ours: mapOf(r.external_ids)[OURS.key] === OURS.value,
      };
    }),
    // OVSDB lists rows in no set order; by name, the logs and the transactions read the same each time.
    bridges: bridge
      .map((b) => {
        const sflow = optional(b.sflow);
        return { name: String(b.name), ...(typeof sflow === 'string' ? { sflow } : {}) };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** OVS's target syntax: `IP:PORT`, IPv6 in brackets (hsflowd prints it bare, which OVS cannot parse). */
export function ovsTarget(c: Collector): string {
  return isIP(c.address) === 6 ? `[${c.address}]:${c.port}` : `${c.address}:${c.port}`;
}

/**
 * The columns to set, or undefined when OVS should have no sFlow of ours: no collector, or neither sampling
 * nor polling (hsflowd's rule).
 */
export function desiredColumns(s: OvsSflowSettings | undefined): SflowColumns | undefined {
  if (s === undefined || s.collectors.length === 0 || (s.sampling === 0 && s.polling === 0)) return undefined;
  return {
    ...(s.agent ? { agent: s.agent } : {}),
    header: s.headerBytes,
    polling: s.polling,
    sampling: s.sampling,
    targets: [...new Set(s.collectors.map(ovsTarget))].sort(),
  };
}

/** What one sync does: the ovs-vsctl arguments of one transaction, or none when OVS is as it should be. */
export interface SyncPlan {
  args?: string[];
  /** The bridges the transaction points at our record (or clears). */
  bridges: string[];
  /** Whether the record is created, its columns changed, or (turning off) ours cleared. */
  action: 'none' | 'create' | 'update' | 'repoint' | 'clear';
}

/** The transaction from `state` to `want` (undefined: remove ours). */
export function planSync(state: OvsState, want: SflowColumns | undefined): SyncPlan {
  const ours = new Set(state.records.filter((r) => r.ours).map((r) => r.uuid));
  if (want === undefined) {
    const bridges = state.bridges
      .filter((b) => b.sflow !== undefined && ours.has(b.sflow))
      .map((b) => b.name);
    return bridges.length === 0
      ? { bridges, action: 'none' }
      : { args: bridges.flatMap((b) => ['--', 'clear', 'bridge', b, 'sflow']), bridges, action: 'clear' };
  }
  // A record nobody points at is garbage-collected by OVSDB (sFlow is not a root table): make none.
  if (state.bridges.length === 0) return { bridges: [], action: 'none' };
  const inUse = new Set(state.bridges.map((b) => b.sflow));
  const keep = state.records.find((r) => r.ours && inUse.has(r.uuid)) ?? state.records.find((r) => r.ours);
  const args: string[] = [];
  let ref: string;
  let action: SyncPlan['action'] = 'none';
  if (keep === undefined) {
    // Bridges with someone else's record are taken over as hsflowd does; that record then goes unreferenced.
    ref = '@sflow';
    args.push('--', `--id=${ref}`, 'create', 'sflow', ...assignments(want, undefined));
    args.push(`external_ids:${OURS.key}=${OURS.value}`);
    action = 'create';
  } else {
    ref = keep.uuid;
    const changed = assignments(want, keep);
    if (changed.length > 0) {
      args.push('--', 'set', 'sflow', ref, ...changed);
      action = 'update';
    }
    if (want.agent === undefined && keep.agent !== undefined) {
      args.push('--', 'clear', 'sflow', ref, 'agent');
      action = 'update';
    }
  }
  const bridges = state.bridges.filter((b) => b.sflow !== ref).map((b) => b.name);
  for (const b of bridges) args.push('--', 'set', 'bridge', b, `sflow=${ref}`);
  if (action === 'none' && bridges.length > 0) action = 'repoint';
  return args.length === 0 ? { bridges, action } : { args, bridges, action };
}

/** `column=value` for each column of `want` that `have` lacks or differs in; strings quoted as OVSDB reads them. */
function assignments(want: SflowColumns, have: SflowColumns | undefined): string[] {
  const out: string[] = [];
  if (want.agent !== undefined && want.agent !== have?.agent) out.push(`agent=${JSON.stringify(want.agent)}`);
  for (const k of ['header', 'polling', 'sampling'] as const)
    if (want[k] !== have?.[k]) out.push(`${k}=${want[k]}`);
  if (have === undefined || want.targets.join('\n') !== have.targets.join('\n'))
    out.push(`targets=[${want.targets.map((t) => JSON.stringify(t)).join(',')}]`);
  return out;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** OVS's settings from the host agent's, as mod_ovs reads them: the agent's collectors and address. */
export function ovsSettingsFrom(
  config: { sampling: number; polling: number; headerBytes: number },
  agent: { agentAddress: string; collectors: Collector[] },
): OvsSflowSettings {
  return {
    collectors: agent.collectors,
    sampling: config.sampling,
    polling: config.polling,
    headerBytes: config.headerBytes,
    agent: agent.agentAddress,
  };
}
