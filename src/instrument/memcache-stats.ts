/**
 * The upstream memcached's own statistics, asked with `stats` on a connection of the proxy's own (so no client
 * stream is touched), as memcache_counters (0:2204, https://sflow.org/sflow_memcache.txt): the counters
 * memcached's own sFlow sent. A statistic the server does not give stays at the record's zero value.
 */
import { connect, type Socket } from 'node:net';
import { recordValue } from '../sflow/record-values.js';
import { MemcacheCounters } from '../sflow/records/memcache.js';
import type { CounterRecordValue } from '../sflow/registry.js';

export type MemcacheCountersValue = CounterRecordValue<'memcache_counters'>;

/** The record's fields are memcached's statistics in camelCase: cmdSet is cmd_set, limitMaxbytes limit_maxbytes. */
const STAT_OF = Object.keys((MemcacheCounters.shape as { fields: Record<string, unknown> }).fields).map(
  (field) => [field, field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] as const,
);

export function memcacheCounters(stats: ReadonlyMap<string, string>): MemcacheCountersValue {
  const value = recordValue(MemcacheCounters, {}) as unknown as Record<string, number | bigint>;
  for (const [field, stat] of STAT_OF) {
    const text = stats.get(stat);
    if (text === undefined || !/^\d{1,20}$/.test(text)) continue;
    // memcached keeps 64-bit counts; the spec's 32-bit fields wrap, as a counter may.
    const n = BigInt.asUintN(64, BigInt(text));
    value[field] = typeof value[field] === 'bigint' ? n : Number(BigInt.asUintN(32, n));
  }
  return value as unknown as MemcacheCountersValue;
}

/** `STAT name value` lines up to END, as a map; throws on anything else. */
export function parseStats(text: string): Map<string, string> {
  const stats = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line === 'END' || line === '') continue;
    const m = /^STAT (\S+) (.*)$/.exec(line);
    if (!m) throw new Error(`not a stats answer: '${line.slice(0, 60)}'`);
    stats.set(m[1], m[2]);
  }
  return stats;
}

const END = /(^|\r\n)END\r\n$/;
/** A stats answer is a few kB; more is not memcached. */
const MAX_ANSWER = 256 * 1024;

/** One connection to the upstream for `stats`, opened when first needed and again after it fails. */
export class StatsClient {
  private socket: Socket | undefined;
  private text = '';
  private waiting: { resolve: (s: Map<string, string>) => void; reject: (e: Error) => void } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs = 2000,
  ) {}

  read(): Promise<Map<string, string>> {
    if (this.waiting) return Promise.reject(new Error('a stats read is already under way'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.timer = setTimeout(
        () => this.fail(new Error(`no answer to stats within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      this.text = '';
      (this.socket ?? this.open()).write('stats\r\n');
    });
  }

  close(): void {
    this.fail(new Error('closed'));
  }

  private open(): Socket {
    const s = connect({ host: this.host, port: this.port });
    s.setNoDelay(true);
    s.setEncoding('latin1');
    s.unref();
    s.on('data', (d: string) => this.data(d));
    s.on('error', (e) => this.fail(e));
    s.on(
      'close',
      () => this.socket === s && this.fail(new Error('the upstream closed the stats connection')),
    );
    this.socket = s;
    return s;
  }

  private data(d: string): void {
    this.text += d;
    if (this.text.length > MAX_ANSWER) this.fail(new Error('the stats answer is too long'));
    else if (/^(ERROR|CLIENT_ERROR|SERVER_ERROR)/.test(this.text)) this.fail(new Error(this.text.trim()));
    if (!END.test(this.text)) return;
    const w = this.waiting;
    this.waiting = undefined;
    clearTimeout(this.timer);
    try {
      w?.resolve(parseStats(this.text));
    } catch (e) {
      w?.reject(e as Error);
    }
  }

  private fail(e: Error): void {
    clearTimeout(this.timer);
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  }
}
