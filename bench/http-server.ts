/**
 * The server `bench/http.ts` measures, in its own process: a hello-world node:http server, bare or instrumented
 * by `instrumentHttp` sampling 1 in N to a collector on 127.0.0.1. Prints its port when listening.
 * Usage: node dist/bench/http-server.js bare|sflow [SAMPLING] [COLLECTOR_PORT]
 */
import { createServer } from 'node:http';
import { instrumentHttp } from '../src/instrument/http-sflow.js';

const [mode, sampling, collectorPort] = process.argv.slice(2);
const body = 'hello world\n';
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(body);
});
if (mode === 'sflow')
  instrumentHttp(server, {
    autoFile: false,
    samplingRate: Number(sampling),
    pollingSeconds: 20,
    agentAddress: '127.0.0.1',
    collectors: [{ address: '127.0.0.1', port: Number(collectorPort) }],
  });
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
