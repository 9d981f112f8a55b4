/**
 * The analyzer's thread (see analyzer.ts): takes batches of datagrams from the socket's thread and answers
 * each with how many it is done with; starts with the serve configuration it is given, says when it is ready
 * (with its HTTP port) or why it could not start, and stops on request. A datagram that throws past the
 * engine (which counts what it cannot read) is logged; the next one goes on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type DatagramBatch, type QueueCounts, unbatch } from '../collector/datagram-batcher.js';
import { readKernelUdpCounters, socketDrops } from '../collector/kernel-drops.js';
import type { ServeConfig } from '../common/config.js';
import { createLogger } from '../common/logger.js';
import { startAnalyzer } from './analyzer.js';

export interface WorkerInput {
  config: ServeConfig;
  /** The sFlow port the socket's thread listens on (for its kernel drop counters). */
  sflowPort: number;
}

export type WorkerMessage =
  | { type: 'ready'; httpPort: number }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'done'; n: number }
  | { type: 'stopped' };

const port = parentPort;
if (port === null) throw new Error('analyzer-worker.js runs as a worker thread');
const { config, sflowPort } = workerData as WorkerInput;
const log = createLogger(config.logLevel);
const send = (m: WorkerMessage) => port.postMessage(m);

let queue: QueueCounts = { queued: 0, dropped: 0, highWater: 0, waiting: 0 };
const kernelAtStart = readKernelUdpCounters();
const collectorCounts = () => ({
  sFlowQueueDrops: queue.dropped,
  sFlowQueueWaiting: queue.waiting,
  sFlowQueueHighWater: queue.highWater,
  sFlowSocketDrops: socketDrops(sflowPort),
  udpRcvbufErrors: readKernelUdpCounters().rcvbufErrors - kernelAtStart.rcvbufErrors,
});

startAnalyzer(config, log, collectorCounts).then(
  (analyzer) => {
    port.on('message', (m: DatagramBatch | { type: 'counts'; counts: QueueCounts } | { type: 'stop' }) => {
      if (m.type === 'stop') {
        analyzer.stop().then(() => send({ type: 'stopped' }));
        return;
      }
      if (m.type === 'counts') {
        queue = m.counts;
        return;
      }
      queue = m.counts;
      unbatch(m, (bytes, source, time) => {
        try {
          analyzer.engine.receive(bytes, source, time);
        } catch (e) {
          log.error({ err: e, source }, 'datagram handling failed');
        }
      });
      send({ type: 'done', n: m.ends.length });
    });
    send({ type: 'ready', httpPort: analyzer.httpPort });
  },
  (e: NodeJS.ErrnoException) =>
    send({ type: 'failed', message: e.message, ...(e.code ? { code: e.code } : {}) }),
);
