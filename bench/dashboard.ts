/**
 * `npm run bench:dashboard -- [scale|memory|both] [MINUTES]`: the dashboard in Debian's chromium, in figures.
 *
 * scale: `sflowkit serve` fed by a data center of 1,000 agents (4 spines, 100 leaves of 96 ports, 896 hosts each
 * with Host sFlow) whose switches report every port (10,400 interfaces, and the hosts' 896), counters every
 * 5–10 s; once every agent has reported, each
 * view is opened for SCALE_SECONDS and the page's long tasks (PerformanceObserver 'longtask': main-thread work
 * over 50 ms, what makes a page stall) are counted, with the longest, the rows its table holds and its JS heap.
 *
 * memory: `sflowkit serve --demo`, the overview, network, map, HTTP and memcache views open side by side for
 * MINUTES (default 60), each updating every second; every minute, after a garbage collection, each page's JS
 * heap and DOM node count. A page that holds on to what it drew grows minute after minute.
 *
 * Prints figures; passes and fails nothing.
 */
import type { Browser, Page } from 'playwright-core';
import { toUdp } from '../src/cli/udp-sender.js';
import { DataCenter } from '../src/generator/data-center.js';
import { DEFAULT_FABRIC, type FabricConfig } from '../src/generator/fabric.js';
import { testServer } from '../test/serve/serve-support.js';
import { launch, openPage } from '../test/web/browser.js';

const MODE = process.argv[2] ?? 'both';
const MINUTES = Number(process.argv[3] ?? 60);
const SCALE_SECONDS = 15;
const BIG_FABRIC: FabricConfig = {
  ...DEFAULT_FABRIC,
  spines: 4,
  leaves: 100,
  portsPerLeaf: 96,
  hosts: 896,
  polling: [5, 10],
  idlePorts: true,
};
const MEMORY_VIEWS = ['overview', 'network', 'map', 'http', 'memcache'];

if (!['scale', 'memory', 'both'].includes(MODE) || !(MINUTES >= 1 && MINUTES <= 24 * 60)) {
  console.error('usage: node dist/bench/dashboard.js [scale|memory|both] [MINUTES 1-1440 (60)]');
  process.exit(2);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** Records every long task of the page from its first script on. */
const LONG_TASKS = () => {
  const w = window as unknown as { longTasks: number[] };
  w.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
};

async function heap(page: Page): Promise<{ heap: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return { heap: get('JSHeapUsedSize'), nodes: get('Nodes') };
}

async function scale(browser: Browser): Promise<void> {
  const server = await testServer();
  const dc = new DataCenter({
    fabric: BIG_FABRIC,
    scenario: 'elephants',
    seed: 1,
    duration: 120,
    flows: 2000,
  });
  const hosts = dc.truth().agents.filter((a) => a.kind === 'host').length;
  const abort = new AbortController();
  const sending = toUdp(
    dc,
    { address: '127.0.0.1', port: server.sflowPort, family: 4 },
    undefined,
    Infinity,
    abort.signal,
  );
  console.log(
    `scale: ${dc.truth().agents.length} agents (${hosts} hosts), ${BIG_FABRIC.leaves * BIG_FABRIC.portsPerLeaf} leaf ports`,
  );
  // Every agent polls within 10 s; wait for two polls so that rates exist.
  await sleep(25_000);
  const agents = Object.keys(await (await fetch(`${server.url}/agents/json`)).json()).length;
  const interfaces = ((await (await fetch(`${server.url}/dump/ALL/ifinoctets/json`)).json()) as unknown[])
    .length;
  console.log(`after 25 s: ${agents} agents heard, ${interfaces} interfaces with counters\n`);
  console.log('view       rows in its table   long tasks  longest   total in long tasks  JS heap');
  for (const [view, table] of [
    ['overview', '#agents'],
    ['servers', '#top-servers'],
    ['cluster', '#cluster-hosts'],
    ['network', '#interfaces'],
    ['map', '#map-links'],
  ]) {
    const { page } = await openPage(browser);
    await page.addInitScript(LONG_TASKS);
    await page.goto(`${server.url}/#/${view}`);
    await sleep(SCALE_SECONDS * 1000);
    const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    // Rows the table renders (in view) and those it holds, from the spacers' heights.
    const rows = await page.$$eval(`${table} tbody tr`, (trs) =>
      trs.reduce((n, tr) => {
        const td = tr.querySelector('td');
        return n + (tr.classList.contains('spacer') ? Math.round((td?.offsetHeight ?? 0) / 29) : 1);
      }, 0),
    );
    const { heap: h } = await heap(page);
    const longest = Math.max(0, ...tasks);
    const total = tasks.reduce((a, b) => a + b, 0);
    console.log(
      `${view.padEnd(10)} ${String(rows).padStart(17)}  ${String(tasks.length).padStart(10)}  ${`${longest.toFixed(0)} ms`.padStart(7)}  ${`${total.toFixed(0)} ms in ${SCALE_SECONDS} s`.padStart(19)}  ${mb(h)}`,
    );
    await page.close();
  }
  abort.abort();
  await sending.catch(() => 0);
  await server.stop();
}

async function memory(browser: Browser): Promise<void> {
  const server = await testServer('--demo');
  const pages: Page[] = [];
  for (const view of MEMORY_VIEWS) {
    const { page } = await openPage(browser);
    await page.goto(`${server.url}/#/${view}`);
    pages.push(page);
  }
  console.log(`\nmemory: ${MEMORY_VIEWS.join(', ')} open for ${MINUTES} min, updating every second`);
  console.log(`minute  ${MEMORY_VIEWS.map((v) => `${v} heap / nodes`.padStart(24)).join('')}`);
  const first: { heap: number; nodes: number }[] = [];
  let last: { heap: number; nodes: number }[] = [];
  const began = Date.now();
  for (let minute = 1; minute <= MINUTES; minute++) {
    // On the minute since the start, whatever the measuring took.
    await sleep(began + minute * 60_000 - Date.now());
    last = await Promise.all(pages.map(heap));
    if (minute === 1) first.push(...last);
    console.log(
      `${String(minute).padStart(6)}  ${last.map((m) => `${mb(m.heap)} / ${m.nodes}`.padStart(24)).join('')}`,
    );
  }
  console.log('\nfrom minute 1 to the last:');
  for (const [i, view] of MEMORY_VIEWS.entries())
    console.log(
      `  ${view.padEnd(9)} heap ${mb(first[i].heap)} → ${mb(last[i].heap)}, DOM nodes ${first[i].nodes} → ${last[i].nodes}`,
    );
  await server.stop();
}

const browser = await launch();
try {
  if (MODE !== 'memory') await scale(browser);
  if (MODE !== 'scale') await memory(browser);
} finally {
  await browser.close();
}
