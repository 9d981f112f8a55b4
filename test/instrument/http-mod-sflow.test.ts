/**
 * Our HTTP samples against mod-sflow's. Every request of the corpus's apache-mod-sflow.pcap (Apache with
 * mod-sflow 1.0.5, over IPv4 and IPv6) is sent again, byte for byte as far as the sample tells, to an instrumented
 * Node server that answers with the same status, MIME type and body size. sflowtool's view of mod-sflow's samples
 * and `sflowkit decode`'s view of ours must then agree field by field: the same fields filled, with the same
 * values, in the text output and in the `-H` combined log. Only what cannot be the same differs: the client
 * address, the time, and the duration.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { instrumentHttp } from '../../src/instrument/http-sflow.js';
import { expected, NO_CORPUS } from '../support/corpus.js';
import { Collector } from '../support/sflow-collector.js';
import { fieldValue, type Line, parseSflowtoolText, type ToolSample } from '../support/sflowtool-text.js';

const METHODS = ['PATCH', 'OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT'];

interface Exchange {
  v6: boolean;
  http: Line[];
}

/** mod-sflow's transactions as sflowtool printed them: the http_request block and the socket's family. */
function modSflowExchanges(): Exchange[] {
  const samples: ToolSample[] = parseSflowtoolText(expected('apache-mod-sflow', 'sflowtool.txt')).flatMap(
    (d) => d.samples,
  );
  return samples.flatMap((s) => {
    const http = s.blocks.find((b) => b.tag === '0:2206' && fieldValue(b.lines, 'flowSampleType') === 'http');
    if (!http) return [];
    return [{ v6: s.blocks.some((b) => b.tag === '0:2101'), http: http.lines }];
  });
}

/** The request mod-sflow saw, as text: the request line, the headers its fields came from, and a body. */
function requestText(e: Exchange, index: number, port: number): string {
  const f = (name: string) => fieldValue(e.http, name);
  const protocol = Number(f('http_protocol'));
  const method = METHODS[Number(f('http_method'))];
  const body = method === 'POST' || method === 'PUT' ? 'field=value&n=1' : '';
  const lines = [`${method} ${f('http_uri')} HTTP/${Math.floor(protocol / 1000)}.${protocol % 1000}`];
  lines.push(`Host: ${f('http_host')}`);
  if (f('http_referrer')) lines.push(`Referer: ${f('http_referrer')}`);
  if (f('http_useragent')) lines.push(`User-Agent: ${f('http_useragent')}`);
  if (f('http_xff')) lines.push(`X-Forwarded-For: ${f('http_xff')}`);
  if (f('http_authuser'))
    lines.push(`Authorization: Basic ${Buffer.from(`${f('http_authuser')}:pw`).toString('base64')}`);
  // Which answer to give, and on which port (the Host header is mod-sflow's, not ours).
  lines.push(`X-Replay: ${index}:${port}`, 'Connection: close');
  if (body) lines.push(`Content-Length: ${body.length}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

function exchange(host: string, port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.end(text));
    socket.resume();
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

const COMBINED = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\d+) (\d+) "([^"]*)" "([^"]*)"$/;

let collector: Collector;
before(async () => {
  collector = await Collector.open();
});
after(() => collector.close());

test('each of mod-sflow’s transactions, served by Node, is sampled with the same fields', {
  skip: NO_CORPUS,
}, async (t) => {
  const exchanges = modSflowExchanges();
  assert.equal(exchanges.length, 183);
  const server = createServer((req, res) => {
    const e = exchanges[Number(String(req.headers['x-replay']).split(':')[0])];
    const f = (name: string) => fieldValue(e.http, name);
    req.resume();
    req.on('end', () => {
      res.statusCode = Number(f('http_status'));
      const mime = f('http_mimetype');
      if (mime) res.setHeader('content-type', mime);
      const bytes = Number(f('http_bytes'));
      if (req.method === 'HEAD') {
        res.setHeader('content-length', bytes);
        res.end();
      } else res.end('b'.repeat(bytes));
    });
  });
  const sflow = instrumentHttp(server, {
    autoFile: false,
    collectors: [{ address: '127.0.0.1', port: collector.port }],
    agentAddress: '192.0.2.10',
    samplingRate: 1,
    pollingSeconds: 0,
  });
  t.after(() => {
    server.close();
    return sflow.close();
  });
  await new Promise<void>((r) => server.listen({ port: 0, host: '::', ipv6Only: false }, r));
  const port = (server.address() as { port: number }).port;
  const sent: string[] = [];
  for (const [i, e] of exchanges.entries()) {
    sent.push(requestText(e, i, port));
    await exchange(e.v6 ? '::1' : '127.0.0.1', port, sent[i]);
  }
  sflow.exporter.flush();
  await collector.until(() => collector.flows(port).length === exchanges.length);

  const ours = parseSflowtoolText(collector.decode([]))
    .flatMap((d) => d.samples)
    .filter((s) => s.blocks.some((b) => b.tag === '0:2206'));
  assert.equal(ours.length, exchanges.length);
  for (const [i, e] of exchanges.entries()) {
    const mine = ours[i].blocks.find((b) => b.tag === '0:2206')?.lines ?? [];
    const at = `transaction ${i}: ${sent[i].split('\r\n')[0]}`;
    // The same fields filled, in the same order.
    assert.deepEqual(
      mine.map(([n]) => n),
      e.http.map(([n]) => n),
      at,
    );
    for (const [name, value] of e.http) {
      if (name === 'http_duration_uS') assert.ok(Number(fieldValue(mine, name)) > 0, at);
      else if (name === 'http_request_bytes')
        // Ours counts what our client sent (other headers than Apache's clients'), to the byte.
        assert.equal(fieldValue(mine, name), String(Buffer.byteLength(sent[i])), at);
      else assert.equal(fieldValue(mine, name), value, `${at}: ${name}`);
    }
    // mod-sflow's samples put the socket first, then the transaction; so do ours, of the same family.
    assert.deepEqual(
      ours[i].blocks.map((b) => b.tag),
      [e.v6 ? '0:2101' : '0:2100', '0:2206'],
      at,
    );
  }

  const theirsLog = expected('apache-mod-sflow', 'sflowtool-H.txt').trimEnd().split('\n');
  const oursLog = collector.decode(['-H']).trimEnd().split('\n');
  assert.equal(oursLog.length, theirsLog.length);
  for (const [i, line] of theirsLog.entries()) {
    const theirs = COMBINED.exec(line);
    const mine = COMBINED.exec(oursLog[i]);
    assert.ok(theirs && mine, `combined log lines: ${line} | ${oursLog[i]}`);
    // The client: ours is the loopback of the same family, in sflowtool's form.
    assert.equal(mine[1], exchanges[i].v6 ? '0000:0000:0000:0000:0000:0000:0000:0001' : '127.0.0.1');
    const shape = (time: string) => time.replace(/\d/g, '0').replace(/[A-Z][a-z]{2}/, 'Mon');
    assert.equal(shape(mine[4]), shape(theirs[4]), 'the time, in the same format');
    assert.deepEqual(
      [mine[2], mine[3], mine[5], mine[6], mine[7], mine[8], mine[9]],
      [theirs[2], theirs[3], theirs[5], theirs[6], theirs[7], theirs[8], theirs[9]],
      `line ${i + 1}`,
    );
  }
});
