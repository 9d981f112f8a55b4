/**
 * One HTTP data source (3:PORT, as mod-sflow's 3:80): its counters, its 1-in-N sampling, and the flow and
 * counter samples it sends. Every request passes through request(), so its unsampled path does only counting and
 * one listener shared by all responses; the sampled one (one in N) does the rest.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SflowExporter } from '../agent/exporter.js';
import type { CounterRecordValue, FlowRecordValue } from '../sflow/registry.js';
import {
  basicUser,
  chunkBytes,
  clip,
  headerArgument,
  methodCode,
  requestHeadBytes,
  unmapped,
} from './http-request-fields.js';
import { transactionSample } from './transaction-sample.js';

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

export type HttpCounters = CounterRecordValue<'http_counters'>;

/** Counters with every field at 0. */
export function zeroCounters(): HttpCounters {
  const c = {} as HttpCounters;
  for (const name of [...METHOD_COUNTERS, ...STATUS_COUNTERS]) c[name] = 0;
  return c;
}

/** Where a data source sends, and how often it samples. */
export interface SamplingContext {
  exporter: SflowExporter;
  /** One request in this many is sampled; 0: none. */
  rate: number;
  random: () => number;
}

export class HttpDataSource {
  // Counters wrap at 2^32 as the spec's counter32 do.
  private readonly methods = new Uint32Array(9);
  private readonly statuses = new Uint32Array(6);
  private active = 0;
  private pool = 0;
  private skip = 0;
  private rate = 0;
  private flowSequence = 0;
  private counterSequence = 0;
  /** The 'close' listener of every unsampled response: one function, so no closure is made per request. */
  private readonly onClose: (this: ServerResponse) => void;

  constructor(
    readonly index: number,
    private readonly context: SamplingContext,
  ) {
    const source = this;
    this.onClose = function (this: ServerResponse) {
      source.done(this.statusCode);
    };
    this.resample();
  }

  /** The sampling rate changed: the skip count restarts. */
  resample(): void {
    this.rate = Math.max(0, Math.floor(this.context.rate));
    this.skip = this.nextSkip();
  }

  /** sFlow's random skip: the next sample after 1 to 2N−1 requests, N on average. */
  private nextSkip(): number {
    return this.rate <= 1 ? 1 : 1 + Math.floor(this.context.random() * (2 * this.rate - 1));
  }

  /** A request begins: counted now, its status when its response closes (answered, or the connection lost). */
  request(req: IncomingMessage, res: ServerResponse): void {
    const m = methodCode(req.method);
    this.methods[m]++;
    this.active++;
    this.pool = (this.pool + 1) >>> 0;
    if (this.rate === 0 || --this.skip > 0) {
      res.on('close', this.onClose);
      return;
    }
    this.skip = this.nextSkip();
    this.sample(req, res, m);
  }

  private done(status: number): void {
    this.active--;
    this.statuses[status >= 100 && status < 600 ? Math.floor(status / 100) : 0]++;
  }

  /** Follows a sampled request to its end: the MIME type and body bytes on the way out, then the sample. */
  private sample(req: IncomingMessage, res: ServerResponse, method: number): void {
    const started = performance.now();
    const readBefore = req.socket.bytesRead;
    const pool = this.pool;
    let headArgs: unknown[] = [];
    let body = 0;
    // Headers given to writeHead() are not kept where getHeader() looks: catch them on the way.
    const { writeHead, write, end } = res;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      headArgs = args;
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      body += chunkBytes(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      if (typeof args[0] !== 'function') body += chunkBytes(args[0], args[1]);
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.end;
    res.on('close', () => {
      const status = res.statusCode;
      this.done(status);
      const uS = Math.min(0xffffffff, Math.round((performance.now() - started) * 1000));
      // A declared body is known; a chunked one is what the socket read while the request lasted.
      const length = Number(req.headers['content-length']);
      const reqBody = length >= 0 ? length : Math.max(0, req.socket.bytesRead - readBefore);
      const header = (name: string) => res.getHeader(name)?.toString() ?? headerArgument(headArgs, name);
      // As Apache counts: the body the application gave, sent or not (none goes with 204 or 304); for HEAD,
      // which has none, the body it would have had.
      const respBytes = method === 3 && body === 0 ? Number(header('content-length')) || 0 : body;
      this.send(
        req,
        {
          method,
          protocol: req.httpVersionMajor * 1000 + req.httpVersionMinor,
          uri: clip(req.url, 255),
          host: clip(req.headers.host, 64),
          referer: clip(req.headers.referer, 255),
          useragent: clip(req.headers['user-agent'], 128),
          xff: clip(req.headers['x-forwarded-for'] as string | undefined, 64),
          authuser: clip(basicUser(req.headers.authorization), 32),
          mimeType: clip(header('content-type'), 64),
          reqBytes: BigInt(requestHeadBytes(req) + reqBody),
          respBytes: BigInt(respBytes),
          uS,
          status,
        },
        pool,
      );
    });
  }

  private send(req: IncomingMessage, request: FlowRecordValue<'http_request'>, pool: number): void {
    const socket = req.socket;
    this.flowSequence = (this.flowSequence + 1) >>> 0;
    this.context.exporter.add(
      transactionSample({
        sequenceNumber: this.flowSequence,
        dataSource: this.index,
        samplingRate: this.rate,
        samplePool: pool,
        socket: {
          localIp: unmapped(socket.localAddress),
          remoteIp: unmapped(socket.remoteAddress),
          localPort: socket.localPort ?? 0,
          remotePort: socket.remotePort ?? 0,
        },
        record: { name: 'http_request', tag: '0:2206', value: request },
      }),
    );
  }

  /** The counters so far. */
  counters(): HttpCounters {
    const c = zeroCounters();
    for (const [i, name] of METHOD_COUNTERS.entries()) c[name] = this.methods[i];
    for (const [i, name] of STATUS_COUNTERS.entries()) c[name] = this.statuses[i];
    return c;
  }

  /** Requests begun and not yet closed. */
  get inFlight(): number {
    return this.active;
  }

  get samplingRate(): number {
    return this.rate;
  }

  /**
   * A counter sample, as mod-sflow's: requests in flight as active workers (Node has no worker pool to size, so
   * no maximum), the host as parent (2:1, the host agent's data source), and the counters.
   */
  poll(): void {
    this.counterSequence = (this.counterSequence + 1) >>> 0;
    this.context.exporter.add({
      name: 'counters_sample',
      tag: '0:2',
      sequenceNumber: this.counterSequence,
      sourceIdType: 3,
      sourceIdIndex: this.index,
      records: [
        {
          name: 'app_workers',
          tag: '0:2206',
          value: { workersActive: this.active, workersIdle: 0, workersMax: 0, reqDelayed: 0, reqDropped: 0 },
        },
        { name: 'host_parent', tag: '0:2002', value: { containerType: 2, containerIndex: 1 } },
        { name: 'http_counters', tag: '0:2201', value: this.counters() },
      ],
    });
  }
}
