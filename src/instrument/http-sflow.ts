/**
 * sFlow for Node's HTTP servers, as mod-sflow is for Apache (https://sflow.org/sflow_http.txt): every request
 * counts in the server's http_counters (0:2201, sent every polling interval), and one in N, chosen at random
 * as sFlow samples, becomes a flow sample with its http_request (0:2206: method, protocol, URI, host, referrer,
 * user agent, X-Forwarded-For, user, MIME type, bytes each way, duration, status) and its connection
 * (extended_socket_ipv4/ipv6, 0:2100/0:2101). The data source is the server's port, as mod-sflow's 3:80.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { SflowExporter } from '../agent/exporter.js';
import type { CounterRecordValue, FlowRecordValue } from '../sflow/registry.js';

export interface HttpSflowOptions {
  exporter: SflowExporter;
  /** One request in this many is sampled (mod-sflow's default: 400). */
  samplingRate?: number;
  /** Seconds between counter samples (20, hsflowd's default). */
  pollingSeconds?: number;
  /** The data source index: the server's port unless given. */
  dataSource?: number;
  /** A random number in [0, 1): the sampling's coin (Math.random). */
  random?: () => number;
}

export interface HttpSflow {
  /** The counters so far. */
  counters(): CounterRecordValue<'http_counters'>;
  /** Sends a counter sample now (as the polling timer does). */
  poll(): void;
  /** Stops sampling and polling. */
  stop(): void;
}

const METHODS: Record<string, number> = {
  OPTIONS: 1,
  GET: 2,
  HEAD: 3,
  POST: 4,
  PUT: 5,
  DELETE: 6,
  TRACE: 7,
  CONNECT: 8,
};
const METHOD_COUNTERS = [
  'methodOtherCount',
  'methodOptionCount',
  'methodGetCount',
  'methodHeadCount',
  'methodPostCount',
  'methodPutCount',
  'methodDeleteCount',
  'methodTraceCount',
  'methodConnectCount',
] as const;
const STATUS_COUNTERS = [
  'statusOtherCount',
  'status1XXCount',
  'status2XXCount',
  'status3XXCount',
  'status4XXCount',
  'status5XXCount',
] as const;

/** `text` cut to at most `max` UTF-8 bytes, never inside a character (the spec's string<N> bounds). */
export function clip(text: string | undefined, max: number): string {
  if (text === undefined) return '';
  if (Buffer.byteLength(text) <= max) return text;
  let out = Buffer.from(text).subarray(0, max).toString('utf8');
  // A character cut in two decodes as U+FFFD (3 bytes): drop it.
  while (Buffer.byteLength(out) > max || out.endsWith('\ufffd')) out = out.slice(0, -1);
  return out;
}

function unmapped(address: string | undefined): string {
  return address?.startsWith('::ffff:') ? address.slice(7) : (address ?? '0.0.0.0');
}

/** The user of an Authorization: Basic header, if any. */
function basicUser(header: string | undefined): string {
  if (!header?.startsWith('Basic ')) return '';
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded.slice(0, Math.max(0, decoded.indexOf(':')));
}

/** The content-type among writeHead's arguments (an object of headers, or a flat array of names and values). */
function contentType(args: unknown[]): string | undefined {
  const headers = args.find((a) => typeof a === 'object' && a !== null) as
    | Record<string, unknown>
    | unknown[]
    | undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      if (String(headers[i]).toLowerCase() === 'content-type') return String(headers[i + 1]);
    return undefined;
  }
  for (const [k, v] of Object.entries(headers ?? {}))
    if (k.toLowerCase() === 'content-type') return String(v);
  return undefined;
}

/** Instruments `server` (node:http or node:https); returns its counters and a stop switch. */
export function instrumentHttp(server: Server, o: HttpSflowOptions): HttpSflow {
  const rate = Math.max(1, Math.floor(o.samplingRate ?? 400));
  const random = o.random ?? Math.random;
  const counters: CounterRecordValue<'http_counters'> = {
    methodOptionCount: 0,
    methodGetCount: 0,
    methodHeadCount: 0,
    methodPostCount: 0,
    methodPutCount: 0,
    methodDeleteCount: 0,
    methodTraceCount: 0,
    methodConnectCount: 0,
    methodOtherCount: 0,
    status1XXCount: 0,
    status2XXCount: 0,
    status3XXCount: 0,
    status4XXCount: 0,
    status5XXCount: 0,
    statusOtherCount: 0,
  };
  let pool = 0;
  let flowSequence = 0;
  let counterSequence = 0;
  // sFlow's random skip: the next sample after 1 to 2N−1 requests, N on average.
  const nextSkip = () => (rate === 1 ? 1 : 1 + Math.floor(random() * (2 * rate - 1)));
  let skip = nextSkip();
  const marks = new WeakMap<object, [number, number]>();
  const index = () => o.dataSource ?? (server.address() as { port?: number } | null)?.port ?? 0;

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const method = METHODS[req.method ?? ''] ?? 0;
    counters[METHOD_COUNTERS[method]] = (counters[METHOD_COUNTERS[method]] + 1) >>> 0;
    pool = (pool + 1) >>> 0;
    const sampled = --skip === 0;
    if (sampled) skip = nextSkip();
    const started = process.hrtime.bigint();
    const socket = req.socket;
    // Headers given to writeHead() are not kept where getHeader() looks: catch the MIME type on the way.
    let mimeType: string | undefined;
    if (sampled) {
      const writeHead = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        mimeType = contentType(args);
        return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as typeof res.writeHead;
    }
    res.once('finish', () => {
      // Bytes on the connection since the request before on it ended: this request's and response's, headers
      // included (a request's first bytes may be read before its 'request' event, so that cannot be the start).
      const [read, written] = marks.get(socket) ?? [0, 0];
      marks.set(socket, [socket.bytesRead, socket.bytesWritten]);
      const status = res.statusCode;
      const klass = status >= 100 && status < 600 ? Math.floor(status / 100) : 0;
      counters[STATUS_COUNTERS[klass]] = (counters[STATUS_COUNTERS[klass]] + 1) >>> 0;
      if (!sampled) return;
      const request: FlowRecordValue<'http_request'> = {
        method,
        protocol: req.httpVersionMajor * 1000 + req.httpVersionMinor,
        uri: clip(req.url, 255),
        host: clip(req.headers.host, 64),
        referer: clip(req.headers.referer, 255),
        useragent: clip(req.headers['user-agent'], 128),
        xff: clip(req.headers['x-forwarded-for'] as string | undefined, 64),
        authuser: clip(basicUser(req.headers.authorization), 32),
        mimeType: clip(res.getHeader('content-type')?.toString() ?? mimeType, 64),
        reqBytes: BigInt(Math.max(0, socket.bytesRead - read)),
        respBytes: BigInt(Math.max(0, socket.bytesWritten - written)),
        uS: Math.min(0xffffffff, Number((process.hrtime.bigint() - started) / 1000n)),
        status,
      };
      const local = unmapped(socket.localAddress);
      const v6 = local.includes(':');
      const connection = {
        protocol: 6,
        localIp: local,
        remoteIp: unmapped(socket.remoteAddress),
        localPort: socket.localPort ?? 0,
        remotePort: socket.remotePort ?? 0,
      };
      flowSequence = (flowSequence + 1) >>> 0;
      o.exporter.add({
        name: 'flow_sample',
        tag: '0:1',
        sequenceNumber: flowSequence,
        sourceIdType: 3,
        sourceIdIndex: index(),
        samplingRate: rate,
        samplePool: pool,
        drops: 0,
        inputFormat: 0,
        inputValue: 0,
        outputFormat: 0,
        outputValue: 0,
        records: [
          { name: 'http_request', tag: '0:2206', value: request },
          v6
            ? { name: 'extended_socket_ipv6', tag: '0:2101', value: connection }
            : { name: 'extended_socket_ipv4', tag: '0:2100', value: connection },
        ],
      });
    });
  };

  const poll = () => {
    counterSequence = (counterSequence + 1) >>> 0;
    o.exporter.add({
      name: 'counters_sample',
      tag: '0:2',
      sequenceNumber: counterSequence,
      sourceIdType: 3,
      sourceIdIndex: index(),
      records: [{ name: 'http_counters', tag: '0:2201', value: { ...counters } }],
    });
  };
  server.prependListener('request', onRequest);
  const timer = setInterval(poll, (o.pollingSeconds ?? 20) * 1000).unref();
  return {
    counters: () => ({ ...counters }),
    poll,
    stop() {
      clearInterval(timer);
      server.off('request', onRequest);
    },
  };
}
