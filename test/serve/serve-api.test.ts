/**
 * `sflowkit serve`'s REST API at its edges: every bad request gets its 4xx and error code, malformed datagrams
 * are counted by code and lose nothing else, writes need the token, definitions survive a restart through the
 * state file, events long-poll, and the Prometheus exposition passes Debian's promtool.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { API_ERRORS } from '../../src/api/api-errors.js';
import type { RunningServer } from '../../src/cli/serve-command.js';
import { call, dataCenter, get, sleep, testServer } from './serve-support.js';

const TOKEN = 's3cret';
const auth = { authorization: `Bearer ${TOKEN}` };
const dir = mkdtempSync(join(tmpdir(), 'sflowkit-serve-'));
const stateFile = join(dir, 'state.json');
let server: RunningServer & { url: string };

before(async () => {
  server = await testServer('--api-token', TOKEN, '--state-file', stateFile);
});
after(async () => {
  await server?.stop();
});

async function sendDatagrams(port: number, list: Uint8Array[]): Promise<void> {
  const s = createSocket('udp4');
  for (const d of list) await new Promise<void>((r) => s.send(d, port, '127.0.0.1', () => r()));
  s.close();
}

/** One simulated second of the steady data center's datagrams. */
function steadySecond(): Uint8Array[] {
  const dc = dataCenter('steady', 2);
  dc.nextSecond();
  return (dc.nextSecond() ?? []).map((e) => e.bytes);
}

test('bad requests: each gets its status and error code, naming the problem', async () => {
  const { url } = server;
  const cases: [string, string, unknown, keyof typeof API_ERRORS, RegExp, Record<string, string>?][] = [
    ['/flow/f/json', 'PUT', { keys: 'ipsource' }, 'UNAUTHORIZED', /Bearer/, {}],
    ['/flow/f/json', 'PUT', '{"keys": ', 'BAD_JSON', /JSON/],
    ['/flow/f/json', 'PUT', { keys: 'ipsource', colour: 'red' }, 'BAD_DEFINITION', /colour/],
    ['/flow/f/json', 'PUT', { keys: 'ipsauce' }, 'BAD_DEFINITION', /ipsauce/],
    ['/flow/f/json', 'PUT', { keys: 'ipsource', filter: 'ipprotocol=6&(' }, 'BAD_DEFINITION', /./],
    ['/flow/f/json', 'PUT', { keys: 'ipsource', t: -1 }, 'BAD_DEFINITION', /'t'/],
    ['/flow/bad%20name/json', 'PUT', { keys: 'ipsource' }, 'BAD_DEFINITION', /name/],
    ['/flow/nosuch/json', 'GET', undefined, 'UNKNOWN_FLOW', /nosuch/],
    ['/activeflows/ALL/nosuch/json', 'GET', undefined, 'UNKNOWN_FLOW', /nosuch/],
    ['/threshold/t/json', 'PUT', { metric: 'load_one' }, 'BAD_DEFINITION', /value/],
    ['/threshold/nosuch/json', 'DELETE', undefined, 'UNKNOWN_THRESHOLD', /nosuch/],
    ['/metric/ALL/no_such_metric/json', 'GET', undefined, 'UNKNOWN_METRIC', /no_such_metric/],
    ['/metric/ALL/maxx:load_one/json', 'GET', undefined, 'BAD_PARAMETER', /maxx/],
    ['/metric/192.0.2.99/json', 'GET', undefined, 'UNKNOWN_AGENT', /192\.0\.2\.99/],
    ['/metric/;/json', 'GET', undefined, 'BAD_PARAMETER', /names no agent/],
    ['/events/json?maxEvents=-3', 'GET', undefined, 'BAD_PARAMETER', /maxEvents/],
    ['/nowhere', 'GET', undefined, 'NOT_FOUND', /nowhere/],
    ['/version', 'DELETE', undefined, 'METHOD_NOT_ALLOWED', /GET/],
    ['/flow/f/json', 'PUT', { keys: 'x'.repeat(1_100_000) }, 'BODY_TOO_LARGE', /limit/],
  ];
  for (const [path, method, body, code, message, headers] of cases) {
    const a = await call(`${url}${path}`, method, body, headers ?? auth);
    assert.equal(a.status, API_ERRORS[code].status, `${method} ${path}: ${JSON.stringify(a.body)}`);
    const b = a.body as { error: string; message: string };
    assert.equal(b.error, code, `${method} ${path}`);
    assert.match(b.message, message, `${method} ${path}`);
  }
  const text = await fetch(`${url}/flow/f/json`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'text/plain' },
    body: 'x',
  });
  assert.equal(text.status, 415);
  assert.equal(((await text.json()) as { error: string }).error, 'UNSUPPORTED_MEDIA_TYPE');
});

test('malformed datagrams are counted by code and skipped; the good ones around them all count', async () => {
  const good = steadySecond();
  const bad = [
    new Uint8Array([0, 0, 0, 5]),
    new Uint8Array(100).fill(0xff),
    Buffer.concat([good[0].subarray(0, good[0].length - 9)]),
    new Uint8Array([0, 0, 0, 4, 0, 0, 0, 1]),
  ];
  const before = await get<{ sFlowDatagramsReceived: number; sFlowParseErrors: number }>(
    `${server.url}/analyzer/json`,
  );
  await sendDatagrams(server.sflowPort, [...bad, ...good, ...bad]);
  let now = before;
  for (
    let i = 0;
    i < 50 && now.sFlowDatagramsReceived < before.sFlowDatagramsReceived + good.length + 8;
    i++
  ) {
    await sleep(20);
    now = await get(`${server.url}/analyzer/json`);
  }
  assert.equal(now.sFlowDatagramsReceived - before.sFlowDatagramsReceived, good.length + 8);
  assert.equal(now.sFlowParseErrors - before.sFlowParseErrors, 8);
  const codes = (now as unknown as { sFlowParseErrorsByCode: Record<string, number> }).sFlowParseErrorsByCode;
  assert.ok(Object.keys(codes).length >= 2, `errors by code: ${JSON.stringify(codes)}`);
  const agents = await get<Record<string, { sFlowDatagramsReceived: number }>>(`${server.url}/agents/json`);
  assert.ok(Object.keys(agents).length > 10);
});

test('definitions survive a restart through the state file', async () => {
  const { url } = server;
  const flow = { keys: 'ipsource,ipdestination', value: 'bytes', filter: 'ipprotocol=6', t: 3 };
  assert.equal((await call(`${url}/flow/web/json`, 'PUT', flow, auth)).status, 200);
  const threshold = { metric: 'web', value: 1000, byFlow: true, timeout: 10 };
  assert.equal((await call(`${url}/threshold/big/json`, 'PUT', threshold, auth)).status, 200);
  const groups = { net: { inside: ['10.0.0.0/8'], outside: ['0.0.0.0/0'] } };
  assert.equal((await call(`${url}/group/json`, 'PUT', groups, auth)).status, 200);
  await server.stop();
  const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
  assert.equal(saved.flows.web.keys, flow.keys);
  server = await testServer('--api-token', TOKEN, '--state-file', stateFile);
  const back = await get<Record<string, unknown>>(`${server.url}/flow/web/json`);
  assert.deepEqual({ keys: back.keys, value: back.value, filter: back.filter, t: back.t }, flow);
  assert.deepEqual(await get(`${server.url}/threshold/big/json`), { ...threshold });
  assert.deepEqual(await get(`${server.url}/group/json`), groups);
  assert.equal((await call(`${server.url}/flow/web/json`, 'DELETE', undefined, auth)).status, 200);
  assert.equal((await call(`${server.url}/flow/web/json`)).status, 404);
});

test('events long-poll: a request waits for the next event and gets it', async () => {
  const { url } = server;
  const last = (await get<{ eventID: number }[]>(`${url}/events/json?maxEvents=1`))[0]?.eventID ?? 0;
  const started = performance.now();
  const waiting = get<{ eventID: number; thresholdID: string }[]>(
    `${url}/events/json?eventID=${last}&timeout=10`,
  );
  await sleep(300);
  // A new agent is an event.
  const one = steadySecond().slice(0, 1);
  const bytes = Buffer.from(one[0]);
  bytes.writeUInt32BE(0x0a63_6301, 8); // the agent address: 10.99.99.1
  await sendDatagrams(server.sflowPort, [bytes]);
  const events = await waiting;
  assert.ok(performance.now() - started >= 250, 'it waited');
  assert.equal(events[0].thresholdID, 'agent_found');
  assert.ok(events[0].eventID > last);
});

test('Prometheus exposition passes promtool check metrics', async (t) => {
  const promtool = spawnSync('promtool', ['--version']);
  if (promtool.error) {
    t.skip('promtool is not installed (apt-get install prometheus)');
    return;
  }
  await sendDatagrams(server.sflowPort, steadySecond());
  await sleep(200);
  for (const path of [
    '/metrics',
    '/prometheus/metrics/ALL/ALL/txt',
    '/prometheus/metrics/ALL/ifspeed,load_one/txt',
  ]) {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    assert.match(text, /^sflow_ifspeed\{agent="[0-9.]+",datasource="\d+"\} \d+$/m);
    // promtool exits 1 when the text does not parse; 3 on naming remarks only (here: no HELP lines).
    const out = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.notEqual(out.status, 1, `${path}: ${out.stdout}${out.stderr}`);
    assert.doesNotMatch(`${out.stdout}${out.stderr}`, /parsing error|error while linting/, path);
  }
});

test("read routes answer in sFlow-RT's shapes: metrics, table, flowkeys, completed flows", async () => {
  const { url } = server;
  const logged = { keys: 'ipsource', value: 'frames', log: true, flowStart: true };
  assert.equal((await call(`${url}/flow/starts/json`, 'PUT', logged, auth)).status, 200);
  const last = (await get<{ flowID: number }[]>(`${url}/flows/json?maxFlows=1`))[0]?.flowID ?? 0;
  const waiting = get<{ flowID: number; name: string; flowKeys: string; start: number; agent: string }[]>(
    `${url}/flows/json?flowID=${last}&timeout=10&name=starts`,
  );
  await sendDatagrams(server.sflowPort, steadySecond());
  const flows = await waiting;
  assert.ok(flows.length > 0, 'flowStart records, waited for');
  assert.equal(flows[0].name, 'starts');
  assert.match(flows[0].flowKeys, /^\d+\.\d+\.\d+\.\d+$/);
  assert.ok(
    flows.every((f, i) => i === 0 || f.flowID < flows[i - 1].flowID),
    'newest first',
  );

  const names = await get<Record<string, number>>(`${url}/metrics/json`);
  assert.equal(typeof names.ifspeed, 'number');
  assert.equal(typeof names.starts, 'number', 'a flow is a metric too');
  const table = await get<{ agent: string; dataSource: string; metricName: string; metricValue: number }[][]>(
    `${url}/table/ALL/ifindex,ifspeed/json`,
  );
  assert.ok(table.length > 10);
  for (const row of table) {
    assert.deepEqual(
      row.map((c) => c.metricName),
      ['ifindex', 'ifspeed'],
    );
    assert.equal(String(row[0].metricValue), row[0].dataSource, "an interface's data source is its ifIndex");
  }
  const keys = await get<Record<string, number>>(`${url}/flowkeys/json`);
  for (const k of ['ipsource', 'ipdestination', 'macsource', 'stack', 'inputifindex'])
    assert.equal(typeof keys[k], 'number', `${k} seen`);
  const agent = table[0][0].agent;
  const one = await get<Record<string, number | string>>(`${url}/metric/${agent}/json`);
  assert.equal(one[`${table[0][0].dataSource}.ifspeed`], table[0][1].metricValue);
  assert.equal((await call(`${url}/flow/starts/json`, 'DELETE', undefined, auth)).status, 200);
});
