/**
 * Validation of an ACL: the lines of a cl-acltool rules file (section headers `[iptables]`, `[ip6tables]`,
 * `[ebtables]`, `#` comments, blank lines, and rule lines that are iptables/ip6tables/ebtables arguments).
 * A rule line is read token by token against the allowlist (rule-allowlist.ts); anything else is refused,
 * naming the line and the problem. Nothing a shell or a back-end could read as more than one rule gets
 * through: no quoting or shell characters, no line breaks inside a line, no iptables-restore directives, no
 * table or chain manipulation. The parsed rules are what the iptables back-end builds its ruleset from.
 */
import { AclError } from './acl-errors.js';
import {
  CHAIN_COMMANDS,
  type Family,
  MODULES,
  type OptionSpec,
  optionsOf,
  provides,
  TABLES,
  TARGETS,
} from './rule-allowlist.js';

/** Bounds on an ACL: characters per line and lines per ACL (comments and headers count). */
export const LIMITS = { lineLength: 512, lines: 256 } as const;

/** Most problems reported for one ACL; more would only repeat the lesson. */
const MAX_PROBLEMS = 20;

export interface ParsedRule {
  family: Family;
  table: string;
  /** The built-in chain the rule adds to. */
  chain: string;
  op: 'append' | 'insert';
  /** Where -I inserts (1-based), when the line says. */
  position?: number;
  /** The line's other tokens in order, as the back-end reads them: all but the table and chain command. */
  args: string[];
  /** The line's number in the ACL, from 1. */
  line: number;
}

export interface RuleProblem {
  /** The line's number in the ACL, from 1. */
  line: number;
  /** The line, cut to 80 characters. */
  text: string;
  reason: string;
}

export type CheckResult = { ok: true; rules: ParsedRule[] } | { ok: false; problems: RuleProblem[] };

const SECTIONS: Readonly<Record<string, Family>> = {
  '[iptables]': 'iptables',
  '[ip6tables]': 'ip6tables',
  '[ebtables]': 'ebtables',
};

// What each refused character would mean to a shell or to the back-end: said in the refusal.
const FORBIDDEN: Readonly<Record<string, string>> = {
  "'": 'a quote',
  '"': 'a quote',
  '`': 'a command substitution',
  $: 'a shell expansion',
  ';': 'a command separator',
  '|': 'a pipe',
  '&': 'a background or AND operator',
  '<': 'a redirection',
  '>': 'a redirection',
  '\\': 'an escape',
  '(': 'a subshell',
  ')': 'a subshell',
  '{': 'a brace expansion',
  '}': 'a brace expansion',
  '*': 'a glob',
  '?': 'a glob',
  '~': 'a home directory',
  '\n': 'a line break inside the line',
  '\r': 'a line break inside the line',
};

/** The body of a PUT as lines: a JSON array of strings, or BAD_BODY. */
export function asLines(body: unknown): string[] {
  if (!Array.isArray(body))
    throw new AclError('BAD_BODY', `the body must be a JSON array of rule lines, not ${describe(body)}`);
  body.forEach((line, i) => {
    if (typeof line !== 'string')
      throw new AclError('BAD_BODY', `line ${i + 1} must be a string, not ${describe(line)}`);
  });
  return body as string[];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  const t = Array.isArray(v) ? 'array' : typeof v;
  return `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}

/** Checks every line of an ACL; either all its rules, parsed, or the problems (at most 20). */
export function checkAcl(lines: readonly string[]): CheckResult {
  const problems: RuleProblem[] = [];
  const rules: ParsedRule[] = [];
  const refuse = (line: number, reason: string) =>
    problems.push({ line, text: (lines[line - 1] ?? '').slice(0, 80), reason });
  if (lines.length > LIMITS.lines)
    refuse(LIMITS.lines + 1, `the ACL has ${lines.length} lines; at most ${LIMITS.lines} are taken`);
  let family: Family | undefined;
  for (let i = 0; i < lines.length && i < LIMITS.lines && problems.length < MAX_PROBLEMS; i++) {
    const n = i + 1;
    const raw = lines[i];
    if (raw.length > LIMITS.lineLength) {
      refuse(n, `the line has ${raw.length} characters; at most ${LIMITS.lineLength} are taken`);
      continue;
    }
    const line = raw.trim();
    // Said before the characters, since '*table' would otherwise be refused as a glob, which is less to the point.
    if (line.startsWith('*') || line.startsWith(':') || line === 'COMMIT') {
      refuse(n, 'an iptables-restore directive (*table, :CHAIN, COMMIT); only sflowkit writes those');
      continue;
    }
    const bad = badCharacter(raw);
    if (bad !== undefined) {
      refuse(n, bad);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      family = SECTIONS[line];
      if (family === undefined)
        refuse(n, `unknown section ${line}: expected [iptables], [ip6tables] or [ebtables]`);
      continue;
    }
    if (family === undefined) {
      refuse(n, 'a rule before any section header: start the ACL with [iptables], [ip6tables] or [ebtables]');
      continue;
    }
    const rule = checkRule(line, family, n);
    if (typeof rule === 'string') refuse(n, rule);
    else rules.push(rule);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}

/** Checks an ACL and returns its rules, or throws BAD_RULE with every problem. */
export function parseAcl(lines: readonly string[]): ParsedRule[] {
  const r = checkAcl(lines);
  if (r.ok) return r.rules;
  const first = r.problems[0];
  const more = r.problems.length > 1 ? ` (and ${r.problems.length - 1} more, in problems)` : '';
  throw new AclError('BAD_RULE', `line ${first.line}: ${first.reason}${more}`, { problems: r.problems });
}

function badCharacter(line: string): string | undefined {
  for (const c of line) {
    const meaning = FORBIDDEN[c];
    if (meaning !== undefined)
      return `${JSON.stringify(c)} is not allowed: a shell would read it as ${meaning}`;
    const code = c.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return `control character U+${hex(code)} is not allowed`;
    if (code > 0x7e) return `character U+${hex(code)} is not allowed: rule lines are plain ASCII`;
  }
  return undefined;
}

const hex = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');

const OPTIONS_BY_FAMILY = {
  iptables: optionsOf('iptables'),
  ip6tables: optionsOf('ip6tables'),
  ebtables: optionsOf('ebtables'),
};

/** One rule line of a family, parsed; or the reason it is refused. */
export function checkRule(line: string, family: Family, n: number): ParsedRule | string {
  const tokens = line.trim().split(/ +/);
  const options = OPTIONS_BY_FAMILY[family];
  const loaded = new Set<string>();
  const args: string[] = [];
  let table: string | undefined;
  let chain: { op: 'append' | 'insert'; name: string; position?: number } | undefined;
  let jump: string | undefined;
  let negate = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '!') {
      if (negate) return "'!' twice in a row";
      negate = true;
      continue;
    }
    const command = CHAIN_COMMANDS[t];
    if (command !== undefined)
      return `${t} ${command}: a rule may only add to a built-in chain with -A or -I, and only sflowkit manipulates chains`;
    const value = tokens[i + 1];
    if (value === undefined && STRUCTURAL.has(t)) return `${t} needs a value`;
    if (negate && !options.get(t)?.negatable) return `${t} cannot be negated with '!'`;
    switch (t) {
      case '-t':
      case '--table': {
        if (table !== undefined) return 'the table is given twice';
        const tables = Object.keys(TABLES[family]);
        if (!tables.includes(value))
          return `table '${value}' is not allowed in ${family} (${tables.join(', ')})`;
        table = value;
        i++;
        continue;
      }
      case '-A':
      case '--append':
      case '-I':
      case '--insert': {
        if (chain !== undefined) return 'a rule adds to one chain: -A or -I, once';
        chain = { op: t === '-A' || t === '--append' ? 'append' : 'insert', name: value };
        i++;
        const next = tokens[i + 1];
        if (chain.op === 'insert' && next !== undefined && /^\d+$/.test(next)) {
          const position = Number(next);
          if (position < 1 || position > LIMITS.lines)
            return `-I position ${next} is out of range 1-${LIMITS.lines}`;
          chain.position = position;
          i++;
        }
        continue;
      }
      case '-m':
      case '--match': {
        if (!MODULES[family].includes(value))
          return MODULES[family].length === 0
            ? `${family} rules load no modules with -m`
            : `module '${value}' is not allowed (${MODULES[family].join(', ')})`;
        loaded.add(value);
        args.push(t, value);
        i++;
        continue;
      }
      case '-j':
      case '--jump': {
        if (jump !== undefined) return 'the target is given twice';
        if (!TARGETS[family].includes(value))
          return `target '${value}' is not allowed (${TARGETS[family].join(', ')}); user chains are not either`;
        jump = value;
        loaded.add(value);
        args.push(t, value);
        i++;
        continue;
      }
    }
    const spec = options.get(t);
    if (spec === undefined)
      return t.startsWith('-')
        ? `option ${t} is not in the allowlist of ${family} options`
        : `'${t}' is not an option: values follow their option`;
    const problem = checkOption(family, spec, t, tokens.slice(i + 1, i + 1 + spec.values.length), loaded);
    if (problem !== undefined) return problem;
    args.push(...(negate ? ['!'] : []), ...tokens.slice(i, i + 1 + spec.values.length));
    if (spec.names[0] === '-p' && !negate) loaded.add(provides(family, '-p', value));
    i += spec.values.length;
    negate = false;
  }
  if (negate) return "'!' at the end of the line negates nothing";
  if (chain === undefined) return 'a rule must add to a chain: -A CHAIN or -I CHAIN';
  const t = table ?? 'filter';
  const chains = TABLES[family][t];
  if (!chains.includes(chain.name))
    return `chain '${chain.name}' is not a built-in chain of the ${t} table (${chains.join(', ')})`;
  return {
    family,
    table: t,
    chain: chain.name,
    op: chain.op,
    ...(chain.position !== undefined ? { position: chain.position } : {}),
    args,
    line: n,
  };
}

const STRUCTURAL = new Set([
  '-t',
  '--table',
  '-A',
  '--append',
  '-I',
  '--insert',
  '-m',
  '--match',
  '-j',
  '--jump',
]);

function checkOption(
  family: Family,
  spec: OptionSpec,
  name: string,
  values: string[],
  loaded: Set<string>,
): string | undefined {
  if (spec.needs && !spec.needs.some((n) => loaded.has(n))) {
    const how = spec.needs.map((n) => howToLoad(family, n));
    return `${name} needs ${how.join(' or ')} earlier in the line`;
  }
  if (values.length < spec.values.length)
    return `${name} needs ${spec.values.length === 1 ? 'a value' : `${spec.values.length} values`}`;
  for (let k = 0; k < spec.values.length; k++)
    if (!spec.values[k].ok(values[k])) return `${name} '${values[k]}': expected ${spec.values[k].what}`;
  return undefined;
}

/** How a rule loads what an option needs: a target with -j, a protocol with -p, a module with -m. */
function howToLoad(family: Family, need: string): string {
  if (TARGETS[family].includes(need)) return `-j ${need}`;
  if (['tcp', 'udp', 'sctp', 'icmp'].includes(need)) return `-p ${need}`;
  if (need === 'icmp6') return '-p icmpv6';
  return MODULES[family].includes(need) ? `-m ${need}` : `-p ${need}`;
}
