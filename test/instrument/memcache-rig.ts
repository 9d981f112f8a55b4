/**
 * The memcache proxy in-process for tests and the benchmark: listening on a free port of 127.0.0.1 in front of
 * a memcached, its sFlow sent to a real UDP socket and decoded there with our codec.
 */
import { SflowExporter } from '../../src/agent/exporter.js';
import { MemcacheProxy, type ProxyLog } from '../../src/instrument/memcache-proxy.js';
import { MemcacheSflow } from '../../src/instrument/memcache-sflow.js';
import { StatsClient } from '../../src/instrument/memcache-stats.js';
import { freePort } from './memcached.js';

export { Collector } from '../support/sflow-collector.js';

export interface Rig {
  proxy: MemcacheProxy;
  sflow: MemcacheSflow;
  exporter: SflowExporter;
  port: number;
  /** Sends what is queued and waits for it to arrive. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProxy(
  upstreamPort: number,
  o: { samplingRate: number; collectorPort?: number; maxPending?: number; log?: ProxyLog },
): Promise<Rig> {
  const port = await freePort();
  const exporter = new SflowExporter({
    agentAddress: '192.0.2.11',
    collectors: o.collectorPort ? [{ address: '127.0.0.1', port: o.collectorPort }] : [],
    flushMs: 20,
  });
  const stats = new StatsClient('127.0.0.1', upstreamPort);
  const sflow = new MemcacheSflow({
    exporter,
    samplingRate: o.samplingRate,
    pollingSeconds: 0,
    dataSource: port,
    readStats: () => stats.read(),
  });
  const proxy = new MemcacheProxy({
    listen: { host: '127.0.0.1', port },
    upstream: { host: '127.0.0.1', port: upstreamPort },
    sflow,
    ...(o.maxPending ? { maxPending: o.maxPending } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  await proxy.start();
  return {
    proxy,
    sflow,
    exporter,
    port,
    async settle() {
      exporter.flush();
      await new Promise((r) => setTimeout(r, 100));
    },
    async stop() {
      sflow.stop();
      stats.close();
      await proxy.stop();
      await exporter.close();
    },
  };
}
