/**
 * `sflowkit decode`'s command line: sflowtool's options, short (clustered, `-p6343` or `-p 6343`) and long,
 * with the same meanings; ours are long only. sflowtool options that have no place here are refused by name.
 */

import { parseFieldList } from '../sflowtool/custom-output.js';
import type { SflowtoolFormat } from '../sflowtool/printer.js';

export interface DecodeOptions {
  port: number;
  file?: string;
  /** undefined: sflowtool's default text, unless only forwarding. */
  format?: SflowtoolFormat | { kind: 'ndjson' };
  redact: boolean;
  forward: string[];
  /** Sockets to listen on: sflowtool's default is one IPv6 socket that also takes IPv4. */
  listen: 'dual' | 'v4' | 'v6' | 'both';
  bindAddress?: string;
  vlans?: Uint8Array;
  allStructures: boolean;
  verbose: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

/** Short letter or long name → [letter, takes an argument]. */
const OPTIONS: Record<string, [string, boolean]> = {
  l: ['l', false],
  line: ['l', false],
  j: ['j', false],
  json: ['j', false],
  J: ['J', false],
  'json-indented': ['J', false],
  g: ['g', false],
  grep: ['g', false],
  t: ['t', false],
  'write-pcap': ['t', false],
  T: ['T', false],
  'write-pcap-discards': ['T', false],
  M: ['M', false],
  'write-pcap-datagrams': ['M', false],
  H: ['H', false],
  'common-logfile': ['H', false],
  x: ['x', false],
  'redact-payload': ['x', false],
  D: ['D', false],
  'allow-dns': ['D', false],
  '4': ['4', false],
  'listen-v4-only': ['4', false],
  '6': ['6', false],
  'listen-v6-only': ['6', false],
  A: ['A', false],
  'listen-v4-v6': ['A', false],
  k: ['k', false],
  'keep-going-on-error': ['k', false],
  h: ['h', false],
  '?': ['h', false],
  help: ['h', false],
  usage: ['h', false],
  z: ['z', false],
  version: ['z', false],
  L: ['L', true],
  fields: ['L', true],
  p: ['p', true],
  port: ['p', true],
  r: ['r', true],
  'read-pcap': ['r', true],
  f: ['f', true],
  'forwarding-target': ['f', true],
  V: ['V', true],
  'include-vlans': ['V', true],
  v: ['v', true],
  'exclude-vlans': ['v', true],
  b: ['b', true],
  'listen-address': ['b', true],
  ndjson: ['ndjson', false],
  'all-structures': ['all-structures', false],
  verbose: ['verbose', false],
};

/** sflowtool's options that sflowkit decode does not take, and why. */
const REFUSED: Record<string, string> = {
  R: '-R (encode sFlow from a packet capture) is not part of sflowkit decode',
  P: '-P (pcap playback speed) is not supported: -r decodes as fast as it can',
  c: '-c (NetFlow export) is not supported',
  d: '-d (NetFlow export) is not supported',
  e: '-e (NetFlow export) is not supported',
  s: '-s (NetFlow export) is not supported',
  S: '-S (NetFlow export) is not supported',
  N: '-N (NetFlow export) is not supported',
};
const LONG_REFUSED: Record<string, string> = {
  'read-pcap-sampling': 'R',
  'read-pcap-playback': 'P',
  'netflow-collector': 'c',
  'netflow-udp-dport': 'd',
  'netflow-peer-as': 'e',
  'no-scaling': 's',
  'netflow-spoof-source': 'S',
  'netflow-version': 'N',
};

export function parseDecodeOptions(args: readonly string[]): DecodeOptions {
  const o: DecodeOptions = {
    port: 6343,
    redact: false,
    forward: [],
    listen: 'dual',
    allStructures: false,
    verbose: false,
    help: false,
    version: false,
  };
  const take = (letter: string, value: string | undefined) => apply(o, letter, value);
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    // sflowtool's old spellings: +v is -V, +4 is -A.
    if (a.startsWith('+v')) a = `-V${a.slice(2)}`;
    else if (a === '+4') a = '-A';
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (LONG_REFUSED[name]) throw new UsageError(REFUSED[LONG_REFUSED[name]]);
      const spec = OPTIONS[name];
      if (spec === undefined || name.length === 1) throw new UsageError(`unknown option --${name}`);
      const [letter, hasValue] = spec;
      if (!hasValue) {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        take(letter, undefined);
        continue;
      }
      const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      take(letter, value);
      continue;
    }
    if (!a.startsWith('-') || a.length < 2) throw new UsageError(`unexpected argument '${a}'`);
    for (let k = 1; k < a.length; k++) {
      const ch = a[k];
      if (REFUSED[ch]) throw new UsageError(REFUSED[ch]);
      const spec = OPTIONS[ch];
      if (spec === undefined || spec[0].length > 1) throw new UsageError(`unknown option -${ch}`);
      if (!spec[1]) {
        take(spec[0], undefined);
        continue;
      }
      const value = k + 1 < a.length ? a.slice(k + 1) : args[++i];
      if (value === undefined) throw new UsageError(`-${ch} needs a value`);
      take(spec[0], value);
      break;
    }
  }
  return o;
}

function apply(o: DecodeOptions, letter: string, value: string | undefined): void {
  const v = value as string;
  switch (letter) {
    case 'l':
      o.format = { kind: 'line' };
      return;
    case 'j':
    case 'J':
      o.format = { kind: 'json', indent: letter === 'J' };
      return;
    case 'g':
      o.format = { kind: 'grep' };
      return;
    case 'H':
      o.format = { kind: 'clf' };
      return;
    case 't':
    case 'T':
    case 'M':
      o.format = {
        kind: 'pcap',
        content: letter === 't' ? 'headers' : letter === 'T' ? 'discards' : 'datagrams',
      };
      return;
    case 'L': {
      const fields = parseFieldList(v);
      if (fields.length === 0) throw new UsageError('-L needs at least one field name');
      o.format = { kind: 'fields', fields };
      return;
    }
    case 'ndjson':
      o.format = { kind: 'ndjson' };
      return;
    case 'x':
      o.redact = true;
      return;
    case 'p': {
      const port = Number(v);
      if (!/^\d+$/.test(v) || port > 65535) throw new UsageError(`bad UDP port '${v}'`);
      o.port = port;
      return;
    }
    case 'r':
      o.file = v;
      return;
    case 'f':
      o.forward.push(v);
      return;
    case '4':
      o.listen = 'v4';
      return;
    case '6':
      o.listen = 'v6';
      return;
    case 'A':
      o.listen = 'both';
      return;
    case 'b':
      o.bindAddress = v;
      return;
    case 'V':
    case 'v':
      o.vlans = vlanFilter(o.vlans, letter === 'V', v);
      return;
    case 'all-structures':
      o.allStructures = true;
      return;
    case 'verbose':
      o.verbose = true;
      return;
    case 'h':
      o.help = true;
      return;
    case 'z':
      o.version = true;
      return;
    // -k (keep going) and -D (names for -f) are how sflowkit always behaves.
    case 'k':
    case 'D':
      return;
  }
}

const MAX_VLAN = 4096;

/**
 * -V includes and -v excludes VLANs: lists like "0-20,4091". Starting with an exclusion lets every other VLAN
 * through. A sample passes if its input or its output VLAN does. Numbers are read as C's strtol reads them,
 * as sflowtool does: 0x10 is 16 and 010 is 8.
 */
function vlanFilter(current: Uint8Array | undefined, include: boolean, list: string): Uint8Array {
  const vlans = current ?? new Uint8Array(MAX_VLAN + 1).fill(include ? 0 : 1);
  const flag = include ? 1 : 0;
  const parts = list.split(/[ ,]+/).filter(Boolean);
  if (parts.length === 0)
    throw new UsageError(`bad VLAN list '${list}': expected numbers and ranges like 0-20,4091`);
  for (const part of parts) {
    const m = /^(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)(?:-(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*))?$/i.exec(part);
    if (!m) throw new UsageError(`bad VLAN list '${list}': expected numbers and ranges like 0-20,4091`);
    const first = cNumber(m[1]);
    const last = m[2] === undefined ? first : cNumber(m[2]);
    if (first > MAX_VLAN || last > MAX_VLAN)
      throw new UsageError(`VLAN ${Math.max(first, last)} out of range`);
    for (let x = first; x <= Math.max(first, last); x++) vlans[x] = flag;
  }
  return vlans;
}

/** A number as strtol(…, 0) reads it: hex after 0x, octal after a leading 0, else decimal. */
function cNumber(text: string): number {
  if (/^0x/i.test(text)) return Number.parseInt(text.slice(2), 16);
  if (text.length > 1 && text.startsWith('0')) return Number.parseInt(text, 8);
  return Number(text);
}
