/**
 * The iptables back-end: the whole ruleset of sflowkit's chains, built from every stored ACL, applied per
 * family with `iptables-restore --noflush`, `ip6tables-restore --noflush` and `ebtables-restore --noflush`
 * (restore-script.ts says which chains and why). Rebuilding from the files on every commit, rather than adding
 * and deleting single rules, means the kernel cannot drift from the files: a commit, a rollback and a restart
 * all converge on the same ruleset.
 *
 * What is atomic: each table of a family is one transaction of its restore tool. Across tables and families
 * it is not, so when a commit fails the batcher rolls the files back and commits again, which rewrites every
 * family from the files as they were. A family is only run when its input changed since it was last applied,
 * so a commit that touches only [iptables] rules costs one iptables-restore.
 *
 * ebtables: ebtables-restore (the nft one ships in Debian's iptables package; ebtables 2.0.11 has a legacy one)
 * is required for [ebtables] rules. Without it they are refused at commit with a message saying so, rather
 * than applied one `ebtables` call at a time, which would leave a half-applied ACL on any failure.
 */
import { type AclStore, checkName } from './acl-store.js';
import { BackendError, tidy } from './backend-error.js';
import type { Backend } from './backends.js';
import { type AclRules, buildScript, type Installed, parseSave } from './restore-script.js';
import { FAMILIES, type Family } from './rule-allowlist.js';
import { checkAcl } from './rule-check.js';
import { CommandError, howItEnded, runCommand } from './run-command.js';

export interface FamilyTools {
  save: readonly string[];
  restore: readonly string[];
}

/** The programs of each family. `-w 5`: wait up to 5 s for the xtables lock that iptables-legacy takes. */
export const DEFAULT_TOOLS: Record<Family, FamilyTools> = {
  iptables: { save: ['iptables-save'], restore: ['iptables-restore', '--noflush', '-w', '5'] },
  ip6tables: { save: ['ip6tables-save'], restore: ['ip6tables-restore', '--noflush', '-w', '5'] },
  ebtables: { save: ['ebtables-save'], restore: ['ebtables-restore', '--noflush'] },
};

export class IptablesBackend implements Backend {
  readonly name = 'iptables';
  /** Our chains and hooks per family, as last known; unknown (read again from *-save) after a failure. */
  private readonly installed = new Map<Family, Installed>();
  /** The input each family last applied successfully. */
  private readonly applied = new Map<Family, string>();

  constructor(
    private readonly store: AclStore,
    private readonly tools: Record<Family, FamilyTools> = DEFAULT_TOOLS,
    private readonly timeoutMs = 30_000,
  ) {}

  async commit(): Promise<void> {
    const acls = await this.readAcls();
    for (const family of FAMILIES) {
      const mine = acls.filter((a) => a.rules.some((r) => r.family === family));
      const installed = await this.installedOf(family, mine);
      if (installed === undefined) continue;
      const script = buildScript(family, acls, installed);
      if (script.text === '' || script.text === this.applied.get(family)) continue;
      try {
        await this.run(family, this.tools[family].restore, script.text, mine);
      } catch (e) {
        this.installed.delete(family);
        this.applied.delete(family);
        const at = /line:? (\d+)/.exec(e instanceof Error ? e.message : '');
        const origin = at ? script.origins.get(Number(at[1])) : undefined;
        if (origin === undefined || !(e instanceof BackendError)) throw e;
        throw new BackendError(`${e.message} [ACL ${origin.acl}, line ${origin.line}]`);
      }
      this.installed.set(family, script.after);
      // What the next commit would send for the same ACLs: the hooks are in place now.
      this.applied.set(family, buildScript(family, acls, script.after).text);
    }
  }

  /** Every stored ACL, checked again: a file edited by hand must not reach the kernel unchecked. */
  private async readAcls(): Promise<AclRules[]> {
    const out: AclRules[] = [];
    for (const name of await this.store.list()) {
      checkName(name);
      const lines = (await this.store.read(name)) ?? [];
      const r = checkAcl(lines);
      if (!r.ok) {
        const p = r.problems[0];
        throw new BackendError(`${this.store.path(name)} line ${p.line}: ${p.reason}`);
      }
      out.push({ name, rules: r.rules });
    }
    return out;
  }

  /**
   * Our chains and hooks in a family, from its save tool when not known. Undefined when the family has no tool
   * and nothing to apply: a host without ebtables can still take [iptables] rules.
   */
  private async installedOf(family: Family, acls: readonly AclRules[]): Promise<Installed | undefined> {
    const known = this.installed.get(family);
    if (known) return known;
    let text: string;
    try {
      text = await this.run(family, this.tools[family].save, '', acls);
    } catch (e) {
      if (e instanceof BackendError && e.cause === 'missing' && acls.length === 0) return undefined;
      throw e;
    }
    const installed = parseSave(text);
    this.installed.set(family, installed);
    return installed;
  }

  private async run(
    family: Family,
    argv: readonly string[],
    input: string,
    acls: readonly AclRules[],
  ): Promise<string> {
    let r: Awaited<ReturnType<typeof runCommand>>;
    try {
      r = await runCommand(argv, { input, timeoutMs: this.timeoutMs, maxOutput: 256 * 1024 * 1024 });
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      const who = acls.map((a) => a.name).join(', ');
      const hint =
        family === 'ebtables' ? ' (Debian: apt-get install iptables, which has ebtables-nft-restore)' : '';
      throw new BackendError(
        `${e.message}${hint}${who ? `: the [${family}] rules of ACL ${who} cannot be applied` : ''}`,
        { cause: 'missing' },
      );
    }
    if (r.code !== 0) throw new BackendError(`${argv[0]} (${howItEnded(r)}): ${tidy(r.output)}`);
    return r.output;
  }
}
