/**
 * One HTTP data source (3:PORT, as mod-sflow's 3:80): its counters, its 1-in-N sampling, and the flow and
 * counter samples it sends. Every request passes through request(): the unsampled path only counts, and learns
 * of the response's end from http-response-ends.ts; the sampled one (one in N) follows its response out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SflowExporter } from '../agent/exporter.js';
import type { CounterRecordValue } from '../sflow/registry.js';
import { XdrWriter } from '../xdr/writer.js';
import {
  basicUser,
  clip,
  headerArgument,
  methodCode,
  readRequestHead,
  unmapped,
} from './http-request-fields.js';
import { follow, type ResponseEnds } from './http-response-ends.js';
import { type Tapped, tap, untap } from './http-response-tap.js';
import { writeHttpSample } from './http-sample-bytes.js';

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

/** What a sampled request carries to its end. */
interface Sampled extends Tapped {
  started: number;
  readBefore: number;
  pool: number;
  method: number;
}

export class HttpDataSource implements ResponseEnds {
  // Counters wrap at 2^32 as the spec's counter32 do.
  private readonly methods = new Uint32Array(9);
  private readonly statuses = new Uint32Array(6);
  private active = 0;
  private pool = 0;
  private skip = 0;
  private rate = 0;
  private flowSequence = 0;
  private counterSequence = 0;
  /** Where each sample is written, then copied to the exporter's queue. */
  private readonly writer = new XdrWriter(1024);

  constructor(
    readonly index: number,
    private readonly context: SamplingContext,
  ) {
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

  /** A request begins: counted now, its status when its response ends (sent, or its connection lost). */
  request(req: IncomingMessage, res: ServerResponse): void {
    const m = methodCode(req.method);
    this.methods[m]++;
    this.active++;
    this.pool = (this.pool + 1) >>> 0;
    follow(req.socket, this);
    if (this.rate === 0 || --this.skip > 0) return;
    this.skip = this.nextSkip();
    this.sample(req, res, m);
  }

  /**
   * A response ended: by the application, or abandoned with the status set so far (as Apache logs an aborted
   * request). A sampled one is sent when the response closes, sent whole or not, so that its duration is to
   * the end of its sending, as mod-sflow's is.
   */
  ended(res: ServerResponse): void {
    this.active--;
    const status = res.statusCode;
    this.statuses[status >= 100 && status < 600 ? Math.floor(status / 100) : 0]++;
    const s = untap(res);
    if (s === undefined) return;
    // on(), not once(): once() wraps the listener in a bound function that removeListener() then meets, and
    // Node's code that takes its own listener off every connection at every response stops being inlined
    // (docs/benchmarks.md). A response closes once.
    if (res.destroyed) this.send(res, s as Sampled);
    else res.on('close', () => this.send(res, s as Sampled));
  }

  /** Follows a sampled request to its end: writeHead's headers and the body bytes on the way out. */
  private sample(req: IncomingMessage, res: ServerResponse, method: number): void {
    const s: Sampled = {
      started: performance.now(),
      readBefore: req.socket.bytesRead,
      pool: this.pool,
      method,
      headArgs: [],
      body: 0,
    };
    tap(res, s);
  }

  /** The sample of a request that ended, written as it goes in a datagram. */
  private send(res: ServerResponse, s: Sampled): void {
    const req = res.req;
    const socket = req.socket;
    const uS = Math.min(0xffffffff, Math.round((performance.now() - s.started) * 1000));
    const head = readRequestHead(req);
    // A declared body is known; a chunked one is what the socket read while the request lasted.
    const length = Number(head.contentLength);
    const reqBody = length >= 0 ? length : Math.max(0, socket.bytesRead - s.readBefore);
    const header = (name: string) => res.getHeader(name)?.toString() ?? headerArgument(s.headArgs, name);
    // As Apache counts: the body the application gave, sent or not (none goes with 204 or 304); for HEAD,
    // which has none, the body it would have had.
    const respBytes = s.method === 3 && s.body === 0 ? Number(header('content-length')) || 0 : s.body;
    this.flowSequence = (this.flowSequence + 1) >>> 0;
    const w = this.writer.reset();
    writeHttpSample(
      w,
      {
        sequenceNumber: this.flowSequence,
        dataSource: this.index,
        samplingRate: this.rate,
        samplePool: s.pool,
      },
      {
        localIp: unmapped(socket.localAddress),
        remoteIp: unmapped(socket.remoteAddress),
        localPort: socket.localPort ?? 0,
        remotePort: socket.remotePort ?? 0,
      },
      {
        method: s.method,
        protocol: req.httpVersionMajor * 1000 + req.httpVersionMinor,
        uri: clip(req.url, 255),
        host: clip(head.host, 64),
        referer: clip(head.referer, 255),
        useragent: clip(head.userAgent, 128),
        xff: clip(head.xff, 64),
        authuser: clip(basicUser(head.authorization), 32),
        mimeType: clip(header('content-type'), 64),
        reqBytes: head.bytes + reqBody,
        respBytes,
        uS,
        status: res.statusCode,
      },
    );
    this.context.exporter.addEncoded(w.view(0));
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
