/**
 * Sending the simulated data center's datagrams to a collector over UDP: in real time (each datagram when
 * its agent would send it) or at a set rate, with a bound on sends queued in the socket. Used by
 * `sflowkit generate` and by `sflowkit serve --demo`.
 */
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DataCenter } from '../generator/data-center.js';

/** Sends queued in the socket before the sender waits for them. */
const MAX_QUEUED = 2000;

export class UdpTargetError extends Error {}

export interface UdpTarget {
  address: string;
  port: number;
  family: 4 | 6;
}

/** udp://HOST:PORT with HOST an IPv4 address, a name, or [IPv6], resolved now. */
export async function udpTarget(url: string): Promise<UdpTarget> {
  const m = /^udp:\/\/(\[([^\]]+)\]|[^:/[\]]+):(\d+)\/?$/.exec(url);
  const port = Number(m?.[3]);
  if (!m || !(port > 0 && port < 65536))
    throw new UdpTargetError(`bad --out '${url}': expected udp://HOST:PORT or udp://[IPV6]:PORT`);
  const host = m[2] ?? m[1];
  if (isIP(host)) return { address: host, port, family: isIP(host) as 4 | 6 };
  const found = await lookup(host).catch((e: Error) => {
    throw new UdpTargetError(`--out: cannot resolve '${host}': ${e.message}`);
  });
  return { address: found.address, port, family: found.family as 4 | 6 };
}

/**
 * Sends in real time (each datagram when its agent would), or with `rate` the n-th at n / rate seconds,
 * `limit` in all, until `signal` aborts. A send that fails is counted; if any did, it says so and the command fails.
 */
export async function toUdp(
  dc: DataCenter,
  target: UdpTarget,
  rate?: number,
  limit = Number.POSITIVE_INFINITY,
  signal?: AbortSignal,
): Promise<number> {
  const socket = createSocket(target.family === 6 ? 'udp6' : 'udp4');
  socket.on('error', (e) => process.stderr.write(`sflowkit generate: ${e.message}\n`));
  const began = performance.now();
  let n = 0;
  let failed = 0;
  let queued = 0;
  let drained: (() => void) | undefined;
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  outer: for (let second = dc.nextSecond(); second; second = dc.nextSecond()) {
    for (const e of second) {
      if (n >= limit || signal?.aborted) break outer;
      const due = rate === undefined ? e.time * 1000 : (n * 1000) / rate;
      const early = began + due - performance.now();
      if (early > 1) await wait(early);
      // A sender that falls behind does not queue without bound.
      if (queued > MAX_QUEUED) await new Promise<void>((r) => (drained = r));
      queued++;
      socket.send(e.bytes, target.port, target.address, (err) => {
        if (err) failed++;
        queued--;
        if (queued <= MAX_QUEUED / 2 && drained) {
          const d = drained;
          drained = undefined;
          d();
        }
      });
      n++;
    }
  }
  while (queued > 0) await wait(5);
  await new Promise<void>((r) => socket.close(() => r()));
  if (failed > 0)
    throw new UdpTargetError(`${failed} of ${n} sends to ${target.address}:${target.port} failed`);
  return n;
}
