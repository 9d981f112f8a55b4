/**
 * The input of iptables-restore, ip6tables-restore and ebtables-restore (all run with --noflush) that makes the
 * kernel's sflowkit chains hold exactly the stored ACLs' rules, and nothing else.
 *
 * sflowkit owns one chain per built-in chain that a rule adds to, named `sflowkit-<CHAIN>` in the same table,
 * and one jump to it from the top of that built-in chain (the hook). A rule `-t mangle -A FORWARD …` becomes
 * `-A sflowkit-FORWARD …` in `*mangle`. Declaring a chain (`:sflowkit-FORWARD - [0:0]`) in a --noflush restore
 * creates it or empties it, so each commit rewrites our chains whole without touching any other chain or
 * rule: the operator's and other tools' rules stay as they are. The hook is added only when the save output
 * shows it missing, since a --noflush restore cannot say "add unless present". Each table's block is applied
 * as one transaction by the restore tool.
 */
import { type Family, TABLES } from './rule-allowlist.js';
import type { ParsedRule } from './rule-check.js';

export const CHAIN_PREFIX = 'sflowkit-';

/** What of ours a family's ruleset holds, as `table/CHAIN` keys of the built-in chain concerned. */
export interface Installed {
  /** Our chains that exist (`filter/FORWARD` for sflowkit-FORWARD in filter). */
  chains: Set<string>;
  /** Built-in chains that jump to ours. */
  hooks: Set<string>;
}

export interface AclRules {
  name: string;
  rules: readonly ParsedRule[];
}

export interface Script {
  /** The restore input; empty when there is nothing to say. */
  text: string;
  /** For a line of the input that comes from a rule: the ACL and its line, to point at in an error. */
  origins: Map<number, { acl: string; line: number }>;
  /** The chains and hooks that exist once the script is applied. */
  after: Installed;
}

/** Our chains and hooks in the output of iptables-save, ip6tables-save or ebtables-save. */
export function parseSave(text: string): Installed {
  const installed: Installed = { chains: new Set(), hooks: new Set() };
  let table = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    else if (line.startsWith(`:${CHAIN_PREFIX}`))
      installed.chains.add(`${table}/${line.slice(1 + CHAIN_PREFIX.length).split(' ')[0]}`);
    else {
      const hook = /^-A (\S+) -j sflowkit-(\S+)$/.exec(line.trim());
      if (hook && hook[1] === hook[2]) installed.hooks.add(`${table}/${hook[1]}`);
    }
  }
  return installed;
}

/**
 * The restore input for one family: every chain of ours that exists or is needed is declared (so emptied),
 * missing hooks of needed chains are added, then the rules of each ACL in order.
 */
export function buildScript(family: Family, acls: readonly AclRules[], installed: Installed): Script {
  const needed = new Set<string>();
  for (const acl of acls)
    for (const r of acl.rules) if (r.family === family) needed.add(`${r.table}/${r.chain}`);
  const declared = new Set([...installed.chains, ...needed]);
  const lines: string[] = [];
  const origins = new Map<number, { acl: string; line: number }>();
  for (const [table, chains] of Object.entries(TABLES[family])) {
    const ours = chains.filter((c) => declared.has(`${table}/${c}`));
    if (ours.length === 0) continue;
    lines.push(`*${table}`);
    // ebtables has no counters in the declaration; RETURN sends a packet on through the built-in chain.
    for (const c of ours)
      lines.push(family === 'ebtables' ? `:${CHAIN_PREFIX}${c} RETURN` : `:${CHAIN_PREFIX}${c} - [0:0]`);
    for (const c of ours)
      if (needed.has(`${table}/${c}`) && !installed.hooks.has(`${table}/${c}`))
        lines.push(`-I ${c} 1 -j ${CHAIN_PREFIX}${c}`);
    for (const acl of acls)
      for (const r of acl.rules) {
        if (r.family !== family || r.table !== table) continue;
        lines.push(ruleLine(r));
        origins.set(lines.length, { acl: acl.name, line: r.line });
      }
    // ebtables-restore commits at the end of its input and takes no COMMIT.
    if (family !== 'ebtables') lines.push('COMMIT');
  }
  return {
    text: lines.length === 0 ? '' : `${lines.join('\n')}\n`,
    origins,
    after: { chains: declared, hooks: new Set([...installed.hooks, ...needed]) },
  };
}

function ruleLine(r: ParsedRule): string {
  const op = r.op === 'append' ? '-A' : '-I';
  const at = r.position !== undefined ? ` ${r.position}` : '';
  return `${op} ${CHAIN_PREFIX}${r.chain}${at} ${r.args.join(' ')}`.trimEnd();
}
