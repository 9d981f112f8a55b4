/**
 * Keeps Open vSwitch's sFlow in step with the host agent (`ovs { }` in hsflowd.conf), as hsflowd's mod_ovs
 * and the older sflowovsd do: at each configuration change (file, SIGHUP, DNS-SD) and every `checkSeconds`
 * (60, as mod_ovs; new bridges are picked up then), OVS is read and, only where it differs, set in one
 * transaction (ovs-sflow.ts plans it). Turning `ovs` off, or stopping, clears the bridges that carry our record;
 * mod_ovs clears every bridge's sFlow on exit, ours only what we set. A failure is logged (once until it
 * changes) and retried at the next check; it never reaches the agent.
 */
import type { Logger } from 'pino';
import {
  desiredColumns,
  type OvsSflowSettings,
  parseState,
  planSync,
  READ_STATE,
  type SflowColumns,
  type SyncPlan,
} from './ovs-sflow.js';
import { findOvsVsctl, parseTables, type VsctlInvocation, vsctl } from './ovs-vsctl.js';

export interface OvsSyncOptions {
  /** ovs-vsctl to run; by default looked for in PATH and the usual directories, at each check until found. */
  vsctl?: string;
  /** Options before each command: `--db=unix:/path/db.sock` for an OVS other than the system's. */
  vsctlOptions?: string[];
  /** For each ovs-vsctl run (10). */
  timeoutSeconds?: number;
  /** How often OVS is read again (60, as mod_ovs). */
  checkSeconds?: number;
  log?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
}

export interface OvsSyncResult {
  status: 'unchanged' | 'changed' | 'no-ovs-vsctl' | 'failed';
  action?: SyncPlan['action'];
  bridges?: string[];
  error?: string;
}

export class OvsSync {
  private want: SflowColumns | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastError: string | undefined;
  private warnedMissing = false;
  readonly counts = { checks: 0, writes: 0, errors: 0 };

  constructor(private readonly o: OvsSyncOptions = {}) {}

  /** New settings (undefined: `ovs` turned off); resolves when OVS has been checked with them. */
  configure(settings: OvsSflowSettings | undefined): Promise<OvsSyncResult> {
    if (this.stopped) return Promise.resolve({ status: 'unchanged' });
    this.want = desiredColumns(settings);
    return this.sync();
  }

  /** Reads OVS and sets what differs, after any check under way (checks never overlap). */
  sync(): Promise<OvsSyncResult> {
    const run = this.queue.then(() => this.once());
    this.queue = run;
    return run;
  }

  /** Clears our sFlow from OVS; nothing is checked after. */
  stop(): Promise<OvsSyncResult> {
    this.stopped = true;
    this.want = undefined;
    clearTimeout(this.timer);
    return this.sync();
  }

  private async once(): Promise<OvsSyncResult> {
    clearTimeout(this.timer);
    const result = await this.check();
    // Checked again while there is something to keep (bridges come and go) or a failure to retry.
    if (!this.stopped && (this.want !== undefined || result.status === 'failed')) {
      this.timer = setTimeout(() => void this.sync(), (this.o.checkSeconds ?? 60) * 1000);
      this.timer.unref();
    }
    return result;
  }

  private async check(): Promise<OvsSyncResult> {
    const log = this.o.log;
    const file = this.o.vsctl ?? findOvsVsctl();
    if (file === undefined) {
      if (this.want !== undefined && !this.warnedMissing)
        log?.warn('ovs { } is set but ovs-vsctl is not installed; Open vSwitch is not configured');
      this.warnedMissing = this.want !== undefined;
      return { status: 'no-ovs-vsctl' };
    }
    const inv: VsctlInvocation = {
      file,
      options: this.o.vsctlOptions ?? [],
      timeoutSeconds: this.o.timeoutSeconds ?? 10,
    };
    this.counts.checks++;
    try {
      const plan = planSync(parseState(parseTables(await vsctl(inv, READ_STATE))), this.want);
      if (this.lastError !== undefined) log?.info('Open vSwitch answers again');
      this.lastError = undefined;
      if (plan.args === undefined) return { status: 'unchanged', action: plan.action, bridges: plan.bridges };
      log?.debug({ args: plan.args }, 'ovs-vsctl');
      await vsctl(inv, plan.args);
      this.counts.writes++;
      log?.info(
        { action: plan.action, bridges: plan.bridges, sflow: this.want ?? 'off' },
        'Open vSwitch sFlow',
      );
      return { status: 'changed', action: plan.action, bridges: plan.bridges };
    } catch (e) {
      this.counts.errors++;
      const error = (e as Error).message;
      if (error !== this.lastError)
        log?.error({ error }, 'cannot configure Open vSwitch sFlow; tried again at the next check');
      this.lastError = error;
      return { status: 'failed', error };
    }
  }
}
