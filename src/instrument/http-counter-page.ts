/**
 * The counter page mod-sflow serves at /sflow (the seeds' Cacti script reads it): one `counter NAME VALUE` line
 * per http_counters field, with mod-sflow's names, then the host name and the sampling rate. Opt-in, and by
 * default only for clients on the loopback.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpCounters } from './http-data-source.js';

const NAMES: [string, keyof HttpCounters][] = [
  ['method_option_count', 'methodOptionCount'],
  ['method_get_count', 'methodGetCount'],
  ['method_head_count', 'methodHeadCount'],
  ['method_post_count', 'methodPostCount'],
  ['method_put_count', 'methodPutCount'],
  ['method_delete_count', 'methodDeleteCount'],
  ['method_trace_count', 'methodTraceCount'],
  ['method_connect_count', 'methodConnectCount'],
  ['method_other_count', 'methodOtherCount'],
  ['status_1XX_count', 'status1XXCount'],
  ['status_2XX_count', 'status2XXCount'],
  ['status_3XX_count', 'status3XXCount'],
  ['status_4XX_count', 'status4XXCount'],
  ['status_5XX_count', 'status5XXCount'],
  ['status_other_count', 'statusOtherCount'],
];

export interface CounterPageOptions {
  /** The page's path (/sflow). */
  path?: string;
  /** Which client addresses may read it (the loopback's). */
  allow?: (address: string) => boolean;
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}

export function counterPageText(counters: HttpCounters, hostname: string, samplingRate: number): string {
  const lines = NAMES.map(([name, key]) => `counter ${name} ${counters[key]}`);
  lines.push(`string hostname ${hostname}`, `gauge sampling_n ${samplingRate}`);
  return `${lines.join('\n')}\n`;
}

/** Answers `req` with the page, or 403 for a client not allowed; HEAD gets the headers alone. */
export function serveCounterPage(
  req: IncomingMessage,
  res: ServerResponse,
  page: Required<CounterPageOptions>,
  text: () => string,
): void {
  if (!page.allow(req.socket.remoteAddress ?? '')) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('the counter page is not open to this address\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' });
    res.end('the counter page answers GET and HEAD\n');
    return;
  }
  const body = text();
  res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Whether `url` (a request's, with any query) asks for the page at `path`. */
export function isCounterPage(url: string | undefined, path: string): boolean {
  if (url === undefined || !url.startsWith(path)) return false;
  const next = url.charCodeAt(path.length);
  return Number.isNaN(next) || next === 63 /* ? */;
}
