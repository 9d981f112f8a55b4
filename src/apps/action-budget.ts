/**
 * The fail-safe of a controller (seed "Delay and stability": a controller must stay within safe operating
 * limits, since a loop that acts on its own actions' effects can run away). A budget of control actions per
 * sliding time window, per target and overall; the first action over either budget trips it into safe mode,
 * where no action is allowed until an operator resets it.
 */
export interface BudgetLimits {
  /** The window, in seconds. */
  windowSeconds: number;
  /** Most actions on one target (one switch) within the window. */
  perTarget: number;
  /** Most actions overall within the window. */
  overall: number;
}

export interface BudgetState {
  safeMode: boolean;
  /** Why and when it tripped. */
  reason?: string;
  since?: number;
  /** Actions taken in the current window, overall. */
  recent: number;
  /** Actions refused since it tripped. */
  refused: number;
}

export class ActionBudget {
  private readonly times: number[] = [];
  private readonly byTarget = new Map<string, number[]>();
  private tripped: { reason: string; since: number } | undefined;
  private refused = 0;

  constructor(private readonly limits: BudgetLimits) {}

  /**
   * Whether an action on `target` may be taken at `now` (ms); if so it is counted. The first one over budget
   * trips safe mode, and `onTrip` learns why.
   */
  take(target: string, now: number, onTrip: (reason: string) => void): boolean {
    if (this.tripped) {
      this.refused++;
      return false;
    }
    const since = now - this.limits.windowSeconds * 1000;
    prune(this.times, since);
    const mine = this.byTarget.get(target) ?? [];
    prune(mine, since);
    let reason: string | undefined;
    if (mine.length >= this.limits.perTarget)
      reason = `${mine.length + 1} actions on ${target} within ${this.limits.windowSeconds} s (budget ${this.limits.perTarget})`;
    else if (this.times.length >= this.limits.overall)
      reason = `${this.times.length + 1} actions within ${this.limits.windowSeconds} s (budget ${this.limits.overall})`;
    if (reason !== undefined) {
      this.tripped = { reason, since: now };
      this.refused++;
      onTrip(reason);
      return false;
    }
    this.times.push(now);
    mine.push(now);
    this.byTarget.set(target, mine);
    return true;
  }

  get safeMode(): boolean {
    return this.tripped !== undefined;
  }

  /** Leaves safe mode (an operator's decision) with a fresh window. */
  reset(): void {
    this.tripped = undefined;
    this.refused = 0;
    this.times.length = 0;
    this.byTarget.clear();
  }

  state(): BudgetState {
    return {
      safeMode: this.tripped !== undefined,
      ...(this.tripped ? { reason: this.tripped.reason, since: this.tripped.since } : {}),
      recent: this.times.length,
      refused: this.refused,
    };
  }
}

function prune(times: number[], since: number): void {
  let old = 0;
  while (old < times.length && times[old] < since) old++;
  if (old > 0) times.splice(0, old);
}
