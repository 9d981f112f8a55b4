/**
 * The allowlist as Markdown, for docs/acl-server.md: rendered from the tables in rule-allowlist.ts so that the
 * documentation cannot drift from what the checker takes (test/control/acl-docs.test.ts checks that the docs
 * hold this text).
 */
import { CHAIN_COMMANDS, FAMILIES, MODULES, OPTIONS, TABLES, TARGETS } from './rule-allowlist.js';

export function allowlistMarkdown(): string {
  const out: string[] = [
    '| family | tables and their chains (`-t`, `-A`/`-I`) | modules (`-m`) | targets (`-j`) |',
    '|---|---|---|---|',
  ];
  for (const f of FAMILIES) {
    const tables = Object.entries(TABLES[f])
      .map(([t, chains]) => `${t}: ${chains.join(', ')}`)
      .join('; ');
    const modules = MODULES[f].length > 0 ? MODULES[f].join(', ') : '— (matches load with `-p`)';
    out.push(`| ${f} | ${tables} | ${modules} | ${TARGETS[f].join(', ')} |`);
  }
  out.push(
    '',
    '| option | families | value | negatable | needs earlier in the line |',
    '|---|---|---|---|---|',
  );
  for (const o of OPTIONS) {
    const value = o.values.length === 0 ? '—' : o.values.map((v) => v.what).join('; then ');
    const needs = o.needs ? o.needs.join(' or ') : '—';
    out.push(
      `| ${o.names.map((n) => `\`${n}\``).join(', ')} | ${o.families.join(', ')} | ${value.replaceAll('|', '\\|')} | ${o.negatable ? 'yes' : '—'} | ${needs} |`,
    );
  }
  const commands = [...new Set(Object.keys(CHAIN_COMMANDS))].map((c) => `\`${c}\``).join(', ');
  out.push('', `Refused as table or chain manipulation: ${commands}.`);
  return out.join('\n');
}
