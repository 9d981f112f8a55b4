/**
 * The table of `sflowkit serve`'s settings: name, type, bounds, default, flag and help of each, and the rule
 * that names its environment variable. Everything else about the configuration (parsing each source, --help,
 * docs/configuration.md, the ServeConfig type) is derived from it in config.ts.
 */
import { parseCidr } from '../engine/cidr.js';

export type ConfigSource = 'file' | 'env' | 'flag';

export interface SettingSpec {
  /** The key in the config file and in ServeConfig; the environment variable is derived from it. */
  name: string;
  kind: 'integer' | 'boolean' | 'string' | 'choice' | 'list';
  default: number | boolean | string | readonly string[] | undefined;
  flag: `--${string}`;
  /** What the flag's value is called in `--help`; absent for a boolean. */
  metavar?: string;
  /** Bounds of an integer. */
  min?: number;
  max?: number;
  /** The values of a choice. */
  values?: readonly string[];
  /** Checks one element of a list; throws with the reason. */
  check?: (item: string) => void;
  /** Where the setting may come from; every source unless said. */
  sources?: readonly ConfigSource[];
  /** Kept out of logs (configForLog) and documented as such. */
  secret?: boolean;
  help: string;
}

const PORT = { kind: 'integer', min: 0, max: 65535, metavar: 'PORT' } as const;

// Pino's levels (https://getpino.io/#/docs/api?id=level-string), plus 'silent' which logs nothing.
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const TABLE = [
  {
    name: 'config',
    kind: 'string',
    default: undefined,
    flag: '--config',
    metavar: 'FILE',
    sources: ['env', 'flag'],
    help: 'read settings from this JSON file; its keys are the setting names',
  },
  { name: 'sflowPort', ...PORT, default: 6343, flag: '--sflow-port', help: 'UDP port to receive sFlow on' },
  {
    name: 'sflowListen',
    kind: 'choice',
    values: ['dual', 'v4', 'v6', 'both'],
    default: 'dual',
    flag: '--listen',
    metavar: 'FAMILIES',
    help: 'sFlow sockets: dual (one IPv6 socket that takes IPv4 too), v4, v6, or both (one socket each)',
  },
  { name: 'httpPort', ...PORT, default: 8008, flag: '--http-port', help: 'TCP port of the REST API' },
  {
    name: 'httpHost',
    kind: 'string',
    default: '::',
    flag: '--http-host',
    metavar: 'ADDRESS',
    help: 'address the REST API listens on',
  },
  {
    name: 'logLevel',
    kind: 'choice',
    values: LOG_LEVELS,
    default: 'info',
    flag: '--log-level',
    metavar: 'LEVEL',
    help: 'least severe log level written (JSON lines on stdout)',
  },
  {
    name: 'demo',
    kind: 'boolean',
    default: false,
    flag: '--demo',
    help: 'feed the engine from the built-in data center simulation',
  },
  {
    name: 'agent',
    kind: 'boolean',
    default: false,
    flag: '--agent',
    help: "run the Host sFlow agent in process: this machine's counters to this analyzer (npm start does)",
  },
  {
    name: 'dashboard',
    kind: 'boolean',
    default: true,
    flag: '--dashboard',
    help: 'serve the web dashboard at / and define the flows it charts (sflowkit_*); --dashboard=off for neither',
  },
  {
    name: 'apiToken',
    kind: 'string',
    default: undefined,
    flag: '--api-token',
    metavar: 'TOKEN',
    secret: true,
    help: 'require this bearer token on API requests; prefer the environment, since flags show in ps',
  },
  {
    name: 'stateFile',
    kind: 'string',
    default: undefined,
    flag: '--state-file',
    metavar: 'FILE',
    help: 'keep definitions (flows, groups, thresholds) in this file across restarts; none: not kept',
  },
  {
    name: 'allow',
    kind: 'list',
    default: [],
    flag: '--allow',
    metavar: 'CIDR',
    check: (item: string) => void parseCidr(item),
    help: 'take sFlow only from agents in these address blocks; none: from anywhere',
  },
  {
    name: 'agentLostIntervals',
    kind: 'integer',
    min: 1,
    max: 1000,
    default: 3,
    flag: '--agent-lost-intervals',
    metavar: 'N',
    help: 'an agent is lost when silent for this many of its counter polling intervals…',
  },
  {
    name: 'agentLostMinSeconds',
    kind: 'integer',
    min: 0,
    max: 86400,
    default: 60,
    flag: '--agent-lost-min-seconds',
    metavar: 'SECONDS',
    help: '…and never sooner than this',
  },
  {
    name: 'maxFlows',
    kind: 'integer',
    min: 1,
    max: 10_000_000,
    default: 10000,
    flag: '--max-flows',
    metavar: 'N',
    help: 'most entries kept in the table of each flow definition',
  },
  {
    name: 'queueSize',
    kind: 'integer',
    min: 1,
    max: 16_777_216,
    default: 65536,
    flag: '--queue-size',
    metavar: 'N',
    help: 'most datagrams waiting between the socket and the engine; more are dropped and counted',
  },
  {
    name: 'apps',
    kind: 'list',
    default: [],
    flag: '--app',
    metavar: 'FILE',
    help: 'load this controller app: a .js or .ts script, a .mjs module, or builtin:NAME (docs/apps.md)',
  },
  {
    name: 'appConfig',
    kind: 'string',
    default: undefined,
    flag: '--app-config',
    metavar: 'FILE',
    help: "options of module apps: a JSON object, each app's under its name (docs/apps.md)",
  },
  {
    name: 'help',
    kind: 'boolean',
    default: false,
    flag: '--help',
    sources: ['flag'],
    help: 'print this help',
  },
] as const satisfies readonly SettingSpec[];

/** A setting as the table holds it, with its environment variable (if it can come from the environment). */
export interface Setting extends SettingSpec {
  env: string | undefined;
  sources: readonly ConfigSource[];
}

/** The environment variable of a setting: `SFLOWKIT_` and the name in upper snake case (sflowPort → SFLOWKIT_SFLOW_PORT). */
export function envName(name: string): string {
  return `SFLOWKIT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

export const SETTINGS: readonly Setting[] = TABLE.map((s: SettingSpec) => {
  const sources = s.sources ?? (['file', 'env', 'flag'] as const);
  return { ...s, sources, env: sources.includes('env') ? envName(s.name) : undefined };
});

type ValueOf<S> = S extends { kind: 'choice'; values: readonly (infer V)[] }
  ? V
  : S extends { kind: 'integer' }
    ? number
    : S extends { kind: 'boolean' }
      ? boolean
      : S extends { kind: 'list' }
        ? string[]
        : S extends { kind: 'string'; default: string }
          ? string
          : string | undefined;

/** The settings, typed from the table: `{ sflowPort: number; sflowListen: 'dual' | 'v4' | …; … }`. */
export type ServeConfig = { [S in (typeof TABLE)[number] as S['name']]: ValueOf<S> };
