/**
 * The settings of `sflowkit acl-server`: one table (name, flag, type, default, help), read from a JSON config
 * file (`--config FILE`, keys are the setting names) and then the command line, which overrides it. --help
 * and the docs' table come from the same rows. It is not src/common/config.ts's machinery: that one is bound
 * to serve's table, whose checks import the engine, and the control layer imports nothing from the engine.
 * Secrets can come from files (--token-file, --basic-password-file) so that they stay out of `ps`.
 */
import { readFileSync } from 'node:fs';
import { BACKEND_NAMES } from './backends.js';

interface Row {
  name: string;
  flag: `--${string}`;
  kind: 'integer' | 'boolean' | 'string' | 'choice';
  default?: number | boolean | string;
  metavar?: string;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** Never logged. */
  secret?: boolean;
  /** Only on the command line. */
  flagOnly?: boolean;
  help: string;
}

export const ACL_SETTINGS = [
  {
    name: 'config',
    flag: '--config',
    kind: 'string',
    metavar: 'FILE',
    flagOnly: true,
    help: 'read settings from this JSON file; its keys are the setting names',
  },
  {
    name: 'port',
    flag: '--port',
    kind: 'integer',
    default: 8080,
    min: 0,
    max: 65535,
    metavar: 'PORT',
    help: 'TCP port of the REST API',
  },
  {
    name: 'host',
    flag: '--host',
    kind: 'string',
    default: '::',
    metavar: 'ADDRESS',
    help: 'address to listen on (:: is every IPv6 and IPv4 address)',
  },
  {
    name: 'dir',
    flag: '--dir',
    kind: 'string',
    default: '/etc/cumulus/acl/policy.d',
    metavar: 'DIR',
    help: 'directory of the ACL files, one 50rest-NAME.rules per ACL',
  },
  {
    name: 'backend',
    flag: '--backend',
    kind: 'choice',
    default: 'cl-acltool',
    values: BACKEND_NAMES,
    metavar: 'NAME',
    help: 'what applies the ACLs: cl-acltool -i, iptables-restore into sflowkit chains, or dry-run (files only)',
  },
  {
    name: 'token',
    flag: '--token',
    kind: 'string',
    metavar: 'TOKEN',
    secret: true,
    help: 'accept writes with the header Authorization: Bearer TOKEN',
  },
  {
    name: 'tokenFile',
    flag: '--token-file',
    kind: 'string',
    metavar: 'FILE',
    help: 'the bearer token, read from this file (first line)',
  },
  {
    name: 'basicUser',
    flag: '--basic-user',
    kind: 'string',
    metavar: 'USER',
    help: 'accept writes with HTTP basic authentication as this user',
  },
  {
    name: 'basicPassword',
    flag: '--basic-password',
    kind: 'string',
    metavar: 'PASSWORD',
    secret: true,
    help: "the basic user's password",
  },
  {
    name: 'basicPasswordFile',
    flag: '--basic-password-file',
    kind: 'string',
    metavar: 'FILE',
    help: "the basic user's password, read from this file (first line)",
  },
  {
    name: 'allowAnonymousWrites',
    flag: '--allow-anonymous-writes',
    kind: 'boolean',
    default: false,
    help: 'accept writes without credentials (reads never need them)',
  },
  {
    name: 'tlsCert',
    flag: '--tls-cert',
    kind: 'string',
    metavar: 'FILE',
    help: 'serve HTTPS with this certificate chain (PEM); needs --tls-key',
  },
  {
    name: 'tlsKey',
    flag: '--tls-key',
    kind: 'string',
    metavar: 'FILE',
    help: 'the private key of --tls-cert (PEM)',
  },
  {
    name: 'batchMs',
    flag: '--batch-ms',
    kind: 'integer',
    default: 20,
    min: 0,
    max: 10000,
    metavar: 'MS',
    help: 'changes within this window are committed together; 0: at once when idle',
  },
  {
    name: 'bodyLimit',
    flag: '--body-limit',
    kind: 'integer',
    default: 262144,
    min: 1024,
    max: 16777216,
    metavar: 'BYTES',
    help: 'largest request body taken',
  },
  {
    name: 'maxAcls',
    flag: '--max-acls',
    kind: 'integer',
    default: 1000,
    min: 1,
    max: 100000,
    metavar: 'N',
    help: 'most ACLs stored',
  },
  {
    name: 'logLevel',
    flag: '--log-level',
    kind: 'choice',
    default: 'info',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    metavar: 'LEVEL',
    help: 'least severe log level written (JSON lines on stdout)',
  },
  { name: 'help', flag: '--help', kind: 'boolean', default: false, flagOnly: true, help: 'print this help' },
] as const satisfies readonly Row[];

type Rows = (typeof ACL_SETTINGS)[number];
type ValueOf<R> = R extends { kind: 'integer' }
  ? number
  : R extends { kind: 'boolean' }
    ? boolean
    : R extends { kind: 'choice'; values: readonly (infer V)[] }
      ? V
      : R extends { default: string }
        ? string
        : string | undefined;

/** The settings as given, typed from the table. */
export type AclSettings = { [R in Rows as R['name']]: ValueOf<R> };

/** The settings with the secrets read from their files: what the server runs with. */
export interface AclServerConfig extends AclSettings {
  token: string | undefined;
  basicPassword: string | undefined;
}

export class AclConfigError extends Error {
  override name = 'AclConfigError';
}

const ROWS: readonly Row[] = ACL_SETTINGS;
const BY_FLAG = new Map(ROWS.map((r) => [r.flag as string, r]));
const BY_NAME = new Map(ROWS.map((r) => [r.name, r]));

function convert(r: Row, value: unknown, where: string): unknown {
  const fail = (what: string) => {
    throw new AclConfigError(`${r.name} ${where}: must be ${what}, got ${JSON.stringify(value)}`);
  };
  switch (r.kind) {
    case 'integer': {
      const n = typeof value === 'string' ? (/^\d+$/.test(value) ? Number(value) : Number.NaN) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < r.min! || n > r.max!)
        fail(`an integer from ${r.min} to ${r.max}`);
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      return fail('true or false');
    default:
      if (typeof value !== 'string' || value === '') fail('a non-empty string');
      if (r.values && !r.values.includes(value as string)) fail(`one of ${r.values.join(', ')}`);
      return value;
  }
}

/** The settings from defaults, the config file and then the flags; secrets read; cross-checks done. */
export function loadAclConfig(argv: readonly string[]): AclServerConfig {
  const flags: [Row, unknown, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] === '-h' ? '--help' : argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const r = BY_FLAG.get(flag);
    if (!r)
      throw new AclConfigError(
        arg.startsWith('-') ? `unknown option ${flag}` : `unexpected argument '${arg}'`,
      );
    let value: string;
    if (flag !== arg) value = arg.slice(eq + 1);
    else if (r.kind === 'boolean') value = 'true';
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new AclConfigError(`${flag} needs a value (${r.metavar})`);
    flags.push([r, value, `from ${flag}`]);
  }
  const s: Record<string, unknown> = {};
  for (const r of ROWS) s[r.name] = r.default;
  if (flags.some(([r]) => r.name === 'help')) return { ...(s as unknown as AclServerConfig), help: true };
  const file = flags.filter(([r]) => r.name === 'config').pop()?.[1] as string | undefined;
  if (file !== undefined) {
    for (const [key, value] of Object.entries(readJsonObject(file))) {
      const r = BY_NAME.get(key);
      if (!r || r.flagOnly) throw new AclConfigError(`config file ${file}: unknown setting '${key}'`);
      s[key] = convert(r, value, `in config file ${file}`);
    }
  }
  for (const [r, value, where] of flags) s[r.name] = convert(r, value, where);
  const c = s as unknown as AclServerConfig;
  c.token = secret(c, 'token', 'tokenFile');
  c.basicPassword = secret(c, 'basicPassword', 'basicPasswordFile');
  if ((c.tlsCert === undefined) !== (c.tlsKey === undefined))
    throw new AclConfigError('--tls-cert and --tls-key go together: give both or neither');
  if ((c.basicUser === undefined) !== (c.basicPassword === undefined))
    throw new AclConfigError(
      '--basic-user needs --basic-password (or --basic-password-file), and the other way round',
    );
  if (c.basicUser?.includes(':'))
    throw new AclConfigError('--basic-user cannot contain ":" (HTTP basic splits on it)');
  if (c.token === undefined && c.basicUser === undefined && !c.allowAnonymousWrites)
    throw new AclConfigError(
      'no credentials: give --token (or --token-file) or --basic-user, or --allow-anonymous-writes to let anyone change the ACLs',
    );
  return c;
}

function secret(
  c: AclServerConfig,
  name: 'token' | 'basicPassword',
  fileName: 'tokenFile' | 'basicPasswordFile',
) {
  const file = c[fileName];
  if (file === undefined) return c[name];
  if (c[name] !== undefined) throw new AclConfigError(`give ${name} or ${fileName}, not both`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AclConfigError(`cannot read ${fileName} ${file}: ${(e as Error).message}`);
  }
  const first = text.split(/\r?\n/)[0];
  if (first === '') throw new AclConfigError(`${fileName} ${file} is empty`);
  return first;
}

function readJsonObject(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AclConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new AclConfigError(`config file ${path} must hold a JSON object of settings`);
  return parsed as Record<string, unknown>;
}

/** The settings with secrets masked, for the start-up log line. */
export function aclConfigForLog(c: AclServerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  for (const r of ROWS) if (r.secret && out[r.name] !== undefined) out[r.name] = '(set)';
  delete out.help;
  return out;
}

function flagText(r: Row): string {
  return r.kind === 'boolean' ? r.flag : `${r.flag} ${r.metavar}`;
}

/** `sflowkit acl-server --help`. */
export function aclServerHelp(): string {
  const lines = [
    'usage: sflowkit acl-server [options]',
    '',
    'The REST ACL server: PUT/GET/DELETE /acl/NAME, GET/DELETE /acl/, GET /status. Settings come from the',
    'config file, then the flags. See docs/acl-server.md.',
    '',
  ];
  for (const r of ROWS) {
    const d = r.default === undefined || r.kind === 'boolean' ? '' : ` (default ${r.default})`;
    lines.push(`  ${flagText(r)}`, `      ${r.help}${d}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The settings as a Markdown table, for docs/acl-server.md (a test checks that the docs hold it). */
export function aclSettingsMarkdown(): string {
  const rows = ROWS.map((r) => {
    const key = r.flagOnly ? '—' : `\`${r.name}\``;
    const d = r.default === undefined ? '—' : `\`${r.default}\``;
    return `| ${key} | \`${flagText(r)}\` | ${d} | ${r.help}${r.secret ? ' (never logged)' : ''} |`;
  });
  return ['| file key | flag | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
