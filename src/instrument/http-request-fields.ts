/**
 * The fields of http_request (0:2206, https://sflow.org/sflow_http.txt) as Node's request and response objects
 * give them, filled as mod-sflow fills them (the corpus's apache-mod-sflow.pcap): request bytes count the request
 * line and headers with the body, response bytes the body alone.
 */
import type { IncomingMessage } from 'node:http';

/** The spec's method codes; 0 is "other". */
const METHOD_CODES: Record<string, number> = {
  OPTIONS: 1,
  GET: 2,
  HEAD: 3,
  POST: 4,
  PUT: 5,
  DELETE: 6,
  TRACE: 7,
  CONNECT: 8,
};

export function methodCode(method: string | undefined): number {
  return METHOD_CODES[method ?? ''] ?? 0;
}

/** `text` cut to at most `max` UTF-8 bytes, never inside a character (the spec's string<N> bounds). */
export function clip(text: string | undefined, max: number): string {
  if (text === undefined) return '';
  // Most strings are ASCII and short: no encoding needed to know they fit.
  if (text.length * 3 <= max || Buffer.byteLength(text) <= max) return text;
  let out = Buffer.from(text).subarray(0, max).toString('utf8');
  // A character cut in two decodes as U+FFFD (3 bytes): drop it.
  while (Buffer.byteLength(out) > max || out.endsWith('\ufffd')) out = out.slice(0, -1);
  return out;
}

/** An address as sFlow carries it: IPv4-mapped IPv6 (a dual-stack listener's view of IPv4) as IPv4. */
export function unmapped(address: string | undefined): string {
  return address?.startsWith('::ffff:') ? address.slice(7) : (address ?? '0.0.0.0');
}

/** The user of an Authorization: Basic header, if any. */
export function basicUser(header: string | undefined): string {
  if (!header?.startsWith('Basic ')) return '';
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded.slice(0, Math.max(0, decoded.indexOf(':')));
}

const NON_ASCII = /[^\0-\x7f]/;

/** The UTF-8 size of `text`, without a call into C++ when it is ASCII (headers nearly always are). */
function utf8Bytes(text: string): number {
  return NON_ASCII.test(text) ? Buffer.byteLength(text) : text.length;
}

/** What a sampled request's head gives the sample: its size as sent, and the headers the sample carries. */
export interface RequestHead {
  /** The bytes of the request line and headers, as the client sent them (Node keeps each name's case). */
  bytes: number;
  host?: string;
  referer?: string;
  userAgent?: string;
  /** Every X-Forwarded-For line, joined with ", " as req.headers joins them. */
  xff?: string;
  authorization?: string;
  contentLength?: string;
}

/**
 * One pass over the raw header lines: req.headers would build an object of every header for these few. The
 * first of a repeated header wins, as there.
 */
export function readRequestHead(req: IncomingMessage): RequestHead {
  // "METHOD URI HTTP/x.y\r\n" … "Name: value\r\n" … "\r\n"
  const head: RequestHead = { bytes: utf8Bytes(req.url ?? '') + (req.method?.length ?? 0) + 14 };
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    head.bytes += utf8Bytes(name) + utf8Bytes(value) + 4;
    switch (name.length) {
      case 4:
        if (name.toLowerCase() === 'host') head.host ??= value;
        break;
      case 7:
        if (name.toLowerCase() === 'referer') head.referer ??= value;
        break;
      case 10:
        if (name.toLowerCase() === 'user-agent') head.userAgent ??= value;
        break;
      case 13:
        if (name.toLowerCase() === 'authorization') head.authorization ??= value;
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') head.contentLength ??= value;
        break;
      case 15:
        if (name.toLowerCase() === 'x-forwarded-for')
          head.xff = head.xff === undefined ? value : `${head.xff}, ${value}`;
        break;
    }
  }
  return head;
}

/** A header among writeHead's arguments (an object of headers, or a flat array of names and values). */
export function headerArgument(args: readonly unknown[], name: string): string | undefined {
  const headers = args.find((a) => typeof a === 'object' && a !== null) as
    | Record<string, unknown>
    | unknown[]
    | undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
    return undefined;
  }
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return String(v);
  return undefined;
}

/** The bytes of a chunk given to res.write() or res.end(). */
export function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string')
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return chunk instanceof Uint8Array ? chunk.byteLength : 0;
}
