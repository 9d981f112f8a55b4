/**
 * The paced UDP sender of `npm run bench:peers`: offers a collector on 127.0.0.1 sFlow datagrams at a given rate
 * for a bounded time. Node has no sendmmsg, so every datagram is one send call; to reach high rates the sender
 * sends, on each turn of the event loop, every datagram that is due by then (up to MAX_BATCH), and yields with
 * setImmediate so that timers and I/O still run. When Node cannot keep up it stops at the time bound anyway and
 * reports the rate it achieved. Where a C compiler is found, bench/peers/native-sender.ts sends instead.
 */
import { createSocket, type Socket } from 'node:dgram';
import { nativeSender, sendNative } from './native-sender.js';

export interface SendPlan {
  port: number;
  /** Sent in order from payloads[0], starting again at the end. */
  payloads: readonly Uint8Array[];
  /** Datagrams per second. */
  rate: number;
  seconds: number;
}

export interface SendResult {
  /** Datagrams handed to the kernel (send calls minus errors). */
  sent: number;
  /** Send calls that failed (ECONNREFUSED when the collector is gone, ENOBUFS, …). */
  errors: number;
  /** From the first send until the last send left Node's queue. */
  seconds: number;
  /** The sender's own CPU time (user + system) over the step, in seconds. */
  cpuSeconds: number;
  /** sent / seconds. */
  achieved: number;
}

/**
 * Datagrams sent on one turn of the event loop at most: a burst that fits in a socket's default receive buffer
 * (net.core.rmem_default 212992 holds about 90 of these datagrams), so that the sender's batching is not what
 * makes a collector drop.
 */
const MAX_BATCH = 64;
/** How long to wait, after the time bound, for datagrams still in Node's send queue. */
const DRAIN_MS = 2000;

/** Sends with bench/native/udp-blast.c where it can be built, else from Node. */
export async function sendPaced(plan: SendPlan): Promise<SendResult> {
  const blast = nativeSender();
  return blast ? sendNative(blast, plan) : sendFromNode(plan);
}

async function sendFromNode(plan: SendPlan): Promise<SendResult> {
  const { port, payloads, rate, seconds } = plan;
  const total = Math.round(rate * seconds);
  const socket = createSocket('udp4');
  let errors = 0;
  socket.on('error', () => errors++);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const endMs = seconds * 1000;
  let calls = 0;
  let next = 0;
  await new Promise<void>((resolve) => {
    const turn = () => {
      const elapsed = performance.now() - t0;
      const due = Math.min(total, Math.floor((rate * elapsed) / 1000));
      const upTo = Math.min(due, calls + MAX_BATCH);
      while (calls < upTo) {
        socket.send(payloads[next]);
        next = next + 1 === payloads.length ? 0 : next + 1;
        calls++;
      }
      if (calls >= total || elapsed >= endMs) resolve();
      // Behind schedule: go on at once. On time: sleep a millisecond rather than spin, since on 2 cores a
      // spinning sender takes the core that the collector needs.
      else if (upTo < due) setImmediate(turn);
      else setTimeout(turn, 1);
    };
    turn();
  });
  await drain(socket);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  const sent = calls - errors;
  return {
    sent,
    errors,
    seconds: ms / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    achieved: sent / (ms / 1000),
  };
}

/** Waits until Node's send queue is empty (or DRAIN_MS has passed): every send call has then reached the kernel. */
async function drain(socket: Socket): Promise<void> {
  const until = performance.now() + DRAIN_MS;
  while (socket.getSendQueueCount() > 0 && performance.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 1));
}
