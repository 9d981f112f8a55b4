/**
 * sFlow for a real Node HTTP server, read back by our decoder from a real UDP socket: each sampled request's
 * fields as the client sent them and the server answered, the connection, the counters of every request, and
 * one in N sampled.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SflowExporter } from '../agent/exporter.js';
import { PcapWriter, wrapUdp } from '../capture/index.js';
import { decodeDatagram } from '../sflow/index.js';
import type { CountersSample, Datagram, FlowSample } from '../sflow/model.js';
import { parseIpv4 } from '../xdr/address-text.js';
import { clip, type HttpSflow, instrumentHttp } from './http-sflow.js';

const MAIN = new URL('../cli/main.js', import.meta.url).pathname;

const received: Datagram[] = [];
const raw: Uint8Array[] = [];
const collector = createSocket('udp4');
collector.on('message', (m) => {
  raw.push(Uint8Array.from(m));
  received.push(decodeDatagram(m));
});
let exporter: SflowExporter;

before(async () => {
  await new Promise<void>((r) => collector.bind(0, '127.0.0.1', r));
  exporter = new SflowExporter({
    agentAddress: '192.0.2.10',
    collectors: [{ address: '127.0.0.1', port: collector.address().port }],
    flushMs: 20,
  });
});
after(async () => {
  await exporter.close();
  collector.close();
});

async function serve(samplingRate: number): Promise<{ port: number; sflow: HttpSflow; close: () => void }> {
  const server = createServer((req, res) => {
    let body = 0;
    req.on('data', (c: Buffer) => {
      body += c.length;
    });
    req.on('end', () => {
      const status = req.url === '/missing' ? 404 : 200;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`got ${body} bytes\n`.padEnd(500, '.'));
    });
  });
  const sflow = instrumentHttp(server, { exporter, samplingRate, pollingSeconds: 3600 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { port, sflow, close: () => server.close() };
}

function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body = '') {
  return new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function settle(): Promise<void> {
  exporter.flush();
  await new Promise((r) => setTimeout(r, 100));
}

const samples = (port: number) =>
  received.flatMap((d) => d.samples).filter((s) => 'sourceIdIndex' in s && s.sourceIdIndex === port);

test('every request sampled (1 in 1): the fields as sent and answered, the connection, the counters', async () => {
  const { port, sflow, close } = await serve(1);
  const auth = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
  await send(port, 'GET', '/a/b?x=1', {
    'user-agent': 'sflowkit-test/1.0',
    referer: 'http://example.com/',
    'x-forwarded-for': '198.51.100.7',
    authorization: auth,
  });
  await send(port, 'POST', '/upload', { 'content-type': 'application/octet-stream' }, 'x'.repeat(1000));
  await send(port, 'GET', '/missing');
  sflow.poll();
  await settle();
  const flows = samples(port).filter((s): s is FlowSample => s.name === 'flow_sample');
  assert.equal(flows.length, 3);
  const [get, post, missing] = flows.map((f) => f.records);
  const http = (r: FlowSample['records']) => (r[0] as { value: Record<string, unknown> }).value;
  assert.deepEqual(
    { ...http(get), uS: 0, reqBytes: 0, respBytes: 0 },
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
      reqBytes: 0,
      respBytes: 0,
      uS: 0,
      status: 200,
    },
  );
  assert.ok((http(get).uS as number) > 0);
  assert.ok((http(get).respBytes as bigint) >= 500n, 'the response, headers and body');
  assert.equal(http(post).method, 4);
  assert.ok((http(post).reqBytes as bigint) >= 1000n, 'the request body');
  assert.equal(http(missing).status, 404);
  const socket = (get[1] as { name: string; value: Record<string, unknown> }).value;
  assert.equal(get[1].name, 'extended_socket_ipv4');
  assert.deepEqual(
    [socket.protocol, socket.localIp, socket.remoteIp, socket.localPort],
    [6, '127.0.0.1', '127.0.0.1', port],
  );
  assert.deepEqual(
    flows.map((f) => [f.sourceIdType, f.samplingRate, f.samplePool, f.sequenceNumber]),
    [
      [3, 1, 1, 1],
      [3, 1, 2, 2],
      [3, 1, 3, 3],
    ],
  );
  const counters = samples(port).filter((s): s is CountersSample => s.name === 'counters_sample');
  assert.equal(counters.length, 1);
  const c = (counters[0].records[0] as { value: Record<string, number> }).value;
  assert.deepEqual([c.methodGetCount, c.methodPostCount, c.status2XXCount, c.status4XXCount], [2, 1, 2, 1]);
  // sflowtool's combined log (-H), read from a capture of these datagrams, fills each field.
  const file = join(mkdtempSync(join(tmpdir(), 'sflowkit-http-')), 'http.pcap');
  const writer = new PcapWriter({ linkType: 1 });
  const frames = raw.map((bytes, i) =>
    writer.record({
      timestampNs: BigInt(Date.UTC(2026, 11, 2, 10, 0, i)) * 1_000_000n,
      data: wrapUdp(bytes, {
        srcAddress: parseIpv4('192.0.2.10'),
        srcPort: 6343,
        dstAddress: parseIpv4('192.0.2.1'),
        dstPort: 6343,
      }),
    }),
  );
  writeFileSync(file, Buffer.concat([writer.fileHeader(), ...frames]));
  const clf = execFileSync(process.execPath, [MAIN, 'decode', '-r', file, '-H'], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  const line = clf.split('\n').find((l) => l.includes('/a/b?x=1'));
  assert.match(
    line ?? clf,
    /^127\.0\.0\.1 - alice \[\d\d\/\w{3}\/\d{4}:[\d:]+ \+0000\] "GET \/a\/b\?x=1 HTTP\/1\.1" 200 \d+ "http:\/\/example\.com\/" "sflowkit-test\/1\.0"$/,
  );
  sflow.stop();
  close();
});

test('1 in 10: counters count all 300 requests, samples are about 30, the pool is the request count', async () => {
  const { port, sflow, close } = await serve(10);
  for (let i = 0; i < 300; i++) await send(port, 'GET', `/item/${i}`);
  sflow.poll();
  await settle();
  const flows = samples(port).filter((s): s is FlowSample => s.name === 'flow_sample');
  // Binomial-like: 30 expected, 4σ ≈ 22.
  assert.ok(flows.length >= 8 && flows.length <= 52, `${flows.length} samples`);
  for (const f of flows) {
    const uri = (f.records[0] as { value: { uri: string } }).value.uri;
    assert.equal(f.samplePool, Number(uri.split('/')[2]) + 1, 'the pool counts every request up to this one');
  }
  assert.equal(sflow.counters().methodGetCount, 300);
  sflow.stop();
  close();
});

test('clip keeps to the byte bound of string<N> without cutting a character', () => {
  assert.equal(clip('abc', 2), 'ab');
  assert.equal(clip('héllo', 2), 'h');
  assert.equal(clip('日本語', 7), '日本');
  assert.equal(clip(undefined, 5), '');
});
