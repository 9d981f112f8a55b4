/**
 * A TCP proxy in front of a stock memcached that reports sFlow as memcached's own sFlow did: one upstream
 * connection per client, bytes forwarded both ways unchanged and in order, each direction paused while the
 * other side's buffer drains. The memcache streams are parsed beside the forwarding (memcache-tracker.ts),
 * never in its way: a stream that cannot be parsed is still forwarded, only no longer sampled, and counted.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { MemcacheSflow } from './memcache-sflow.js';
import { ConnectionTracker } from './memcache-tracker.js';
import type { ClientSocket } from './transaction-sample.js';

export interface Endpoint {
  host: string;
  port: number;
}

export type ProxyLog = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export interface MemcacheProxyOptions {
  listen: Endpoint;
  upstream: Endpoint;
  sflow: MemcacheSflow;
  /** Operations awaiting their answer on one connection, at most (4,096). */
  maxPending?: number;
  log?: ProxyLog;
}

export interface ProxyCounts {
  /** Client connections accepted, and open now. */
  connections: number;
  open: number;
  /** Upstream connections that failed or broke. */
  upstreamErrors: number;
  /** Connections whose stream could no longer be followed (forwarded, not sampled), by reason. */
  lost: Record<string, number>;
  operations: number;
  sampled: number;
}

const QUIET: ProxyLog = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
} as unknown as ProxyLog;

/** The address as the socket records want it: IPv4 clients of a dual-stack listener are plain IPv4. */
function unmapped(address: string | undefined): string {
  return address?.startsWith('::ffff:') ? address.slice(7) : (address ?? '0.0.0.0');
}

export class MemcacheProxy {
  readonly counts: ProxyCounts = {
    connections: 0,
    open: 0,
    upstreamErrors: 0,
    lost: {},
    operations: 0,
    sampled: 0,
  };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly log: ProxyLog;
  /** When each kind of warning was last logged, and how many were held back since: at most one a second. */
  private readonly warned = new Map<string, { at: number; held: number }>();

  constructor(private readonly o: MemcacheProxyOptions) {
    this.log = o.log ?? QUIET;
    this.server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
  }

  /** Listens; resolves with the address (port 0 picks a free one). */
  start(): Promise<Endpoint> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.listen.port, this.o.listen.host, () => {
        this.server.off('error', reject);
        this.server.on('error', (e) => this.log.error({ error: e.message }, 'memcache-proxy listener'));
        resolve(this.address());
      });
    });
  }

  address(): Endpoint {
    const a = this.server.address();
    return typeof a === 'object' && a !== null ? { host: a.address, port: a.port } : this.o.listen;
  }

  /** Bytes queued in the proxy for sending, over all connections: bounded by backpressure, whatever the load. */
  buffered(): number {
    let n = 0;
    for (const s of this.sockets) n += s.writableLength;
    return n;
  }

  /** Stops listening and closes every connection. */
  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const { sflow, upstream: to } = this.o;
    const counts = this.counts;
    counts.connections++;
    counts.open++;
    client.setNoDelay(true);
    const upstream = connect({ host: to.host, port: to.port, allowHalfOpen: true });
    upstream.setNoDelay(true);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const socket: ClientSocket = {
      localIp: unmapped(client.localAddress),
      remoteIp: unmapped(client.remoteAddress),
      localPort: client.localPort ?? 0,
      remotePort: client.remotePort ?? 0,
    };
    const tracker = new ConnectionTracker({
      maxPending: this.o.maxPending ?? 4096,
      sample: () => sflow.sample(),
      done: (op) => {
        counts.operations++;
        if (op.sampled) counts.sampled++;
        sflow.report(op, socket);
      },
      lost: (code, message) => {
        counts.lost[code] = (counts.lost[code] ?? 0) + 1;
        this.warn(
          `lost:${code}`,
          { code, message, client: `${socket.remoteIp}:${socket.remotePort}` },
          'a connection is no longer followed (still forwarded, no longer sampled)',
        );
      },
    });

    // Parse, then forward: the parse never throws, and a request's clock starts before it leaves.
    client.on('data', (chunk: Buffer) => {
      tracker.fromClient(chunk);
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('data', (chunk: Buffer) => {
      tracker.fromServer(chunk);
      if (!client.write(chunk)) upstream.pause();
    });
    upstream.on('drain', () => client.resume());
    client.on('drain', () => upstream.resume());
    // A half close goes through as one (a client may end its side and still read its answers).
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', (e) => {
      this.log.debug({ error: e.message }, 'client connection');
      upstream.destroy();
    });
    upstream.on('error', (e: NodeJS.ErrnoException) => {
      counts.upstreamErrors++;
      this.warn(
        `upstream:${e.code}`,
        { upstream: `${to.host}:${to.port}`, error: e.message },
        'upstream connection failed; the client is closed',
      );
      // What the upstream sent so far still reaches the client; then a clean close.
      client.destroySoon();
    });
    client.on('close', () => {
      counts.open--;
      tracker.close();
      upstream.destroy();
      this.sockets.delete(client);
    });
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      if (!client.writableEnded) client.destroySoon();
    });
  }

  private warn(kind: string, fields: Record<string, unknown>, message: string): void {
    const now = Date.now();
    const w = this.warned.get(kind);
    if (w !== undefined && now - w.at < 1000) {
      w.held++;
      return;
    }
    this.log.warn(w?.held ? { ...fields, heldBack: w.held } : fields, message);
    this.warned.set(kind, { at: now, held: 0 });
  }
}
