/**
 * sFlow for a real Node HTTP server, read back by our decoder from a real UDP socket: each sampled request's
 * fields as the client sent them and the server answered, the connection, the counters of every request, one in
 * N sampled, the counter page, and settings that follow the host agent's auto file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { autoText, readAutoFile } from '../../src/agent/host/auto-file.js';
import {
  DEFAULT_AUTO_FILE,
  HttpSflow,
  type HttpSflowOptions,
  instrumentHttp,
} from '../../src/instrument/http-sflow.js';
import type { FlowSample } from '../../src/sflow/model.js';
import { Collector } from '../support/sflow-collector.js';

let collector: Collector;
before(async () => {
  collector = await Collector.open();
});
after(() => collector.close());

const BODY = 'x'.repeat(500);

type Methods = Pick<ServerResponse, 'writeHead' | 'write' | 'end'>;
const proto: Methods = ServerResponse.prototype;
/** Node's own, before any instrumentation has opened. */
const NODE: Methods = { writeHead: proto.writeHead, write: proto.write, end: proto.end };
const methods = (): Methods => ({ writeHead: proto.writeHead, write: proto.write, end: proto.end });

/** A server that answers 200 with a 500-byte body, 404 for /missing; instrumented with `o`. */
async function serve(o: HttpSflowOptions): Promise<{ port: number; sflow: HttpSflow; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/missing') {
        res.statusCode = 404;
        res.setHeader('content-type', 'text/html');
        res.end('<p>not here</p>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.write(BODY.slice(0, 100));
      res.end(BODY.slice(100));
    });
  });
  const sflow = instrumentHttp(server, {
    autoFile: false,
    collectors: [{ address: '127.0.0.1', port: collector.port }],
    agentAddress: '192.0.2.10',
    pollingSeconds: 0,
    ...o,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, sflow, server };
}

/** Writes `text` on a new connection; resolves with all the server wrote when it closes. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => {
      answer += c;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body = '') {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A decoded record's value (the tests' records all decode). */
const value = (r: unknown) => (r as { value: Record<string, unknown> }).value;
const http = (f: FlowSample) => value(f.records[1]);

test('every request sampled (1 in 1): the fields as sent and answered, the connection, the counters', async (t) => {
  const { port, sflow, server } = await serve({ samplingRate: 1 });
  t.after(() => {
    server.close();
    return sflow.close();
  });
  const auth = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
  // Written by hand, so that its bytes are known: reqBytes counts the request line and headers.
  const sent = [
    'GET /a/b?x=1 HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'User-Agent: sflowkit-test/1.0',
    'Referer: http://example.com/',
    'X-Forwarded-For: 198.51.100.7',
    `Authorization: ${auth}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  await rawRequest(port, sent);
  await send(port, 'POST', '/upload', { 'content-type': 'application/octet-stream' }, 'x'.repeat(1000));
  await send(port, 'GET', '/missing');
  await send(port, 'HEAD', '/');
  sflow.poll();
  sflow.exporter.flush();
  await collector.until(() => collector.flows(port).length === 4 && collector.counters(port).length === 1);
  const flows = collector.flows(port);
  const [get, post, missing, head] = flows;
  assert.deepEqual(
    { ...http(get), uS: 0 },
    {
      method: 2,
      protocol: 1001,
      uri: '/a/b?x=1',
      host: `127.0.0.1:${port}`,
      referer: 'http://example.com/',
      useragent: 'sflowkit-test/1.0',
      xff: '198.51.100.7',
      authuser: 'alice',
      mimeType: 'text/plain; charset=utf-8',
      reqBytes: BigInt(sent.length),
      respBytes: 500n,
      uS: 0,
      status: 200,
    },
  );
  assert.ok((http(get).uS as number) > 0);
  assert.deepEqual([http(post).method, http(post).respBytes], [4, 500n]);
  assert.ok((http(post).reqBytes as bigint) > 1000n, 'the request body with its head');
  assert.deepEqual(
    [http(missing).status, http(missing).mimeType, http(missing).respBytes],
    [404, 'text/html', 15n],
  );
  // As Apache counts HEAD: the body it would have had (the server wrote it; Node did not send it).
  assert.deepEqual([http(head).method, http(head).respBytes], [3, 500n]);
  assert.equal(get.records[0].name, 'extended_socket_ipv4');
  const socket = value(get.records[0]);
  assert.deepEqual(
    [socket.protocol, socket.localIp, socket.remoteIp, socket.localPort],
    [6, '127.0.0.1', '127.0.0.1', port],
  );
  assert.deepEqual(
    flows.map((f) => [f.sourceIdType, f.samplingRate, f.samplePool, f.sequenceNumber, f.outputValue]),
    [1, 2, 3, 4].map((n) => [3, 1, n, n, 0x3fffffff]),
  );
  const [counters] = collector.counters(port);
  assert.deepEqual(
    counters.records.map((r) => r.name),
    ['app_workers', 'host_parent', 'http_counters'],
  );
  const c = value(counters.records[2]);
  assert.deepEqual(
    [c.methodGetCount, c.methodPostCount, c.methodHeadCount, c.status2XXCount, c.status4XXCount],
    [2, 1, 1, 3, 1],
  );
  assert.deepEqual(value(counters.records[1]), { containerType: 2, containerIndex: 1 });
  assert.equal(value(counters.records[0]).workersActive, 0, 'none in flight');
  const d = collector.datagrams.find((g) => g.samples.includes(get));
  assert.deepEqual([d?.agentAddress, d?.subAgentId], ['192.0.2.10', process.pid]);
});

test('1 in 10: counters count all 600 requests, samples are about 60, the pool counts every request', async () => {
  const { port, sflow, server } = await serve({ samplingRate: 10 });
  for (let i = 0; i < 600; i++) await send(port, 'GET', `/item/${i}`);
  sflow.exporter.flush();
  await new Promise((r) => setTimeout(r, 200));
  const flows = collector.flows(port);
  // 60 expected; the skip is uniform on 1..19 (variance 30), so 4σ over 600 requests is about 4·√(600·30/1000).
  assert.ok(flows.length >= 43 && flows.length <= 77, `${flows.length} samples`);
  for (const f of flows) {
    const uri = http(f).uri as string;
    assert.equal(f.samplePool, Number(uri.split('/')[2]) + 1, 'the pool counts every request up to this one');
  }
  assert.equal(sflow.counters().methodGetCount, 600);
  assert.equal(sflow.counters().status2XXCount, 600);
  server.close();
  await sflow.close();
});

test('a request whose client goes away is counted once, and is no longer in flight', async () => {
  let started: () => void = () => {};
  const begun = new Promise<void>((r) => (started = r));
  const server = createServer(() => started());
  const sflow = instrumentHttp(server, {
    autoFile: false,
    collectors: [],
    samplingRate: 1,
    pollingSeconds: 0,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const req = request({ host: '127.0.0.1', port, path: '/hang', agent: false });
  req.on('error', () => {});
  req.end();
  await begun;
  assert.equal(sflow.dataSource(port).inFlight, 1);
  req.destroy();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(sflow.dataSource(port).inFlight, 0);
  assert.equal(sflow.counters().methodGetCount, 1);
  assert.equal(
    sflow.counters().status2XXCount,
    1,
    "Node's default status, as Apache logs an aborted request",
  );
  server.closeAllConnections();
  server.close();
  await sflow.close();
});

test('pipelined requests each count and sample with their own response; another server is left alone', async () => {
  const { port, sflow, server } = await serve({ samplingRate: 1 });
  // A server in the same process, not instrumented: its responses must count nowhere.
  const other = createServer((_req, res) => res.end('other'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const otherPort = (other.address() as { port: number }).port;
  await send(otherPort, 'GET', '/');
  // Three requests in one write: Node answers them in order on one connection.
  const head = (path: string, last = false) =>
    `GET ${path} HTTP/1.1\r\nHost: x\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
  const answer = await rawRequest(port, head('/p1') + head('/missing') + head('/p3', true));
  assert.equal(
    answer.match(/HTTP\/1\.1 \d{3} /g)?.length,
    3,
    'three answers, the second without a trailing newline',
  );
  sflow.exporter.flush();
  await collector.until(() => collector.flows(port).length === 3);
  assert.deepEqual(
    collector.flows(port).map((f) => [http(f).uri, http(f).status, http(f).respBytes]),
    [
      ['/p1', 200, 500n],
      ['/missing', 404, 15n],
      ['/p3', 200, 500n],
    ],
  );
  const c = sflow.counters();
  assert.deepEqual([c.methodGetCount, c.status2XXCount, c.status4XXCount], [3, 2, 1]);
  assert.equal(sflow.dataSource(port).inFlight, 0);
  other.close();
  server.close();
  await sflow.close();
});

test('closing the last instrumentation gives Node its response methods back', async () => {
  const a = new HttpSflow({ autoFile: false, collectors: [], pollingSeconds: 0 });
  const b = new HttpSflow({ autoFile: false, collectors: [], pollingSeconds: 0 });
  assert.notEqual(proto.end, NODE.end, 'the wrappers are on');
  await a.close();
  assert.notEqual(proto.end, NODE.end, 'one is still open');
  await b.close();
  await b.close();
  assert.deepEqual(methods(), NODE);
});

test('a wrapper put over ours after it stays; ours, under it, count each body once', async (t) => {
  const { port, sflow, server } = await serve({ samplingRate: 1 });
  const ours = methods();
  let theirs = 0;
  const wrapper = function (this: ServerResponse, ...args: unknown[]) {
    theirs++;
    return (ours.end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as Methods['end'];
  proto.end = wrapper;
  // Should the test fail half way, the tests after it see the prototype as they would have.
  t.after(() => {
    if (proto.end === wrapper) proto.end = ours.end;
  });
  await send(port, 'GET', '/one');
  server.close();
  await sflow.close();
  assert.notEqual(proto.end, ours.end, 'theirs is left on');
  assert.equal(proto.write, ours.write, 'so ours stay under it');
  // Opened again, ours are used as they are, not put on a second time.
  const again = await serve({ samplingRate: 1 });
  await send(again.port, 'GET', '/two');
  await collector.until(() => collector.flows(port).length === 1 && collector.flows(again.port).length === 1);
  for (const f of [...collector.flows(port), ...collector.flows(again.port)])
    assert.equal(http(f).respBytes, 500n);
  assert.equal(theirs, 2);
  proto.end = ours.end;
  again.server.close();
  await again.sflow.close();
  assert.deepEqual(methods(), NODE);
});

test('the counter page: mod-sflow lines on loopback, refused to others, kept from the application', async () => {
  let reached = 0;
  const server = createServer((_req, res) => {
    reached++;
    res.end('app');
  });
  const sflow = instrumentHttp(server, {
    autoFile: false,
    collectors: [],
    samplingRate: 7,
    pollingSeconds: 0,
    counterPage: true,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  for (let i = 0; i < 3; i++) await send(port, 'GET', '/');
  await send(port, 'POST', '/form', {}, 'a=1');
  const page = await send(port, 'GET', '/sflow');
  assert.equal(page.status, 200);
  const lines = page.body.trimEnd().split('\n');
  assert.equal(lines.length, 17);
  const count = Object.fromEntries(lines.map((l) => l.split(' ').slice(1)));
  assert.equal(count.method_get_count, '3');
  assert.equal(count.method_post_count, '1');
  assert.equal(count.status_2XX_count, '4');
  assert.equal(count.hostname, hostname());
  assert.equal(count.sampling_n, '7');
  assert.ok(lines.every((l) => /^(counter|string|gauge) \S+ \S+/.test(l)));
  assert.equal((await send(port, 'GET', '/sflow?x=1')).status, 200);
  assert.equal((await send(port, 'POST', '/sflow')).status, 405);
  assert.equal((await send(port, 'GET', '/sflowx')).body, 'app', 'another path is the application’s');
  assert.equal(reached, 5);
  server.close();
  await sflow.close();

  const closed = createServer((_req, res) => res.end('app'));
  const refused = instrumentHttp(closed, {
    autoFile: false,
    collectors: [],
    pollingSeconds: 0,
    counterPage: { path: '/status/sflow', allow: () => false },
  });
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const p = (closed.address() as { port: number }).port;
  assert.equal((await send(p, 'GET', '/status/sflow')).status, 403);
  assert.equal((await send(p, 'GET', '/sflow')).body, 'app');
  closed.close();
  await refused.close();
});

test('settings from the auto file, followed when the host agent rewrites it', async () => {
  const other = await Collector.open();
  const file = join(mkdtempSync(join(tmpdir(), 'sflowkit-auto-')), 'hsflowd.auto');
  const write = (revision: number, port: number, httpSampling: number) => {
    writeFileSync(
      `${file}.new`,
      autoText({
        revision,
        hostname: 'h',
        agentAddress: '192.0.2.77',
        polling: 1,
        sampling: 400,
        samplingBy: { http: httpSampling },
        headerBytes: 128,
        datagramBytes: 1400,
        collectors: [{ address: '127.0.0.1', port }],
      }),
    );
    renameSync(`${file}.new`, file);
  };
  write(1, collector.port, 1);
  const server = createServer((_req, res) => res.end('ok'));
  const sflow = instrumentHttp(server, { autoFile: file });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  assert.deepEqual(
    [sflow.settings.sampling, sflow.settings.polling, sflow.settings.agentAddress],
    [1, 1, '192.0.2.77'],
  );
  await send(port, 'GET', '/first');
  sflow.exporter.flush();
  await collector.until(() => collector.flows(port).length === 1);
  // Counters every second (polling=1), to the file's collector.
  await collector.until(() => collector.counters(port).length >= 1, 3000, 'counter sample');
  write(2, other.port, 2);
  await collector.until(() => sflow.settings.sampling === 2, 4000, 'new settings');
  for (let i = 0; i < 40; i++) await send(port, 'GET', '/second');
  sflow.exporter.flush();
  await other.until(() => other.flows(port).length > 0, 3000, 'samples at the new collector');
  assert.ok(other.flows(port).every((f) => f.samplingRate === 2));
  assert.equal(collector.flows(port).length, 1, 'nothing more to the old collector');
  server.close();
  await sflow.close();
  other.close();
});

test('HttpSflow without an auto file or collectors sends to 127.0.0.1:6343, 1 in 400', async () => {
  const sflow = new HttpSflow({ autoFile: join(tmpdir(), 'no-such-dir', 'x.auto'), pollingSeconds: 0 });
  assert.deepEqual(sflow.settings.collectors, [], 'a named auto file that is missing: wait for it');
  assert.equal(sflow.counters().methodGetCount, 0, 'counters before any request are zeros');
  await sflow.close();
  const fallback = new HttpSflow({ pollingSeconds: 0 });
  // The default file is hsflowd's, when this host runs one.
  const auto = readAutoFile(DEFAULT_AUTO_FILE);
  assert.deepEqual(
    [fallback.settings.sampling, fallback.settings.collectors],
    auto
      ? [auto.samplingBy.http ?? auto.sampling, auto.collectors]
      : [400, [{ address: '127.0.0.1', port: 6343 }]],
  );
  await fallback.close();
});
