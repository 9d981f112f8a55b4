/**
 * Application agents, as mod-sflow and memcached's sFlow send through hsflowd: a web server's sampled HTTP
 * requests (0:2206 with the connection's 0:2100/0:2101) and its http_counters (0:2201), and a memcache
 * server's sampled operations (0:2200 with the socket) and memcache_counters (0:2204). Counters count every
 * request and operation; samples are one in the sampling rate of them.
 */
import type { CounterRecord, FlowRecord, KnownSample } from '../sflow/model.js';
import { recordValue } from '../sflow/record-values.js';
import { COUNTER_RECORDS } from '../sflow/registry.js';
import { Agent, type Emitted, Poller, SamplePool } from './agent.js';
import type { Host } from './fabric.js';
import type { Random } from './random.js';
import type { Flow } from './traffic.js';

const TRANSACTION_SAMPLE_SIZE = 260;
const COUNTER_SAMPLE_SIZE = 180;
/** One request or operation in this many is sampled. */
export const APP_SAMPLING_RATE = 100;

const URIS = Array.from({ length: 200 }, (_, i) =>
  i === 0 ? '/' : i < 20 ? `/products/${i}` : i < 120 ? `/static/img/${i}.png` : `/api/v1/items/${i}`,
);
/** HTTP methods (GET, POST, HEAD) and their shares of requests. */
const METHOD_SHARES = [
  [2, 0.85],
  [4, 0.1],
  [3, 0.05],
] as const;
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64)',
  'curl/8.5.0',
  'Go-http-client/1.1',
  'python-requests/2.31.0',
];

/** Zipf-like popularity: item i (from 0) about 1/(i+1) as often as the first. */
function zipf(rnd: Random, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(rnd.next() * Math.log(n + 1)) - 1));
}

function socket(flow: Flow, serverPort: number): FlowRecord {
  const v6 = flow.srcIp.includes(':');
  const value = {
    protocol: 6,
    localIp: flow.dstIp,
    remoteIp: flow.srcIp,
    localPort: serverPort,
    remotePort: flow.srcPort,
  };
  return v6
    ? { name: 'extended_socket_ipv6', tag: '0:2101', value }
    : { name: 'extended_socket_ipv4', tag: '0:2100', value };
}

abstract class AppAgent {
  readonly agent: Agent;
  silent = false;
  protected sequence = 0;
  protected counterSequence = 0;
  private readonly pool = new SamplePool();
  private readonly poller: Poller;

  constructor(
    readonly host: Host,
    protected readonly rnd: Random,
    polling: [number, number],
    subAgentId: number,
  ) {
    this.agent = new Agent(host.ipv4, subAgentId, -rnd.between(3600, 30 * 86400));
    this.poller = new Poller(rnd, polling);
  }

  /** Transactions of `flow` during second `t`; samples one in APP_SAMPLING_RATE. */
  protected sampleTransactions(t: number, count: number, make: () => FlowRecord[]): void {
    const samples = this.silent ? 0 : this.rnd.poisson(count / APP_SAMPLING_RATE);
    for (let i = 0; i < samples; i++) {
      const records = make();
      const at = this.rnd.next();
      this.agent.add(t + at, TRANSACTION_SAMPLE_SIZE, () => {
        this.sequence++;
        return {
          name: 'flow_sample',
          tag: '0:1',
          sequenceNumber: this.sequence,
          sourceIdType: 3,
          sourceIdIndex: this.dataSource,
          samplingRate: APP_SAMPLING_RATE,
          samplePool: this.pool.at(at),
          drops: 0,
          inputFormat: 0,
          inputValue: 0,
          outputFormat: 0,
          outputValue: 0x3fffffff,
          records,
        };
      });
    }
    this.pool.add(count);
  }

  protected abstract readonly dataSource: number;
  protected abstract counters(): KnownSample;

  /** A counter sample of this application's data source holding `record`. */
  protected counterSample(record: CounterRecord): KnownSample {
    this.counterSequence++;
    return {
      name: 'counters_sample',
      tag: '0:2',
      sequenceNumber: this.counterSequence,
      sourceIdType: 3,
      sourceIdIndex: this.dataSource,
      records: [record],
    };
  }

  endSecond(t: number, out: Emitted[]): void {
    if (!this.silent && this.poller.due(t)) {
      this.agent.add(t + this.rnd.next(), COUNTER_SAMPLE_SIZE, () => this.counters());
    }
    this.agent.flush(out);
    this.pool.endSecond();
  }
}

export class WebAgent extends AppAgent {
  protected readonly dataSource = 80;
  /** Requests so far by method (GET, HEAD, POST) and by status class (index 1 to 5). */
  private readonly methods = new Map<number, number>();
  private readonly statuses = [0, 0, 0, 0, 0, 0];
  /** Extra 5xx share (0–1) a scenario sets. */
  errorRate = 0.01;

  constructor(host: Host, rnd: Random, polling: [number, number]) {
    super(host, rnd, polling, 1);
  }

  /** `flow` (a client's HTTP or HTTPS connection to this server) during second `t`. */
  requests(t: number, flow: Flow, bytes: number): void {
    // A request is about one packet.
    const count = bytes / 500;
    for (const [m, share] of METHOD_SHARES) this.methods.set(m, (this.methods.get(m) ?? 0) + count * share);
    this.statuses[2] += count * (0.84 - this.errorRate);
    this.statuses[3] += count * 0.07;
    this.statuses[4] += count * 0.05;
    this.statuses[5] += count * (0.04 + this.errorRate);
    this.sampleTransactions(t, count, () => [this.request(), socket(flow, flow.dstPort)]);
  }

  private request(): FlowRecord {
    const rnd = this.rnd;
    const method = rnd.weighted(METHOD_SHARES);
    const status = rnd.weighted([
      [200, 0.84 - this.errorRate],
      [304, 0.07],
      [404, 0.05],
      [rnd.pick([500, 502, 503]), 0.04 + this.errorRate],
    ] as const);
    return {
      name: 'http_request',
      tag: '0:2206',
      value: {
        method,
        protocol: 1001,
        uri: URIS[zipf(rnd, URIS.length)],
        host: 'www.example.test',
        referer: rnd.next() < 0.5 ? 'https://www.example.test/' : '',
        useragent: rnd.pick(AGENTS),
        xff: '',
        authuser: '',
        mimeType: 'text/html',
        reqBytes: BigInt(rnd.between(200, 800)),
        respBytes: BigInt(Math.round(rnd.pareto(2000, 1.3))),
        uS: Math.round(rnd.pareto(2000, 1.5)),
        status,
      },
    };
  }

  protected counters(): KnownSample {
    const m = (k: number) => Math.round(this.methods.get(k) ?? 0) >>> 0;
    const share = (c: number) => Math.round(this.statuses[c]) >>> 0;
    return this.counterSample({
      name: 'http_counters',
      tag: '0:2201',
      value: recordValue(COUNTER_RECORDS.http_counters.codec, {
        methodGetCount: m(2),
        methodHeadCount: m(3),
        methodPostCount: m(4),
        status2XXCount: share(2),
        status3XXCount: share(3),
        status4XXCount: share(4),
        status5XXCount: share(5),
      }),
    });
  }
}

export class MemcacheAgent extends AppAgent {
  protected readonly dataSource = 11211;
  /** A scenario's storm: the share of gets for one hot key, and the share of gets that miss. */
  hotKeyShare = 0;
  missRatio = 0.05;
  private gets = 0;
  private sets = 0;
  private hits = 0;
  private misses = 0;
  private bytesRead = 0;
  private bytesWritten = 0;

  constructor(host: Host, rnd: Random, polling: [number, number]) {
    super(host, rnd, polling, 2);
  }

  /** `flow` (a client's connection to this server) during second `t`, `multiplier` times its usual rate. */
  operations(t: number, flow: Flow, bytes: number, multiplier = 1): void {
    // An operation's request is about one packet.
    const count = (bytes / 150) * multiplier;
    this.gets += count * 0.8;
    this.sets += count * 0.15;
    this.hits += count * 0.8 * (1 - this.missRatio);
    this.misses += count * 0.8 * this.missRatio;
    this.bytesRead += bytes * multiplier;
    this.bytesWritten += bytes * 10 * multiplier;
    this.sampleTransactions(t, count, () => [this.operation(), socket(flow, 11211)]);
  }

  private operation(): FlowRecord {
    const rnd = this.rnd;
    const cmd = rnd.weighted([
      [7, 0.8],
      [1, 0.15],
      [11, 0.05],
    ] as const);
    const hot = cmd === 7 && rnd.next() < this.hotKeyShare;
    const key = hot ? 'user:hot' : `user:${zipf(rnd, 10000)}`;
    const status =
      cmd === 7 ? (rnd.next() < this.missRatio ? 8 : 1) : cmd === 1 ? 5 : rnd.next() < 0.8 ? 9 : 8;
    return {
      name: 'memcache_operation',
      tag: '0:2200',
      value: {
        protocol: 1,
        cmd,
        key,
        nkeys: 1,
        valueBytes: status === 8 ? 0 : rnd.between(100, 4000),
        uS: rnd.between(20, 400),
        status,
      },
    };
  }

  protected counters(): KnownSample {
    const n = (x: number) => Math.round(x) >>> 0;
    return this.counterSample({
      name: 'memcache_counters',
      tag: '0:2204',
      value: recordValue(COUNTER_RECORDS.memcache_counters.codec, {
        cmdSet: n(this.sets),
        getHits: n(this.hits),
        getMisses: n(this.misses),
        threads: 4,
        currConnections: 40,
        totalConnections: 1000 + n(this.gets / 1000),
        currItems: 10000,
        totalItems: n(this.sets),
        bytesRead: BigInt(Math.round(this.bytesRead)),
        bytesWritten: BigInt(Math.round(this.bytesWritten)),
        bytes: 512n * 1024n * 1024n,
        limitMaxbytes: 1024n * 1024n * 1024n,
      }),
    });
  }
}
