/** Renders docs/structures.md from the registry, so the list can never drift from the code (a test checks). */

import type { RecordDef } from './records/define.js';
import { COUNTER_RECORDS, DOCUMENTS, FLOW_RECORDS } from './registry.js';
import { SAMPLE_CODECS } from './samples.js';
import type { Shape } from './schema.js';

function codecName(def: RecordDef): string {
  for (const [file, mod] of Object.entries(DOCUMENTS)) {
    for (const [name, value] of Object.entries(mod as object))
      if (value === def.codec) return `${name} (records/${file}.ts)`;
  }
  return '?';
}

function shapeText(s: Shape): string {
  switch (s.kind) {
    case 'array':
      return `${shapeText(s.of.shape)}<>`;
    case 'optional':
      return `${shapeText(s.of.shape)} (optional)`;
    case 'string':
    case 'opaque':
      return `${s.kind}<${s.max ?? ''}>`;
    case 'fixed':
      return `opaque[${s.size}]`;
    case 'struct':
      return `struct { ${Object.entries(s.fields)
        .map(([k, c]) => `${k}: ${shapeText(c.shape)}`)
        .join('; ')} }`;
    case 'union':
      return `union { ${Object.entries(s.arms)
        .map(([k, c]) => `${k}: ${shapeText(c.shape)}`)
        .join('; ')} }`;
    case 'custom':
      return s.name;
    default:
      return s.kind;
  }
}

function table(title: string, records: Record<string, RecordDef>): string[] {
  const rows = Object.entries(records).sort(([, a], [, b]) => a.dataFormat - b.dataFormat);
  return [
    `## ${title} (${rows.length})`,
    '',
    '| tag | name | spec | codec | fields |',
    '|---|---|---|---|---|',
    ...rows.map(([name, d]) => {
      const fields =
        d.codec.shape.kind === 'struct' ? shapeText(d.codec.shape).slice(9, -2) : shapeText(d.codec.shape);
      return `| ${d.tag} | ${name} | ${d.spec} | ${codecName(d)} | ${fields.replaceAll('|', '\\|')} |`;
    }),
    '',
  ];
}

export function structuresMarkdown(): string {
  const samples = [
    `## Sample types (${SAMPLE_CODECS.length})`,
    '',
    '| tag | name | spec | codec |',
    '|---|---|---|---|',
    ...SAMPLE_CODECS.map((c) => `| ${c.tag} | ${c.name} | ${c.spec} | ${c.name} (samples.ts) |`),
    '',
  ];
  return [
    '# sFlow structures',
    '',
    'Every structure sflowkit decodes and encodes: the sample types, flow records and counter records of the',
    '[sflow.org structure registry](https://sflow.org/developers/structures.php), plus those sflowtool decodes',
    'beyond it. Field names are camelCase of the spec names; a tag with no entry here decodes to an `unknown`',
    'record that keeps its bytes. Generated from `src/sflow/registry.ts` by `npm run docs` (a test checks it).',
    '',
    ...samples,
    ...table('Flow records', FLOW_RECORDS as Record<string, RecordDef>),
    ...table('Counter records', COUNTER_RECORDS as Record<string, RecordDef>),
  ].join('\n');
}
