/**
 * The dashboard in a real browser (Debian's chromium through playwright-core): three `sflowkit serve`s fed by
 * the generator over real UDP (elephants, the memcache storm, a host going silent), each view opened while its
 * story plays, its live content checked against the generator's truth, and a screenshot of each saved under
 * test-output/dashboard/ (SFLOWKIT_TEST_OUTPUT moves it).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DataCenter } from '../../src/generator/data-center.js';
import { dataCenter, send, sleep, testServer } from '../serve/serve-support.js';
import { launch, openPage, screenshot } from './browser.js';

type Server = Awaited<ReturnType<typeof testServer>>;
interface Story {
  server: Server;
  dc: DataCenter;
  began: number;
  sending: Promise<number>;
}

let browser: Browser;
const stories: Story[] = [];
const FOLDER = 'dashboard';

async function story(scenario: Parameters<typeof dataCenter>[0], seconds: number, ...flags: string[]) {
  const server = await testServer(...flags);
  const dc = dataCenter(scenario, seconds);
  const s: Story = { server, dc, began: performance.now(), sending: send(dc, server) };
  stories.push(s);
  return s;
}

/** Waits until `seconds` into the story. */
const until = (s: Story, seconds: number) => sleep(s.began + seconds * 1000 - performance.now());

async function view(
  s: Story,
  hash: string,
  scheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser, scheme);
  await opened.page.goto(`${s.server.url}/#/${hash}`);
  return opened;
}

/** The data-key of every row of a table, in the order shown. */
const rowKeys = (page: Page, table: string) =>
  page.$$eval(`${table} tbody tr[data-key]`, (rows) => rows.map((r) => (r as HTMLElement).dataset.key ?? ''));

let elephants: Story;
let memcache: Story;
let hostLoss: Story;

before(async () => {
  browser = await launch();
  // A minute each, as long as the host-loss story: the views are checked one after another, and on a slow
  // machine the last of them come 30 s or more into the stories (elephants run from 12 to 54 s).
  elephants = await story('elephants', 60);
  memcache = await story('memcache-storm', 60);
  hostLoss = await story('host-loss', 60, '--agent-lost-min-seconds', '4', '--agent-lost-intervals', '2');
});

after(async () => {
  await browser?.close();
  await Promise.allSettled(stories.map((s) => s.sending));
  await Promise.all(stories.map((s) => s.server.stop()));
});

test('overview: the agents, the intake and the sampled traffic, live', async () => {
  await until(elephants, 8);
  const { page, errors } = await view(elephants, 'overview');
  const agents = new Set(elephants.dc.truth().agents.map((a) => a.address));
  await page.waitForFunction(
    (n) => document.querySelectorAll('#agents tbody tr[data-key]').length >= n,
    Math.min(agents.size, 20),
  );
  const shown = await rowKeys(page, '#agents');
  for (const a of shown) assert.ok(agents.has(a), `${a} is one of the data center's agents`);
  const stats = await page.textContent('#overview-stats');
  assert.match(stats ?? '', /agents present/);
  assert.match(stats ?? '', /[1-9][\d.]* [kMG]?bit\/s/, 'the sampled traffic is shown in bits/s');
  await page.waitForSelector('#events-feed li[data-event="agent_found"]');
  await screenshot(page, FOLDER, 'overview');
  assert.deepEqual(errors, []);
  await page.close();
});

test('cluster: charts of all hosts or of one group, and a click drills down to one host', async () => {
  await until(elephants, 10);
  const racks = { rack: { leaf1: ['10.1.1.0/24'], leaf2: ['10.1.2.0/24'] } };
  await fetch(`${elephants.server.url}/group/json`, {
    method: 'PUT',
    body: JSON.stringify(racks),
    headers: { 'content-type': 'application/json' },
  });
  const { page, errors } = await view(elephants, 'cluster');
  for (const id of ['cpu', 'load', 'memory', 'disk', 'network'])
    await page.waitForSelector(`#chart-${id} canvas`);
  await page.waitForSelector('#cluster-hosts tbody tr[data-key]');
  await screenshot(page, FOLDER, 'cluster');
  // One group: only its hosts are listed, and the charts are its own.
  await page.selectOption('#cluster-group', { label: 'rack: leaf1' });
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#cluster-hosts tbody tr[data-key]')].every((r) =>
      r.getAttribute('data-key')?.startsWith('10.1.1.'),
    ),
  );
  assert.ok((await rowKeys(page, '#cluster-hosts')).length > 0, 'rack leaf1 has hosts');
  await screenshot(page, FOLDER, 'cluster-group');
  const first = (await rowKeys(page, '#cluster-hosts'))[0];
  await page.click(`#cluster-hosts tbody tr[data-key="${first}"]`);
  await page.waitForFunction((a) => location.hash === `#/host/${a}`, first);
  await page.waitForSelector('#host-state .good');
  await page.waitForSelector('#host-metrics tbody tr[data-key$=".cpu_utilization"]');
  await screenshot(page, FOLDER, 'host');
  assert.deepEqual(errors, []);
  await page.close();
});

test('top servers: every host reporting, sorted by the column clicked', async () => {
  const { page, errors } = await view(elephants, 'servers', 'dark');
  await page.waitForSelector('#top-servers tbody tr[data-key]');
  const cpu = async () =>
    page.$$eval('#top-servers tbody tr[data-key] td:nth-child(3)', (cells) =>
      cells.map((c) => Number.parseFloat(c.textContent ?? '')),
    );
  const byCpu = await cpu();
  assert.deepEqual(
    byCpu,
    [...byCpu].sort((a, b) => b - a),
    'sorted by CPU, highest first',
  );
  await page.click('#top-servers th[data-sort="1"]');
  const addresses = await rowKeys(page, '#top-servers');
  assert.deepEqual(
    addresses,
    [...addresses].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })),
    'sorted by address',
  );
  await screenshot(page, FOLDER, 'servers-dark');
  assert.deepEqual(errors, []);
  await page.close();
});

test('network: an elephant tops the flows defined in the page; protocols and interfaces show', async () => {
  await until(elephants, 14);
  const { page, errors } = await view(elephants, 'network');
  await page.fill('#flow-keys', 'ipsource,ipdestination');
  await page.fill('#flow-value', 'bytes');
  await page.click('#flow-form button[type=submit]');
  await page.waitForSelector('#top-flows tr[data-key]');
  // Smoothing (t = 2 s) needs a moment before the elephant overtakes what the first samples showed.
  await sleep(3000);
  const top = (await rowKeys(page, '#top-flows'))[0];
  const at = (performance.now() - elephants.began) / 1000;
  const running = elephants.dc
    .truth()
    .flows.filter((f) => f.bitsPerSecond >= 1e9 && f.start < at && f.end > at);
  assert.ok(running.length > 0, 'an elephant runs now');
  assert.ok(
    running.some((f) => `${f.srcIp},${f.dstIp}` === top),
    `the top flow ${top} is an elephant (${running.map((f) => `${f.srcIp},${f.dstIp}`).join(' ')})`,
  );
  await page.waitForSelector('#protocols canvas');
  await page.waitForSelector('#interfaces tr[data-key]');
  await screenshot(page, FOLDER, 'network');
  assert.deepEqual(errors, []);
  await page.close();
});

test('events: a threshold made in the page fires for the elephants, and is deleted there', async () => {
  const { page, errors } = await view(elephants, 'events');
  await page.fill('#threshold-name', 'elephant');
  await page.fill('#threshold-metric', 'browse_flows');
  await page.fill('#threshold-value', String(100e6));
  await page.check('#threshold-byflow');
  await page.click('#threshold-form button[type=submit]');
  await page.waitForSelector('#thresholds tr[data-key="elephant"]');
  await page.waitForSelector('#events li[data-event="elephant"]', { timeout: 10_000 });
  await screenshot(page, FOLDER, 'events');
  await page.click('#thresholds tr[data-key="elephant"] button.danger');
  await page.waitForSelector('#thresholds tr[data-key="elephant"]', { state: 'detached' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('application map: hosts in circles by subnet, links by service, the flow on hover', async () => {
  const { page, errors } = await view(elephants, 'map');
  await page.waitForSelector('#app-map-svg circle.map-group');
  await page.waitForSelector('#app-map-svg line.map-link');
  const truth = elephants.dc.truth();
  const hosts = new Set(truth.flows.flatMap((f) => [f.srcIp, f.dstIp]));
  const drawn = await page.$$eval('#app-map-svg circle.map-host', (c) =>
    c.map((e) => e.getAttribute('data-host') ?? ''),
  );
  assert.ok(drawn.length >= 10, `hosts drawn: ${drawn.length}`);
  for (const h of drawn) assert.ok(hosts.has(h), `${h} is one of the data center's hosts`);
  // The largest link (drawn first, the table's first row) is an elephant or its answer.
  const first = await page.$eval('#app-map-svg line.map-link', (l) => l.getAttribute('data-flow') ?? '');
  const [src, dst] = first.split(',');
  const at = (performance.now() - elephants.began) / 1000;
  const big = truth.flows.filter((f) => f.bitsPerSecond >= 1e9 && f.start < at && f.end > at);
  assert.ok(
    big.some((f) => (f.srcIp === src && f.dstIp === dst) || (f.srcIp === dst && f.dstIp === src)),
    `the largest link ${first} joins an elephant's hosts`,
  );
  assert.equal((await rowKeys(page, '#map-links'))[0], first);
  await screenshot(page, FOLDER, 'map');
  // Thinner links drawn over the largest may cover its middle, where a pointer would go.
  await page.hover('#app-map-svg line.map-link', { force: true });
  const tip = await page.waitForSelector('#map-tooltip.tooltip', { state: 'visible' });
  const text = (await tip.textContent()) ?? '';
  assert.ok(
    text.includes(`${src} → ${dst}`) && text.includes('bit/s'),
    `the tooltip shows the flow: ${text}`,
  );
  await screenshot(page, FOLDER, 'map-hover', false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('http: requests by method and status, top URLs and clients, response times', async () => {
  const { page, errors } = await view(elephants, 'http');
  await page.waitForSelector('#http-urls tr[data-key]');
  await page.waitForSelector('#http-clients tr[data-key]');
  for (const id of ['#http-methods', '#http-status']) await page.waitForSelector(`${id} canvas`);
  assert.match((await page.textContent('#http-durations')) ?? '', /ms/);
  assert.match((await page.textContent('#http-stats')) ?? '', /requests\/s/);
  await screenshot(page, FOLDER, 'http');
  assert.deepEqual(errors, []);
  await page.close();
});

test('memcache: the hot key tops the hot keys, and the miss storm fills the missed keys', async () => {
  await until(memcache, 33);
  const { page, errors } = await view(memcache, 'memcache');
  const hot = memcache.dc.truth().timeline.find((t) => t.kind === 'hot_key')?.key;
  assert.equal(hot, 'user:hot');
  await page.waitForFunction(
    (key) =>
      document.querySelector('#memcache-hot-keys tbody tr[data-key]')?.getAttribute('data-key') === key,
    hot,
    { timeout: 10_000 },
  );
  await page.waitForSelector('#memcache-missed-keys tbody tr[data-key]');
  await page.waitForSelector('#memcache-ops canvas');
  assert.match((await page.textContent('#memcache-stats')) ?? '', /%/);
  await screenshot(page, FOLDER, 'memcache');
  assert.deepEqual(errors, []);
  await page.close();
});

test('host-loss: the silenced host is marked lost on the overview', async () => {
  // The host goes silent half-way (30 s); the others go on sending until 60 s, so it alone is lost.
  await until(hostLoss, 40);
  const truth = hostLoss.dc.truth();
  const silent = truth.timeline.find((t) => t.kind === 'host_silent');
  const agent = truth.agents.find((a) => a.name === silent?.host);
  assert.ok(agent, 'the scenario silences a host');
  const { page, errors } = await view(hostLoss, 'overview');
  await page.waitForSelector(`#agents tbody tr[data-key="${agent.address}"]`);
  await page.waitForFunction(
    (a) =>
      document.querySelector(`#agents tbody tr[data-key="${a}"] td:nth-child(2)`)?.textContent === 'lost',
    agent.address,
    { timeout: 15_000 },
  );
  await page.waitForSelector('#events-feed li[data-event="agent_lost"]');
  assert.match((await page.textContent('#overview-stats')) ?? '', /1\s*agents lost/);
  await screenshot(page, FOLDER, 'overview-host-lost');
  assert.deepEqual(errors, []);
  await page.close();
});
