/**
 * Tokens to a tree of blocks and settings, checked against the schema. Everything sits in one `sflow { }`;
 * a setting takes the next token as its value, which must be on the same line (hsflowd would take a value from
 * the next line too, but then a forgotten value swallows the next key and the error lands somewhere else).
 * Unknown settings and blocks are skipped with a warning, where hsflowd stops; everything else it refuses
 * throws an HsflowdConfError naming the line.
 */
import { HsflowdConfError } from './hsflowd-conf-error.js';
import { BLOCKS, findKey, type KeySpec, POLLING, SAMPLING } from './hsflowd-conf-schema.js';
import type { Token } from './hsflowd-conf-tokens.js';
import { describe, parseValue, type Value } from './hsflowd-conf-values.js';

export interface Setting {
  /** The name the schema uses (aliases resolved): `sampling`, `agent.cidr`, `sampling.10G`. */
  key: string;
  /** As written in the file. */
  text: string;
  value: Value;
  line: number;
}

export interface Block {
  name: string;
  line: number;
  settings: Setting[];
  blocks: Block[];
}

const isBrace = (t: Token | undefined, brace: '{' | '}'): boolean =>
  t !== undefined && !t.quoted && t.text === brace;

/** A `sampling.<name>` or `polling.<name>` setting: link speeds (10G) and applications (http, app.myapp). */
function wildcard(written: string): { key: string; spec: KeySpec } | undefined {
  const m = /^(sampling|polling)\.(.+)$/i.exec(written);
  if (!m) return undefined;
  const sampling = m[1]!.toLowerCase() === 'sampling';
  return {
    key: `${sampling ? 'sampling' : 'polling'}.${m[2]}`,
    spec: { kind: sampling ? SAMPLING : POLLING },
  };
}

export function parseTree(tokens: Token[], file: string, warnings: string[]): Block {
  const fail = (code: HsflowdConfError['code'], line: number, reason: string): never => {
    throw new HsflowdConfError(code, file, line, reason);
  };
  const warn = (line: number, text: string) => warnings.push(`${file}:${line}: ${text}`);
  const stack: Block[] = [];
  let root: Block | undefined;

  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (isBrace(t, '}')) {
      if (stack.length === 0) fail('UNBALANCED_BRACES', t.line, "'}' with no block open");
      stack.pop();
      i++;
      continue;
    }
    if (isBrace(t, '{')) fail('SYNTAX', t.line, "'{' must follow a block name");

    const name = t.text.toLowerCase();
    const current = stack.at(-1);
    if (current === undefined) {
      if (name !== 'sflow')
        fail('SYNTAX', t.line, `'${t.text}' is outside 'sflow { … }', where every setting goes`);
      if (!isBrace(next, '{')) fail('SYNTAX', t.line, "'sflow' must be followed by '{'");
      if (root) fail('SYNTAX', t.line, `a second 'sflow' block (the first is on line ${root.line})`);
      root = { name, line: t.line, settings: [], blocks: [] };
      stack.push(root);
      i += 2;
      continue;
    }

    const spec = BLOCKS[current.name]!;
    if (!t.quoted && spec.blocks?.includes(name)) {
      if (!isBrace(next, '{')) fail('SYNTAX', t.line, `'${t.text}' is a block: write '${t.text} { … }'`);
      const block: Block = { name, line: t.line, settings: [], blocks: [] };
      current.blocks.push(block);
      stack.push(block);
      i += 2;
      continue;
    }

    const found = findKey(current.name, t.text);
    const key = found
      ? { key: found.spec.as ?? found.name, spec: found.spec }
      : spec.wildcards && wildcard(t.text);
    const hasValue = next !== undefined && next.line === t.line && !isBrace(next, '{') && !isBrace(next, '}');
    if (!key) {
      if (isBrace(next, '{')) {
        warn(t.line, `unknown block '${t.text}' in ${current.name} { } (skipped)`);
        i = skipBlock(tokens, i + 1, fail);
      } else {
        warn(t.line, `unknown setting '${t.text}' in ${current.name} { } (ignored)`);
        i += hasValue ? 2 : 1;
      }
      continue;
    }
    if (!hasValue) {
      const hint = isBrace(next, '{') && name === 'dnssd' ? " (the block is spelled 'dns-sd { }')" : '';
      fail('MISSING_VALUE', t.line, `'${t.text}' needs a value${hint}`);
    }
    const value = parseValue(key.spec.kind, next!.text);
    if (value === undefined)
      fail('BAD_VALUE', t.line, `'${t.text}' ${describe(key.spec.kind)}, not '${next!.text}'`);
    if (key.spec.deprecated)
      warn(t.line, `'${t.text}' is deprecated; hsflowd prefers ${key.spec.deprecated}`);
    current.settings.push({ key: key.key, text: next!.text, value: value!, line: t.line });
    i += 2;
  }

  const open = stack.at(-1);
  if (open)
    fail('UNBALANCED_BRACES', open.line, `'${open.name}' block opened on line ${open.line} is not closed`);
  if (!root) fail('INCOMPLETE', 1, "no 'sflow { … }' block");
  return root!;
}

/** The index after the '}' that closes the '{' at `open`. */
function skipBlock(
  tokens: Token[],
  open: number,
  fail: (code: 'UNBALANCED_BRACES', line: number, reason: string) => never,
): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isBrace(tokens[i], '{')) depth++;
    else if (isBrace(tokens[i], '}') && --depth === 0) return i + 1;
  }
  const line = tokens[open]!.line;
  return fail(
    'UNBALANCED_BRACES',
    line,
    `'${tokens[open - 1]!.text}' block opened on line ${line} is not closed`,
  );
}
