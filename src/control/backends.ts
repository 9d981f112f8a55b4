/**
 * The back-ends that apply the stored ACLs, behind one interface: commit() makes what is applied match what is
 * stored, or throws BackendError with the back-end's own message. cl-acltool (Cumulus Linux, the seed's: it
 * reads the whole policy directory itself), iptables (plain Linux: iptables-backend.ts), and dry-run (files
 * only). Any program can stand in as a command back-end, which is how the tests make one fail for real.
 */
import type { AclStore } from './acl-store.js';
import { BackendError, tidy } from './backend-error.js';
import { IptablesBackend } from './iptables-backend.js';
import { CommandError, howItEnded, runCommand } from './run-command.js';

export interface Backend {
  /** What the status route and the logs call it. */
  readonly name: string;
  /** Applies every stored ACL; rejects with BackendError when the back-end refuses. */
  commit(): Promise<void>;
}

export { BackendError } from './backend-error.js';

export const BACKEND_NAMES = ['cl-acltool', 'iptables', 'dry-run'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Writes files and applies nothing: to try the API, or to leave applying to another tool that reads the dir. */
export class DryRunBackend implements Backend {
  readonly name = 'dry-run';
  async commit(): Promise<void> {}
}

/** A program that applies the ACL directory when run (`cl-acltool -i`); a non-zero exit is a refusal. */
export class CommandBackend implements Backend {
  constructor(
    readonly name: string,
    private readonly argv: readonly string[],
    private readonly timeoutMs = 60_000,
  ) {}

  async commit(): Promise<void> {
    let r: Awaited<ReturnType<typeof runCommand>>;
    try {
      r = await runCommand(this.argv, { timeoutMs: this.timeoutMs });
    } catch (e) {
      throw new BackendError(e instanceof CommandError ? e.message : String(e));
    }
    if (r.code !== 0) throw new BackendError(`${this.argv[0]} (${howItEnded(r)}): ${tidy(r.output)}`);
  }
}

export function createBackend(name: BackendName, store: AclStore): Backend {
  switch (name) {
    case 'cl-acltool':
      return new CommandBackend('cl-acltool', ['cl-acltool', '-i']);
    case 'iptables':
      return new IptablesBackend(store);
    case 'dry-run':
      return new DryRunBackend();
  }
}
