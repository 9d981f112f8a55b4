/**
 * One step of `npm run bench:peers`: a fresh collector, traffic at one rate for a bounded time, then what the
 * collector accounted for, the kernel's drops at its socket, its CPU time and peak RSS.
 */
import { mkdirSync } from 'node:fs';
import { type Collector, freeUdpPort, type Peer, waitUntil } from './peer.js';
import { socketReceiveBuffer, TreeMonitor, udpSocket } from './proc-stats.js';
import { sendPaced } from './sender.js';

/** How often the collector's process tree is sampled during a step. */
const SAMPLE_MS = 250;
/** How long to wait after the traffic for the collector to read what its socket still holds. */
const DRAIN_MS = 5000;

export interface StepPlan {
  rate: number;
  seconds: number;
  payloads: readonly Uint8Array[];
  /** Flow samples in the first n datagrams sent (the sender starts at payloads[0] on every step). */
  flowSamples: (n: number) => number;
  /** Passed on to the peer: the receive buffer to ask for, or undefined for its default. */
  receiveBuffer?: number;
}

export interface Step {
  rate: number;
  sent: number;
  achieved: number;
  /** The sender's CPU time over its sending time. */
  senderCpu: number;
  sendErrors: number;
  /** What the collector should have accounted for, in its unit: all that was sent. */
  expected: number;
  accounted?: number;
  /** Datagrams the kernel dropped at the collector's socket because its receive buffer was full. */
  kernelDrops: number;
  /** The receive buffer the kernel gave the collector's socket (ss), in bytes. */
  receiveBuffer?: number;
  /** The collector's CPU seconds from the first datagram until its socket was empty, and that time. */
  trafficCpu: number;
  trafficSeconds: number;
  /** Its CPU seconds over its whole life in this step: start, traffic, count, stop. */
  cpu: number;
  peakRss: number;
  error?: string;
}

export const loss = (s: Step) => (s.accounted === undefined ? Number.NaN : 1 - s.accounted / s.expected);

export async function runStep(peer: Peer, dir: string, plan: StepPlan): Promise<Step> {
  const { rate, seconds, payloads } = plan;
  const step: Step = {
    rate,
    sent: 0,
    achieved: 0,
    senderCpu: 0,
    sendErrors: 0,
    expected: 0,
    kernelDrops: 0,
    trafficCpu: 0,
    trafficSeconds: 0,
    cpu: 0,
    peakRss: 0,
  };
  mkdirSync(dir);
  const port = await freeUdpPort();
  let collector: Collector | undefined;
  let monitor: TreeMonitor | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    collector = await peer.start(port, dir, plan.receiveBuffer);
    const m = new TreeMonitor(collector.pid);
    monitor = m;
    m.sample();
    timer = setInterval(() => m.sample(), SAMPLE_MS);
    step.receiveBuffer = socketReceiveBuffer(port);
    const cpu0 = m.cpuSeconds();
    const t0 = performance.now();
    const sent = await sendPaced({ port, payloads, rate, seconds });
    step.sent = sent.sent;
    step.achieved = sent.achieved;
    step.senderCpu = sent.cpuSeconds / sent.seconds;
    step.sendErrors = sent.errors;
    step.expected = peer.unit === 'datagrams' ? sent.sent : plan.flowSamples(sent.sent);
    // What the kernel still holds for the collector is not lost yet: wait until it has read it.
    await waitUntil(() => udpSocket(port).rxQueue === 0, DRAIN_MS, 'socket not drained').catch(() => {});
    m.sample();
    step.trafficCpu = m.cpuSeconds() - cpu0;
    step.trafficSeconds = (performance.now() - t0) / 1000;
    step.kernelDrops = udpSocket(port).drops;
    step.accounted = await collector.count();
  } catch (e) {
    step.error = (e as Error).message;
  } finally {
    clearInterval(timer);
    monitor?.sample();
    await collector?.stop().catch((e: Error) => {
      step.error ??= `stop: ${e.message}`;
    });
  }
  if (monitor) {
    step.cpu = monitor.cpuSeconds();
    step.peakRss = monitor.peakRssBytes();
  }
  return step;
}
