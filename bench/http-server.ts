/**
 * The server `bench/http.ts` measures, in its own process: a hello-world node:http server, bare, instrumented by
 * `instrumentHttp` sampling 1 in N to a collector on 127.0.0.1, or the reference: bare, with a fixed piece of
 * work (ten JSON round trips of a small object, about 12 µs here in a loop) on 1 request in N, to show what the
 * measurement makes of any occasional work. Prints its port when listening.
 * Usage: node dist/bench/http-server.js bare|sflow|reference [SAMPLING] [COLLECTOR_PORT]
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { instrumentHttp } from '../src/instrument/http-sflow.js';

const [mode, sampling, collectorPort] = process.argv.slice(2);
const body = 'hello world\n';
const hello = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(body);
};
const every = Number(sampling);
const work = { list: [1, 2, 3, 4, 5, 6, 7, 8], text: 'hello world '.repeat(8), nested: { a: 1, b: 'x' } };
let n = 0;
let kept = 0;
// The reference's work is in the application's own listener: a second listener would cost a copy of the
// listener list at every request.
const reference = (req: IncomingMessage, res: ServerResponse) => {
  if (++n % every === 0) for (let i = 0; i < 10; i++) kept += JSON.parse(JSON.stringify(work)).list.length;
  hello(req, res);
};
const server = createServer(mode === 'reference' ? reference : hello);
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
// The exit code reads the reference's result, so that its work cannot be optimised away.
process.on('SIGTERM', () => server.close(() => process.exit(kept < 0 ? 1 : 0)));
