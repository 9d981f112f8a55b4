/**
 * Running Open vSwitch's `ovs-vsctl`: found where packages put it, run through execFile with an argument array
 * (no shell: bridge names and addresses are never parsed by one) and a timeout, its `--format=json` tables read
 * into plain values. ovs-vsctl is the one interface hsflowd's mod_ovs uses too; speaking OVSDB's JSON-RPC
 * ourselves would save a process per check but tie us to the schema's wire details.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** ovs-vsctl from PATH, or from the directories packages use that a daemon's PATH may lack; undefined if none. */
export function findOvsVsctl(path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter).filter(Boolean), '/usr/bin', '/usr/sbin', '/usr/local/bin', '/bin'];
  for (const dir of dirs) {
    const file = join(dir, 'ovs-vsctl');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
}

export interface VsctlInvocation {
  /** The program (a path, or a name looked up in PATH). */
  file: string;
  /** Options before every command, such as `--db=unix:/run/openvswitch/db.sock`. */
  options: readonly string[];
  timeoutSeconds: number;
}

/**
 * ovs-vsctl's stdout. `--timeout` makes ovs-vsctl give up by itself (it otherwise waits for ovs-vswitchd to
 * apply a change, forever when the daemon is down); execFile's timeout is the backstop if it does not.
 */
export function vsctl(inv: VsctlInvocation, args: readonly string[]): Promise<string> {
  const argv = [...inv.options, `--timeout=${inv.timeoutSeconds}`, ...args];
  return new Promise((resolve, reject) => {
    execFile(
      inv.file,
      argv,
      { timeout: (inv.timeoutSeconds + 2) * 1000, killSignal: 'SIGKILL', maxBuffer: 4 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          const why = stderr.trim() || error.message;
          reject(new Error(`ovs-vsctl ${args.join(' ')}: ${why}`));
        } else resolve(stdout);
      },
    );
  });
}

/** An OVSDB value as `--format=json` prints it: an atom, or a tagged uuid, set or map. */
export type OvsdbJson = string | number | boolean | [string, unknown];

/** One `--format=json` table: each row as column → value. */
export type OvsdbRow = Record<string, OvsdbJson>;

/** The tables of one ovs-vsctl run, one JSON object a line, in the order of its commands. */
export function parseTables(stdout: string): OvsdbRow[][] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const t = JSON.parse(line) as { headings: string[]; data: OvsdbJson[][] };
      return t.data.map((row) => Object.fromEntries(t.headings.map((h, i) => [h, row[i]])));
    });
}

/** The members of a set column (a single member prints as a bare atom). */
export function setOf(v: OvsdbJson | undefined): OvsdbJson[] {
  if (v === undefined) return [];
  if (Array.isArray(v) && v[0] === 'set') return v[1] as OvsdbJson[];
  return [v];
}

/** An optional column's value (a set of 0 or 1), with uuids as their text. */
export function optional(v: OvsdbJson | undefined): string | number | boolean | undefined {
  const [one] = setOf(v);
  if (Array.isArray(one)) return one[0] === 'uuid' ? String(one[1]) : undefined;
  return one;
}

export function mapOf(v: OvsdbJson | undefined): Record<string, string> {
  if (!Array.isArray(v) || v[0] !== 'map') return {};
  return Object.fromEntries((v[1] as [string, string][]).map(([k, x]) => [String(k), String(x)]));
}
