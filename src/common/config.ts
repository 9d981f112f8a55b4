/**
 * The configuration of `sflowkit serve`, loaded from the sources in turn, each overriding the one before: the
 * built-in defaults, a JSON config file (`--config FILE` or SFLOWKIT_CONFIG), the environment, the command
 * line. Parsing, `--help` and docs/configuration.md are all derived from the one table, SETTINGS
 * (config-settings.ts), so that none of them can drift from the others.
 */
import { readFileSync } from 'node:fs';
import { SETTINGS, type ServeConfig, type Setting } from './config-settings.js';

export {
  type ConfigSource,
  envName,
  SETTINGS,
  type ServeConfig,
  type Setting,
  type SettingSpec,
} from './config-settings.js';

export type ConfigErrorCode = 'UNKNOWN_OPTION' | 'MISSING_VALUE' | 'UNKNOWN_KEY' | 'BAD_VALUE' | 'BAD_FILE';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    /** The setting at fault, when there is one. */
    readonly setting?: string,
  ) {
    super(message);
  }
}

/** A value as one source gave it: text from the environment or a flag, any JSON from the file. */
type Raw = { from: 'text'; text: string } | { from: 'json'; value: unknown };

function describe(raw: Raw): string {
  return raw.from === 'text' ? `'${raw.text}'` : JSON.stringify(raw.value);
}

/** One value of a setting, checked; throws the reason, which the caller prefixes with where it came from. */
function convert(s: Setting, raw: Raw): unknown {
  const got = `, got ${describe(raw)}`;
  switch (s.kind) {
    case 'integer': {
      const n = raw.from === 'json' ? raw.value : /^\d+$/.test(raw.text) ? Number(raw.text) : Number.NaN;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < s.min! || n > s.max!)
        throw new Error(`must be an integer from ${s.min} to ${s.max}${got}`);
      return n;
    }
    case 'boolean': {
      if (raw.from === 'json') {
        if (typeof raw.value !== 'boolean') throw new Error(`must be true or false${got}`);
        return raw.value;
      }
      const t = raw.text.toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(t)) return true;
      if (['0', 'false', 'no', 'off'].includes(t)) return false;
      throw new Error(`must be true or false (or 1/0, yes/no, on/off)${got}`);
    }
    case 'string':
    case 'choice': {
      const v = raw.from === 'json' ? raw.value : raw.text;
      if (typeof v !== 'string' || v === '') throw new Error(`must be a non-empty string${got}`);
      if (s.values && !s.values.includes(v)) throw new Error(`must be one of ${s.values.join(', ')}${got}`);
      return v;
    }
    case 'list': {
      let items: unknown[];
      if (raw.from === 'json') {
        if (!Array.isArray(raw.value)) throw new Error(`must be an array of strings${got}`);
        items = raw.value;
      } else {
        // A comma list on the command line and in the environment; a file lists its items as an array.
        items = raw.text.split(',').map((t) => t.trim());
      }
      for (const item of items) {
        if (typeof item !== 'string' || item === '') throw new Error(`items must be non-empty strings${got}`);
        try {
          s.check?.(item);
        } catch (e) {
          throw new Error(e instanceof Error ? e.message : String(e));
        }
      }
      return items;
    }
  }
}

function take(s: Setting, raw: Raw, where: string): unknown {
  try {
    return convert(s, raw);
  } catch (e) {
    throw new ConfigError('BAD_VALUE', `${s.name} ${where}: ${(e as Error).message}`, s.name);
  }
}

const BY_FLAG = new Map(SETTINGS.map((s) => [s.flag, s]));
const BY_NAME = new Map(SETTINGS.map((s) => [s.name, s]));

/** The command line as (setting, value) pairs in order; `--flag value` and `--flag=value`, `-h` for --help. */
function parseArgv(argv: readonly string[]): { setting: Setting; raw: Raw; flag: string }[] {
  const out: { setting: Setting; raw: Raw; flag: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] === '-h' ? '--help' : argv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const setting = BY_FLAG.get(flag as `--${string}`);
    if (!setting) {
      const what = arg.startsWith('-') ? `unknown option ${flag}` : `unexpected argument '${arg}'`;
      throw new ConfigError('UNKNOWN_OPTION', `${what} (see sflowkit serve --help)`);
    }
    let text: string;
    if (eq > 0 && flag !== arg) text = arg.slice(eq + 1);
    else if (setting.kind === 'boolean') text = 'true';
    else if (i + 1 < argv.length && !BY_FLAG.has(argv[i + 1] as `--${string}`)) text = argv[++i];
    else throw new ConfigError('MISSING_VALUE', `${flag} needs a value (${setting.metavar})`, setting.name);
    out.push({ setting, raw: { from: 'text', text }, flag });
  }
  return out;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('BAD_FILE', `cannot read config file ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('BAD_FILE', `config file ${path} is not JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError('BAD_FILE', `config file ${path} must hold a JSON object of settings`);
  return parsed as Record<string, unknown>;
}

/** The defaults, as a fresh object (lists copied, so that no caller can change the table). */
export function defaultConfig(): ServeConfig {
  const c: Record<string, unknown> = {};
  for (const s of SETTINGS) c[s.name] = Array.isArray(s.default) ? [...s.default] : s.default;
  return c as ServeConfig;
}

/**
 * The settings from every source. An empty environment variable counts as unset. A list flag given several
 * times adds up (`--allow 10.0.0.0/8 --allow fd00::/8`); any other flag given twice takes the last. With
 * --help, nothing else is read or checked: the caller prints serveHelp() and exits.
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServeConfig {
  const flags = parseArgv(argv);
  const config = defaultConfig() as Record<string, unknown>;
  if (flags.some((f) => f.setting.name === 'help')) return { ...(config as ServeConfig), help: true };

  const configFlag = flags.filter((f) => f.setting.name === 'config').pop();
  const file = configFlag
    ? (take(configFlag.setting, configFlag.raw, `from ${configFlag.flag}`) as string)
    : env[BY_NAME.get('config')!.env!] || undefined;
  if (file !== undefined) {
    for (const [key, value] of Object.entries(readConfigFile(file))) {
      const s = BY_NAME.get(key);
      if (!s?.sources.includes('file'))
        throw new ConfigError('UNKNOWN_KEY', `config file ${file}: unknown setting '${key}'`, key);
      config[key] = take(s, { from: 'json', value }, `in config file ${file}`);
    }
    config.config = file;
  }

  for (const s of SETTINGS) {
    const text = s.env === undefined ? undefined : env[s.env];
    if (text) config[s.name] = take(s, { from: 'text', text }, `from environment variable ${s.env}`);
  }

  const listsSeen = new Set<string>();
  for (const { setting: s, raw, flag } of flags) {
    const value = take(s, raw, `from ${flag}`);
    if (s.kind === 'list' && listsSeen.has(s.name)) (config[s.name] as string[]).push(...(value as string[]));
    else config[s.name] = value;
    listsSeen.add(s.name);
  }
  return config as ServeConfig;
}

/** The configuration with secrets masked, for logging what the engine runs with. */
export function configForLog(config: ServeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const s of SETTINGS) if (s.secret && out[s.name] !== undefined) out[s.name] = '(set)';
  return out;
}

/** The default worth showing: not a boolean's in --help, where a flag alone turns it on. */
function defaultText(s: Setting, booleans = true): string | undefined {
  if (
    s.default === undefined ||
    (s.kind === 'boolean' && !booleans) ||
    (Array.isArray(s.default) && s.default.length === 0)
  )
    return undefined;
  return String(s.default);
}

function flagText(s: Setting): string {
  if (s.kind === 'boolean') return s.flag;
  return s.kind === 'list' ? `${s.flag} ${s.metavar}[,${s.metavar}…]` : `${s.flag} ${s.metavar}`;
}

/** Words of `text` in lines of at most `width` characters, each starting with `indent`. */
function wrap(text: string, indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.length > indent.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
    }
    line += line.length > indent.length ? ` ${word}` : word;
  }
  lines.push(line);
  return lines;
}

/** `sflowkit serve --help`: each flag on its line, then what it does, its default and its variable. */
export function serveHelp(): string {
  const lines = [
    'usage: sflowkit serve [options]',
    '',
    'Receives sFlow and serves the analytics REST API. Each setting is taken from, lowest first: its default,',
    'the config file, its environment variable, its flag. See docs/configuration.md.',
    '',
  ];
  for (const s of SETTINGS) {
    const shown = defaultText(s, false);
    const notes = [shown && `default ${shown}`, s.env && `env ${s.env}`].filter(Boolean);
    lines.push(
      `  ${flagText(s)}`,
      ...wrap(`${s.help}${notes.length ? ` (${notes.join('; ')})` : ''}`, '      ', 100),
    );
  }
  return `${lines.join('\n')}\n`;
}

function typeText(s: Setting): string {
  switch (s.kind) {
    case 'integer':
      return `integer ${s.min}–${s.max}`;
    case 'choice':
      return s.values!.map((v) => `\`${v}\``).join(', ');
    case 'list':
      return `list of ${s.metavar}`;
    default:
      return s.kind;
  }
}

/** docs/configuration.md, from the table (`npm run docs` writes it; a test checks that it is current). */
export function configurationMarkdown(): string {
  const example: Record<string, unknown> = {};
  for (const s of SETTINGS)
    if (s.sources.includes('file') && s.default !== undefined) example[s.name] = s.default;
  const rows = SETTINGS.map((s) => {
    const cells = [
      s.sources.includes('file') ? `\`${s.name}\`` : '—',
      `\`${flagText(s)}\``,
      s.env ? `\`${s.env}\`` : '—',
      typeText(s),
      defaultText(s) === undefined ? '—' : `\`${defaultText(s)}\``,
      s.help + (s.secret ? ' (never logged)' : ''),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return `# Configuration of \`sflowkit serve\`

<!-- Generated from SETTINGS in src/common/config-settings.ts by \`npm run docs\`; edit the table, not this file. -->

Each setting is taken from, lowest first:

1. its built-in default;
2. the config file, a JSON object whose keys are the setting names, named by \`--config FILE\` or by the
   environment variable \`SFLOWKIT_CONFIG\`. A key that is not a setting is an error naming the key and the file;
3. its environment variable: \`SFLOWKIT_\` followed by the setting name in upper snake case
   (\`sflowPort\` → \`SFLOWKIT_SFLOW_PORT\`). An empty variable counts as unset;
4. its command-line flag, as \`--flag value\` or \`--flag=value\`.

Integers are decimal digits. Booleans are \`true\`/\`false\` in the file; in the environment and as
\`--flag=value\` also \`1\`/\`0\`, \`yes\`/\`no\`, \`on\`/\`off\`; a boolean flag alone means true. Lists are
JSON arrays in the file and comma-separated in the environment and on the command line, where a list flag
may also be repeated (\`--allow 10.0.0.0/8 --allow fd00::/8\`); a list from a later source replaces the
earlier one whole. Any other flag given twice takes its last value. A value out of its type or range stops
\`sflowkit serve\` with a message that names the setting and where the value came from.

| file key | flag | environment | type | default | meaning |
|---|---|---|---|---|---|
${rows.join('\n')}

A config file with every default that has a value:

\`\`\`json
${JSON.stringify(example, null, 2)}
\`\`\`
`;
}
