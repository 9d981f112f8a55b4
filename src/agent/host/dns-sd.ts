/**
 * DNS-SD for the host agent, as hsflowd's mod_dnssd: SRV records of `_sflow._udp.<domain>` name the
 * collectors, its TXT record carries settings (`sampling=400`, `polling=20`, …) that override the file's, and
 * the smallest TTL among them says when to ask again. With no domain, the host's search domains are tried in
 * turn, as res_search does for hsflowd.
 * https://github.com/sflow/host-sflow/blob/master/src/Linux/mod_dnssd.c
 * https://sflow.net/host-sflow-linux-config.php (DNS-SD)
 *
 * Nothing here throws on a DNS problem: the result says `failed` (keep the last good config and retry),
 * `none` (DNS says there is no collector: hsflowd stops sending) or `ok`.
 */
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Collector } from '../exporter.js';
import { type QueryOptions, query } from './dns-sd-query.js';
import { txtSetting } from './dns-sd-settings.js';
import { type Answer, RCODE, type SrvData, TYPE } from './dns-sd-wire.js';
import type { HostAgentConfig } from './hsflowd-conf-types.js';

/** hsflowd's mod_dnssd: never ask again sooner than this… */
export const DNSSD_MIN_REQUERY_SECONDS = 10;
/** …and ask again after this when no record gave a TTL (or only TTLs of 0), or the lookup failed. */
export const DNSSD_RETRY_SECONDS = 300;
/** hsflowd waits a random 0–30 s before the first lookup, so that hosts restarted together do not ask together. */
export const DNSSD_START_DELAY_SECONDS = 30;
/**
 * Ours, not hsflowd's (it has no ceiling): a day. A larger TTL would overflow setTimeout (2^31 ms, 24.8 days,
 * after which Node fires at once), and a day bounds how long a forgotten record can pin the agent's settings.
 */
export const DNSSD_MAX_REQUERY_SECONDS = 86_400;

export interface DnsSdOptions extends QueryOptions {
  /** Where the search domains come from when no domain is given. */
  resolvConf?: string;
}

export interface DnsSdResult {
  status: 'ok' | 'none' | 'failed';
  collectors: Collector[];
  /** The TXT record's key=value strings as the server gave them (checked ones apply; see warnings). */
  settings: Record<string, string>;
  /** When to ask again. */
  ttlSeconds: number;
  /** The name whose records these are (or the first one asked, when none had any). */
  name?: string;
  /** Why there are no collectors, when there are none. */
  error?: string;
  /** Settings ignored, SRV targets without an address, a TXT lookup that failed. */
  warnings: string[];
}

/**
 * When to look again, from the TTLs of the records: the smallest non-zero one (hsflowd latches the minimum,
 * and a 0 only counts when all are 0), else DNSSD_RETRY_SECONDS; never under DNSSD_MIN_REQUERY_SECONDS or over
 * DNSSD_MAX_REQUERY_SECONDS. A TTL with its top bit set counts as 0 (RFC 2181 §8).
 */
export function requeryAfter(ttls: number[]): number {
  const usable = ttls.filter((t) => t > 0 && t < 2 ** 31);
  const ttl = usable.length > 0 ? Math.min(...usable) : DNSSD_RETRY_SECONDS;
  return Math.min(DNSSD_MAX_REQUERY_SECONDS, Math.max(DNSSD_MIN_REQUERY_SECONDS, ttl));
}

/** The search list of a resolv.conf: the last `search` or `domain` line wins, as resolv.conf(5) says. */
export function searchDomains(resolvConf: string): string[] {
  let domains: string[] = [];
  for (const line of resolvConf.split('\n')) {
    const [word, ...rest] = line
      .replace(/[#;].*/, '')
      .trim()
      .split(/\s+/);
    if (word === 'search' || word === 'domain')
      domains = (word === 'domain' ? rest.slice(0, 1) : rest).map(trimDots);
  }
  return domains.filter((d) => d.length > 0);
}

const trimDots = (d: string): string => d.replace(/^\.+|\.+$/g, '');

/** The DNS-SD name for a domain written as hsflowd.conf has it (`.example.com`) or plainly (`example.com`). */
export const serviceName = (domain: string): string => `_sflow._udp.${trimDots(domain)}`;

export async function discover(
  domain: string | undefined,
  resolver: DnsSdOptions = {},
): Promise<DnsSdResult> {
  const warnings: string[] = [];
  const result = (r: Partial<DnsSdResult> & Pick<DnsSdResult, 'status'>): DnsSdResult => ({
    collectors: [],
    settings: {},
    ttlSeconds: DNSSD_RETRY_SECONDS,
    warnings,
    ...r,
  });

  let domains: string[];
  if (domain !== undefined && trimDots(domain) !== '') domains = [domain];
  else {
    const path = resolver.resolvConf ?? '/etc/resolv.conf';
    domains = searchDomains(readText(path));
    if (domains.length === 0)
      return result({
        status: 'none',
        error: `no DNS-SD domain: none configured, and ${path} has no search domain`,
      });
  }

  // SRV: the first name with records wins.
  let name = serviceName(domains[0]!);
  let srv: Answer[] = [];
  const empty: string[] = [];
  for (const d of domains) {
    const asked = serviceName(d);
    let response: Awaited<ReturnType<typeof query>>;
    try {
      response = await query(asked, TYPE.SRV, resolver);
    } catch (e) {
      return result({ status: 'failed', name: asked, error: `SRV ${asked}: ${(e as Error).message}` });
    }
    if (response.rcode !== RCODE.NOERROR && response.rcode !== RCODE.NXDOMAIN)
      return result({ status: 'failed', name: asked, error: `SRV ${asked}: ${rcodeName(response.rcode)}` });
    srv = response.answers.filter((a) => a.type === TYPE.SRV);
    if (srv.length > 0) {
      name = asked;
      break;
    }
    empty.push(`${asked} (${response.rcode === RCODE.NXDOMAIN ? 'no such name' : 'no SRV record'})`);
  }

  // TXT is optional: hsflowd goes on with the SRV records alone.
  const settings: Record<string, string> = {};
  const ttls = srv.map((a) => a.ttl);
  try {
    const response = await query(name, TYPE.TXT, resolver);
    for (const a of response.answers.filter((x) => x.type === TYPE.TXT)) {
      ttls.push(a.ttl);
      for (const pair of a.data as string[]) {
        const eq = pair.indexOf('=');
        if (eq <= 0) {
          warnings.push(`TXT ${name}: '${pair}' is not key=value (ignored)`);
          continue;
        }
        const [key, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
        settings[key] = value;
        const checked = txtSetting(key, value);
        if (typeof checked === 'string') warnings.push(`TXT ${name}: ${checked}`);
      }
    }
  } catch (e) {
    warnings.push(`TXT ${name}: ${(e as Error).message}`);
  }
  const ttlSeconds = requeryAfter(ttls);

  if (srv.length === 0)
    return result({
      status: 'none',
      name,
      settings,
      ttlSeconds,
      error: `no collectors: ${empty.join(', ')}`,
    });

  const lookups = await Promise.all(srv.map((a) => collectorFor(a.data as SrvData, resolver)));
  const collectors: Collector[] = [];
  let hardFailure: string | undefined;
  for (const l of lookups) {
    if ('address' in l) collectors.push(l);
    else {
      warnings.push(`SRV ${name}: ${l.problem}`);
      if (l.hard) hardFailure ??= l.problem;
    }
  }
  // In a stable order, so that an unchanged record set reads as an unchanged config (hsflowd sorts too).
  collectors.sort((x, y) => x.address.localeCompare(y.address) || x.port - y.port);
  if (collectors.length > 0) return result({ status: 'ok', name, collectors, settings, ttlSeconds });
  return result({
    status: hardFailure ? 'failed' : 'none',
    name,
    settings,
    ttlSeconds,
    error: `no usable collector: ${hardFailure ?? warnings.at(-1)}`,
  });
}

/**
 * Merges a DNS-SD result over a configuration (the file's): the SRV records replace the collectors, even with
 * none (hsflowd stops sending then), and each valid TXT setting replaces the file's. A `failed` lookup changes
 * nothing, so pass the last good config, or keep it.
 */
export function applyDnsSd(config: HostAgentConfig, discovered: DnsSdResult): HostAgentConfig {
  if (discovered.status === 'failed') return config;
  const next = structuredClone(config);
  next.collectors = discovered.collectors.map((c) => ({ address: c.address, port: c.port }));
  for (const [key, value] of Object.entries(discovered.settings)) {
    const apply = txtSetting(key, value);
    if (typeof apply === 'function') apply(next);
  }
  return next;
}

type Lookup = Collector | { problem: string; hard: boolean };

/** One SRV record to a collector: its target may be an address already; else its A, or failing that its AAAA. */
async function collectorFor(srv: SrvData, options: DnsSdOptions): Promise<Lookup> {
  const target = srv.target;
  if (target === '' || target === '.')
    return { problem: "a target of '.' (service not offered)", hard: false };
  if (srv.port === 0) return { problem: `${target} has port 0`, hard: false };
  if (isIP(target) !== 0) return { address: target, port: srv.port };
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
  if (options.servers) resolver.setServers(options.servers);
  const [a, aaaa] = await Promise.allSettled([resolver.resolve4(target), resolver.resolve6(target)]);
  const address = (a.status === 'fulfilled' && a.value[0]) || (aaaa.status === 'fulfilled' && aaaa.value[0]);
  if (address) return { address, port: srv.port };
  const codes = [a, aaaa].map((r) =>
    r.status === 'rejected' ? String((r.reason as NodeJS.ErrnoException).code) : 'none',
  );
  const soft = codes.every((c) => c === 'ENOTFOUND' || c === 'ENODATA' || c === 'none');
  return { problem: `${target} has no address (A: ${codes[0]}, AAAA: ${codes[1]})`, hard: !soft };
}

function rcodeName(rcode: number): string {
  const name = Object.entries(RCODE).find(([, v]) => v === rcode)?.[0];
  return name ? `${name} from the server` : `rcode ${rcode} from the server`;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
