/**
 * `npm run bench:memcache -- [SECONDS] [CONNECTIONS]`: what the memcache proxy costs. A Node client (the tests'
 * test/instrument/memcache-client.ts) runs CONNECTIONS connections (default 4), each one request at a time, of
 * 90% gets (a thousand keys, a tenth of them missing) and 10% sets of 100-byte values, for SECONDS (default 5,
 * after 1 s of warm-up), against Debian's memcached directly and through `sflowkit memcache-proxy` sampling 1 in
 * 100 (its own process, as deployed, sending to a UDP socket here that counts the samples), and through a bare
 * node:net pipe (no parsing, no sFlow: what the extra hop alone costs), text and binary protocol; then memaslap
 * (memcaslap, Debian's libmemcached-tools) direct and through the proxy, when installed. Prints operations/s and
 * the client's latency (median, p99) for each, and the proxy's share; passes nothing.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { decodeDatagram } from '../src/sflow/index.js';
import { BinaryClient, SET_EXTRAS, TextClient } from '../test/instrument/memcache-client.js';
import { freePort, startMemcached } from '../test/instrument/memcached.js';

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = Number(process.argv[3] ?? 4);
const SAMPLING = 100;
const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const MEMASLAP = '/usr/bin/memcaslap';
const KEYS = 1000;
const VALUE = 'v'.repeat(100);

if (
  !(SECONDS >= 1 && SECONDS <= 600) ||
  !(Number.isInteger(CONNECTIONS) && CONNECTIONS >= 1 && CONNECTIONS <= 256)
) {
  console.error('usage: node dist/bench/memcache.js [SECONDS 1-600 (5)] [CONNECTIONS 1-256 (4)]');
  process.exit(2);
}

interface Result {
  ops: number;
  seconds: number;
  latencies: Float64Array;
}

/** The i-th request of a connection: 90% gets (keys ≥ 900 are never set: misses), 10% sets. */
function request(i: number, seed: number): { get: boolean; key: string } {
  const x = (Math.imul(i + 1, 2654435761) ^ seed) >>> 0;
  return x % 10 === 0 ? { get: false, key: `key:${x % 900}` } : { get: true, key: `key:${(x >>> 4) % KEYS}` };
}

async function textLoop(
  port: number,
  seed: number,
  until: number,
  record: (ms: number) => void,
): Promise<void> {
  const c = await TextClient.connect(port);
  for (let i = 0; performance.now() < until; i++) {
    const r = request(i, seed);
    const t0 = performance.now();
    if (r.get) await c.call(`get ${r.key}`);
    else await c.call(`set ${r.key} 0 0 ${VALUE.length}`, VALUE);
    record(performance.now() - t0);
  }
  c.close();
}

async function binaryLoop(
  port: number,
  seed: number,
  until: number,
  record: (ms: number) => void,
): Promise<void> {
  const c = await BinaryClient.connect(port);
  for (let i = 0; performance.now() < until; i++) {
    const r = request(i, seed);
    const t0 = performance.now();
    await c.call(
      r.get ? { opcode: 0x00, key: r.key } : { opcode: 0x01, key: r.key, extras: SET_EXTRAS, value: VALUE },
    );
    record(performance.now() - t0);
  }
  c.close();
}

async function run(port: number, binary: boolean): Promise<Result> {
  const loop = binary ? binaryLoop : textLoop;
  const warm = performance.now() + 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, s) => loop(port, s, warm, () => {})));
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, (_, s) => loop(port, s + 100, end, (ms) => latencies.push(ms))),
  );
  const seconds = (performance.now() - start) / 1000;
  return { ops: latencies.length, seconds, latencies: Float64Array.from(latencies).sort() };
}

const quantile = (sorted: Float64Array, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const us = (ms: number) => `${Math.round(ms * 1000)} µs`;
const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} ops/s`;

/** The proxy as deployed: `sflowkit memcache-proxy` in its own process. */
async function startProxyProcess(
  upstream: number,
  collector: number,
): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'memcache-proxy',
      '--listen',
      `127.0.0.1:${port}`,
      '--upstream',
      `127.0.0.1:${upstream}`,
      '--sampling',
      String(SAMPLING),
      '--polling',
      '5',
      '--collector',
      `127.0.0.1:${collector}`,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  await waitFor(port, child);
  return { port, child };
}

/** The extra hop and nothing else: a node:net proxy that pipes bytes, in its own process. */
const PIPE = `const net = require('node:net');
const [port, upstream] = process.argv.slice(1).map(Number);
net.createServer((c) => {
  const u = net.connect(upstream, '127.0.0.1');
  c.setNoDelay(true); u.setNoDelay(true); c.pipe(u); u.pipe(c);
  c.on('error', () => u.destroy()); u.on('error', () => c.destroy());
}).listen(port, '127.0.0.1');`;

async function startPipe(upstream: number): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', PIPE, String(port), String(upstream)], { stdio: 'inherit' });
  await waitFor(port, child);
  return { port, child };
}

async function waitFor(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await TextClient.connect(port).then(
      (c) => {
        c.close();
        return true;
      },
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error(`nothing listens on ${port}`);
}

function memaslap(port: number, binary: boolean): number | undefined {
  const args = ['-s', `127.0.0.1:${port}`, '-t', `${SECONDS}s`, '-T', '2', '-c', String(CONNECTIONS * 4)];
  const r = spawnSync(MEMASLAP, binary ? [...args, '-B'] : args, {
    encoding: 'utf8',
    timeout: (SECONDS + 30) * 1000,
  });
  const m = /TPS: (\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : undefined;
}

async function main(): Promise<void> {
  const memcached = await startMemcached();
  const samples = { flows: 0, counters: 0 };
  const udp = createSocket('udp4');
  udp.on('message', (m) => {
    for (const s of decodeDatagram(m).samples) {
      if (s.name === 'flow_sample') samples.flows++;
      else if (s.name === 'counters_sample') samples.counters++;
    }
  });
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  const proxy = await startProxyProcess(memcached.port, udp.address().port);
  const pipe = await startPipe(memcached.port);
  // The keys the gets hit.
  const seed = await TextClient.connect(memcached.port);
  for (let k = 0; k < 900; k++) await seed.call(`set key:${k} 0 0 ${VALUE.length}`, VALUE);
  seed.close();

  console.log(
    `memcached ${spawnSync('/usr/bin/memcached', ['-V'], { encoding: 'utf8' }).stdout.trim()}, Node ${process.version}, ` +
      `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}); ${CONNECTIONS} connections, one request at a time each, ` +
      `90% gets / 10% sets of ${VALUE.length} bytes, ${SECONDS} s a run; proxy sampling 1 in ${SAMPLING}`,
  );
  console.log('');
  console.log('client      protocol  path            throughput        median     p99');
  try {
    for (const binary of [false, true]) {
      const results: Record<string, Result> = {};
      for (const [path, port] of [
        ['direct', memcached.port],
        ['node:net pipe', pipe.port],
        ['proxy 1:100', proxy.port],
      ] as const) {
        const flowsBefore = samples.flows;
        const r = await run(port, binary);
        results[path] = r;
        const sampled = path === 'proxy 1:100' ? `  (${samples.flows - flowsBefore} samples)` : '';
        console.log(
          `node        ${binary ? 'binary' : 'text  '}    ${path.padEnd(14)}  ${rate(r.ops / r.seconds).padEnd(16)}  ` +
            `${us(quantile(r.latencies, 0.5)).padEnd(9)}  ${us(quantile(r.latencies, 0.99))}${sampled}`,
        );
      }
      const share = (a: Result, b: Result) =>
        `${((a.ops / a.seconds / (b.ops / b.seconds)) * 100).toFixed(0)}%`;
      const [d, p, n] = [results.direct, results['proxy 1:100'], results['node:net pipe']];
      console.log(
        `            proxy: ${share(p, d)} of the direct throughput (+${us(quantile(p.latencies, 0.5) - quantile(d.latencies, 0.5))} ` +
          `median), ${share(p, n)} of the bare pipe's`,
      );
    }
    if (existsSync(MEMASLAP)) {
      for (const binary of [false, true]) {
        const direct = memaslap(memcached.port, binary);
        const proxied = memaslap(proxy.port, binary);
        for (const [path, tps] of [
          ['direct', direct],
          ['proxy 1:100', proxied],
        ] as const)
          console.log(
            `memaslap    ${binary ? 'binary' : 'text  '}    ${path.padEnd(14)}  ${tps === undefined ? 'failed' : rate(tps)}`,
          );
      }
      console.log(`            (memaslap: 2 threads, ${CONNECTIONS * 4} concurrent connections, 90% gets)`);
    } else console.log(`memaslap: ${MEMASLAP} is missing (apt-get install libmemcached-tools); not run`);
    await new Promise((r) => setTimeout(r, 1500));
    console.log(
      `sFlow received from the proxy: ${samples.flows} flow samples, ${samples.counters} counter samples`,
    );
  } finally {
    proxy.child.kill('SIGTERM');
    pipe.child.kill('SIGTERM');
    udp.close();
    await memcached.stop();
  }
}

await main();
