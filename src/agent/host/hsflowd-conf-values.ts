/**
 * The forms a value in hsflowd.conf can take, and their checks. Each parser returns the value or throws the
 * reason as a phrase ("must be on or off") that the caller completes with the key, the text and the line.
 * Integers take hsflowd's K/M/G suffixes (`sampling.10G = 10K`); speeds also take T and P.
 * https://github.com/sflow/host-sflow/blob/master/src/Linux/hsflowconfig.c (expectInteger32, expectCIDR, …)
 */
import { isIP } from 'node:net';

/** A link-speed range in bits per second, as `pcap { speed = 1G-10G }`; `1G` alone is exactly 1G, `1G-` has no top. */
export interface SpeedRange {
  min: number;
  max: number;
}

/** `agent.cidr = 10.0.0.0/8` prefers agent addresses in the prefix; `!10.0.0.0/8` rules them out. */
export interface AgentCidr {
  address: string;
  bits: number;
  exclude: boolean;
}

export type Value = number | boolean | string | SpeedRange | AgentCidr;

export type Kind =
  | { t: 'int'; min: number; max: number; what?: string }
  | { t: 'float'; min: number; max: number }
  | { t: 'onoff' }
  | { t: 'string' }
  | { t: 'regex' }
  | { t: 'address' }
  | { t: 'cidr' }
  | { t: 'speeds' }
  | { t: 'uuid' }
  | { t: 'direction' };

const MULTIPLIER: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };

/** A whole number with an optional K/M/G(/T/P) suffix, or NaN. */
export function wholeNumber(text: string, suffixes = 'kmg'): number {
  const m = /^(\d+)([a-z])?$/i.exec(text);
  if (!m) return Number.NaN;
  const mult =
    m[2] === undefined ? 1 : suffixes.includes(m[2].toLowerCase()) ? MULTIPLIER[m[2].toLowerCase()]! : 0;
  const n = Number(m[1]) * mult;
  return mult && Number.isSafeInteger(n) ? n : Number.NaN;
}

/**
 * A host name as RFC 1123 allows, which hsflowd would hand to getaddrinfo. The last label may not be all digits
 * (RFC 3696 §2), so that a mistyped address such as 10.0.0.300 is not taken for a name.
 */
export function isHostName(text: string): boolean {
  return (
    text.length <= 253 &&
    /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$/i.test(text) &&
    !/(^|\.)\d+\.?$/.test(text)
  );
}

export function parseCidr(text: string): AgentCidr | undefined {
  const exclude = text.startsWith('!');
  const m = /^([^/]+)\/(\d{1,3})$/.exec(exclude ? text.slice(1) : text);
  if (!m) return undefined;
  const family = isIP(m[1]!);
  const bits = Number(m[2]);
  if (family === 0 || bits > (family === 4 ? 32 : 128)) return undefined;
  return { address: m[1]!, bits, exclude };
}

export function describe(kind: Kind): string {
  switch (kind.t) {
    case 'int':
      return `must be ${kind.what ?? 'a whole number'} ${kind.min}–${kind.max}`;
    case 'float':
      return `must be a number ${kind.min}–${kind.max}`;
    case 'onoff':
      return 'must be on or off';
    case 'string':
      return 'must be a name';
    case 'regex':
      return 'must be a regular expression';
    case 'address':
      return 'must be an IP address or host name';
    case 'cidr':
      return 'must be an address prefix such as 10.0.0.0/8 or 2001:db8::/32 (or !prefix)';
    case 'speeds':
      return 'must be a speed or range of speeds in bits per second, such as 1G, 1G-10G or 10M-';
    case 'uuid':
      return 'must be a UUID';
    case 'direction':
      return 'must be in, out or both';
  }
}

function speed(text: string): number {
  return wholeNumber(text, 'kmgtp');
}

/** The value `text` stands for, or undefined when it is not of the kind. */
export function parseValue(kind: Kind, text: string): Value | undefined {
  switch (kind.t) {
    case 'int': {
      const n = wholeNumber(text);
      return n >= kind.min && n <= kind.max ? n : undefined;
    }
    case 'float': {
      if (!/^\d+(\.\d*)?(e[-+]?\d+)?$/i.test(text)) return undefined;
      const n = Number(text);
      return n >= kind.min && n <= kind.max ? n : undefined;
    }
    case 'onoff': {
      const t = text.toLowerCase();
      return t === 'on' ? true : t === 'off' ? false : undefined;
    }
    case 'string':
      return text.length > 0 ? text : undefined;
    case 'regex':
      try {
        new RegExp(text);
        return text;
      } catch {
        return undefined;
      }
    case 'address':
      return isIP(text) !== 0 || isHostName(text) ? text : undefined;
    case 'cidr':
      return parseCidr(text);
    case 'speeds': {
      const dash = text.indexOf('-');
      const lo = dash < 0 ? text : text.slice(0, dash);
      const hi = dash < 0 ? undefined : text.slice(dash + 1);
      const min = speed(lo);
      const max = hi === undefined ? min : hi === '' ? Number.POSITIVE_INFINITY : speed(hi);
      return Number.isNaN(min) || Number.isNaN(max) || max < min ? undefined : { min, max };
    }
    case 'uuid':
      return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text)
        ? text
        : undefined;
    case 'direction': {
      const t = text.toLowerCase();
      return t === 'in' || t === 'out' || t === 'both' ? t : undefined;
    }
  }
}
