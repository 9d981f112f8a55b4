/**
 * Forwarding of received sFlow datagrams, unchanged, to other collectors: sflowtool's `-f host/port`, repeatable.
 * Sending never blocks or fails decoding: each send is fire-and-forget, and a failure only counts against its
 * target (sent, failed, last error), reported by `summary()`.
 */

import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** A parsed `host/port`; `family` is 0 for a host name, resolved when the forwarder opens. */
export interface ForwardingTarget {
  host: string;
  port: number;
  family: 0 | 4 | 6;
}

export interface ForwardingStats {
  target: string;
  sent: number;
  failed: number;
  lastError?: string;
}

/** Resolves a host name to one address; `dns.lookup` unless a test injects another. */
export type Resolve = (host: string) => Promise<{ address: string; family: number }>;

// sflowtool asks for 2 MB on its forwarding sockets so a burst to several targets is not dropped locally;
// the kernel caps it (net.core.wmem_max).
const SEND_BUFFER_BYTES = 2_000_000;

/**
 * Parses sflowtool's `host/port`: split on the first '/', host a numeric IPv4 or IPv6 address (`::1/6343`,
 * `[::1]/6343`) or a host name, port 1 to 65534 (sflowtool rejects 65535 too).
 */
export function parseTarget(spec: string): ForwardingTarget {
  const bad = (why: string) => new Error(`bad forwarding target '${spec}': ${why}`);
  const slash = spec.indexOf('/');
  if (slash < 0) throw bad('expected host/port');
  let host = spec.slice(0, slash);
  const portText = spec.slice(slash + 1);
  if (host === '') throw bad('expected host/port, the host is empty');
  if (portText === '') throw bad('expected host/port, the port is empty');
  if (!/^\d+$/.test(portText)) throw bad(`port '${portText}' is not a number`);
  const port = Number(portText);
  if (port < 1 || port > 65534) throw bad(`port ${portText} is not in 1..65534`);
  if (host.startsWith('[')) {
    const inner = host.endsWith(']') ? host.slice(1, -1) : '';
    if (isIP(inner) !== 6) throw bad(`'${host}' is not a bracketed IPv6 address`);
    host = inner;
  }
  const family = isIP(host);
  if (family === 4 || family === 6) return { host, port, family };
  if (host.includes(':')) throw bad(`'${host}' is not a valid IPv6 address`);
  // getaddrinfo would read '10.1.2' or '010.0.0.1' as legacy IPv4 forms; refuse them rather than guess.
  if (/^[\d.]+$/.test(host)) throw bad(`'${host}' is not a valid IPv4 address`);
  if (!/^[A-Za-z0-9_.-]{1,253}$/.test(host)) throw bad(`'${host}' is not an IP address or host name`);
  return { host, port, family: 0 };
}

interface Target {
  name: string;
  address: string;
  port: number;
  socket: Socket;
  sent: number;
  failed: number;
  lastError?: string;
  /** Created once per target so that a send allocates no closure. */
  done: (err: Error | null) => void;
}

type Resolved = { name: string; address: string; port: number; family: 4 | 6 };

export class Forwarder {
  private readonly targets: Target[];
  private pending = 0;
  private closing = false;
  private closed: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private readonly socketErrors = new Map<string, { count: number; last: string }>();

  private constructor(
    resolved: Resolved[],
    private readonly sockets: Map<4 | 6, Socket>,
  ) {
    this.targets = resolved.map((r) => {
      const t: Target = {
        name: r.name,
        address: r.address,
        port: r.port,
        socket: sockets.get(r.family)!,
        sent: 0,
        failed: 0,
        done: (err) => {
          if (err) {
            t.failed++;
            t.lastError = err.message;
          } else t.sent++;
          if (--this.pending === 0) this.drained?.();
        },
      };
      return t;
    });
    for (const [family, socket] of sockets) {
      // Sends carry callbacks, so their errors never come here; anything else is counted, never thrown.
      socket.on('error', (e) => {
        const s = this.socketErrors.get(`udp${family}`) ?? { count: 0, last: '' };
        s.count++;
        s.last = e.message;
        this.socketErrors.set(`udp${family}`, s);
      });
    }
  }

  /**
   * Parses every `host/port`, resolves host names and opens one UDP socket per address family in use.
   * Rejects on a bad spec, an unresolvable host or a socket that cannot be opened.
   */
  static async open(specs: string[], resolve: Resolve = dnsLookup): Promise<Forwarder> {
    const parsed = specs.map(parseTarget);
    const resolved = await Promise.all(
      parsed.map(async ({ host, port, family }): Promise<Resolved> => {
        const name = `${host}/${port}`;
        if (family !== 0) return { name, address: host, port, family };
        let r: { address: string; family: number };
        try {
          r = await resolve(host);
        } catch (e) {
          throw new Error(`cannot resolve forwarding target '${name}': ${(e as Error).message}`);
        }
        if (r.family !== 4 && r.family !== 6) {
          throw new Error(
            `cannot resolve forwarding target '${name}': unexpected address family ${r.family}`,
          );
        }
        return { name, address: r.address, port, family: r.family };
      }),
    );
    const sockets = new Map<4 | 6, Socket>();
    try {
      for (const { family, name } of resolved) {
        if (!sockets.has(family)) sockets.set(family, await openSocket(family, name));
      }
    } catch (e) {
      for (const s of sockets.values()) s.close();
      throw e;
    }
    return new Forwarder(resolved, sockets);
  }

  /**
   * Sends the datagram to every target and returns at once; never throws. The bytes normally reach the kernel
   * before this returns (see `openSocket`), but the caller should not reuse the buffer before `close()`.
   */
  send(datagram: Uint8Array): void {
    for (const t of this.targets) {
      if (this.closing) {
        t.failed++;
        t.lastError = 'forwarder closed';
        continue;
      }
      this.pending++;
      try {
        t.socket.send(datagram, t.port, t.address, t.done);
      } catch (e) {
        this.pending--;
        t.failed++;
        t.lastError = (e as Error).message;
      }
    }
  }

  /** Counts per target, in the order given to `open`; final once `close()` has resolved. */
  stats(): ForwardingStats[] {
    return this.targets.map((t) => {
      const s: ForwardingStats = { target: t.name, sent: t.sent, failed: t.failed };
      if (t.lastError !== undefined) s.lastError = t.lastError;
      return s;
    });
  }

  /** One line per target, e.g. `forwarded to 127.0.0.1/6343: 1000 sent, 2 failed (send EMSGSIZE …)`. */
  summary(): string {
    const lines = this.targets.map((t) => {
      const resolved = t.name === `${t.address}/${t.port}` ? '' : ` (${t.address})`;
      const why = t.lastError === undefined ? '' : ` (${t.lastError})`;
      return `forwarded to ${t.name}${resolved}: ${t.sent} sent, ${t.failed} failed${why}`;
    });
    for (const [type, e] of this.socketErrors)
      lines.push(`forwarding ${type} socket: ${e.count} errors (${e.last})`);
    return lines.join('\n');
  }

  /** Waits for every send in flight to complete, so that the counts are final, then closes the sockets. */
  close(): Promise<void> {
    this.closing = true;
    this.closed ??= (async () => {
      if (this.pending > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      await Promise.all(
        [...this.sockets.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      );
    })();
    return this.closed;
  }
}

/**
 * Binds a socket to the wildcard address on an ephemeral port, as sflowtool's first sendto would. Its lookup
 * answers synchronously: every address it sees is numeric (names are resolved in `open`), and dgram's default
 * `dns.lookup` defers each send to a later tick, which would keep every datagram of a synchronous loop (a capture
 * file) queued in memory until the loop ends.
 */
async function openSocket(family: 4 | 6, forTarget: string): Promise<Socket> {
  const type = family === 4 ? 'udp4' : 'udp6';
  let socket: Socket | undefined;
  try {
    socket = createSocket({ type, lookup: (address, _options, callback) => callback(null, address, family) });
    const s = socket;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(0, family === 4 ? '0.0.0.0' : '::', () => {
        s.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    try {
      socket?.close();
    } catch {
      // Already closed by the failure.
    }
    throw new Error(`cannot open a ${type} socket to forward to '${forTarget}': ${(e as Error).message}`);
  }
  try {
    socket.setSendBufferSize(SEND_BUFFER_BYTES);
  } catch {
    // The default buffer still works; only bursts suffer.
  }
  return socket;
}
