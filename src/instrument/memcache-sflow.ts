/**
 * sFlow of memcache operations (https://sflow.org/sflow_memcache.txt) as memcached's own sFlow sent it (the
 * corpus's memcached-sflow.pcap, from sflow/memcached): one data source, 3:PORT; one operation in N, chosen by
 * sFlow's random skip, as a flow sample of memcache_operation (0:2200) and the client's socket (0:2100/0:2101),
 * with output 0x3FFFFFFF ("internal": the server answered it); every polling interval a counter sample of the
 * server's memcache_counters (0:2204), and of the proxy's own operations by outcome (app_operations, 0:2202,
 * https://sflow.org/sflow_application.txt).
 */
import type { SflowExporter } from '../agent/exporter.js';
import type { CounterRecordValue, FlowRecordValue } from '../sflow/registry.js';
import { CMD, type Operation, STATUS } from './memcache-operation.js';
import { memcacheCounters } from './memcache-stats.js';
import { type ClientSocket, transactionSample } from './transaction-sample.js';

export interface MemcacheSflowOptions {
  exporter: SflowExporter;
  /** One operation in this many is sampled; 0: none. */
  samplingRate: number;
  /** Seconds between counter samples; 0: none. */
  pollingSeconds: number;
  /** The data source index: the port the proxy listens on, as memcached's was its port. */
  dataSource: number;
  /** The server's statistics (memcached's `stats`). */
  readStats: () => Promise<ReadonlyMap<string, string>>;
  /** A random number in [0, 1): the sampling's coin (Math.random). */
  random?: () => number;
  /** The server's statistics could not be read: that counter sample has only the proxy's own counts. */
  onPollError?: (e: Error) => void;
}

type AppOperations = CounterRecordValue<'app_operations'>;
type Outcome = Exclude<keyof AppOperations, 'application'>;

/** An operation's outcome for app_operations, from its memcache status. */
function outcome(op: Operation): Outcome {
  switch (op.status) {
    case STATUS.OK:
    case STATUS.STORED:
    case STATUS.DELETED:
      return 'success';
    case STATUS.EXISTS:
      // A hit, except for cas: there EXISTS means someone else changed the item.
      return op.cmd === CMD.CAS ? 'other' : 'success';
    case STATUS.NOT_FOUND:
      return 'notFound';
    case STATUS.CLIENT_ERROR:
      return 'badRequest';
    case STATUS.SERVER_ERROR:
      return 'internalError';
    case STATUS.ERROR:
      return 'notImplemented';
  }
  // NOT_STORED, and UNKNOWN (noreply: the server never said).
  return 'other';
}

export class MemcacheSflow {
  private rate: number;
  private pool = 0;
  private skip = 0;
  private flowSequence = 0;
  private counterSequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = 0;
  private readonly random: () => number;
  private readonly operations: AppOperations = {
    application: 'memcache',
    success: 0,
    other: 0,
    timeout: 0,
    internalError: 0,
    badRequest: 0,
    forbidden: 0,
    tooLarge: 0,
    notImplemented: 0,
    notFound: 0,
    unavailable: 0,
    unauthorized: 0,
  };

  constructor(private readonly o: MemcacheSflowOptions) {
    this.random = o.random ?? Math.random;
    this.rate = 0;
    this.configure(o.samplingRate, o.pollingSeconds);
  }

  /** New settings (an auto file's revision): the skip count restarts, the polling timer too if it changed. */
  configure(samplingRate: number, pollingSeconds: number): void {
    const rate = Math.max(0, Math.floor(samplingRate));
    if (rate !== this.rate) {
      this.rate = rate;
      this.skip = this.nextSkip();
    }
    if (pollingSeconds !== this.polling) {
      this.polling = pollingSeconds;
      clearInterval(this.timer);
      this.timer =
        pollingSeconds > 0 ? setInterval(() => void this.poll(), pollingSeconds * 1000).unref() : undefined;
    }
  }

  get samplingRate(): number {
    return this.rate;
  }

  /** Operations by outcome so far (app_operations). */
  counts(): AppOperations {
    return { ...this.operations };
  }

  setExporter(exporter: SflowExporter): void {
    this.o.exporter = exporter;
  }

  /** sFlow's random skip: the next sample after 1 to 2N−1 operations, N on average. */
  private nextSkip(): number {
    return this.rate <= 1 ? 1 : 1 + Math.floor(this.random() * (2 * this.rate - 1));
  }

  /** A new operation: counted in the pool; whether it is sampled. */
  sample(): boolean {
    this.pool = (this.pool + 1) >>> 0;
    if (this.rate === 0 || --this.skip > 0) return false;
    this.skip = this.nextSkip();
    return true;
  }

  /** An operation done: counted by outcome, and sent when it was sampled. */
  report(op: Operation, socket: ClientSocket): void {
    const o = outcome(op);
    this.operations[o] = (this.operations[o] + 1) >>> 0;
    if (!op.sampled || this.rate === 0) return;
    const key =
      op.key === undefined
        ? new Uint8Array(0)
        : typeof op.key === 'string'
          ? Buffer.from(op.key, 'latin1')
          : op.key;
    const operation: FlowRecordValue<'memcache_operation'> = {
      protocol: op.protocol,
      cmd: op.cmd,
      // string<255>: a longer key (binary allows 64 kB) is cut.
      key: key.subarray(0, 255),
      nkeys: op.nkeys,
      valueBytes: Math.min(op.valueBytes, 0xffffffff),
      uS: op.uS,
      status: op.status,
    };
    this.flowSequence = (this.flowSequence + 1) >>> 0;
    this.o.exporter.add(
      transactionSample({
        sequenceNumber: this.flowSequence,
        dataSource: this.o.dataSource,
        samplingRate: this.rate,
        samplePool: this.pool,
        socket,
        record: { name: 'memcache_operation', tag: '0:2200', value: operation },
      }),
    );
  }

  /** Sends a counter sample now (as the polling timer does). */
  async poll(): Promise<void> {
    let counters: CounterRecordValue<'memcache_counters'> | undefined;
    try {
      counters = memcacheCounters(await this.o.readStats());
    } catch (e) {
      this.o.onPollError?.(e as Error);
    }
    this.counterSequence = (this.counterSequence + 1) >>> 0;
    this.o.exporter.add({
      name: 'counters_sample',
      tag: '0:2',
      sequenceNumber: this.counterSequence,
      sourceIdType: 3,
      sourceIdIndex: this.o.dataSource,
      records: [
        ...(counters ? [{ name: 'memcache_counters' as const, tag: '0:2204', value: counters }] : []),
        { name: 'app_operations', tag: '0:2202', value: this.counts() },
      ],
    });
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
