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

/** The bytes of the request line and headers, as the client sent them (Node keeps each name's case). */
export function requestHeadBytes(req: IncomingMessage): number {
  // "METHOD URI HTTP/x.y\r\n" … "Name: value\r\n" … "\r\n"
  let n = Buffer.byteLength(req.url ?? '') + (req.method?.length ?? 0) + 12;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2)
    n += Buffer.byteLength(raw[i]) + Buffer.byteLength(raw[i + 1]) + 4;
  return n + 2;
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
