/**
 * Controller apps inside `sflowkit serve`: a TypeScript script app, a module app and an app that throws, loaded
 * with --app while the generator's data center sends. The apps define flows and thresholds, get events and
 * ticks, answer under /app/{name}/, keep values across a restart; the one that throws is logged, counted and
 * contained. The typings catch a wrong app at compile time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { call, dataCenter, get, send, sleep, testServer } from '../serve/serve-support.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/apps/fixtures/${name}`, import.meta.url));
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));

interface AppStatus {
  name: string;
  loaded: boolean;
  errors: number;
  lastError?: string;
}

test('apps run beside the analyzer: flows, events, ticks, routes, store; a throwing app is contained', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-apps-'));
  const state = join(dir, 'state.json');
  const apps = ['counter.ts', 'module-app.mjs', 'broken.js'].flatMap((f) => ['--app', fixture(f)]);
  const appConfig = join(dir, 'apps.json');
  writeFileSync(appConfig, JSON.stringify({ 'module-app': { greeting: 'hello' } }));
  apps.push('--app-config', appConfig);
  // Without the dashboard's flows, the definitions are the apps' alone.
  let server = await testServer('--state-file', state, '--dashboard=off', ...apps);
  try {
    await send(dataCenter('steady', 3), server);
    await sleep(300);
    const list = await get<AppStatus[]>(`${server.url}/app/json`);
    assert.deepEqual(list.map((a) => a.name).sort(), ['broken', 'counter', 'module-app']);
    const counter = await get<AppStatus>(`${server.url}/app/counter/json`);
    assert.equal(counter.loaded, true);
    assert.equal(counter.errors, 0);

    const broken = await get<AppStatus>(`${server.url}/app/broken/json`);
    assert.equal(broken.loaded, false);
    assert.ok(broken.errors > 10, `its interval handler keeps throwing and is counted: ${broken.errors}`);
    const failing = await call(`${server.url}/app/broken/anything`);
    assert.equal(failing.status, 500);
    assert.deepEqual((failing.body as { error: string }).error, 'APP_ERROR');
    assert.match((failing.body as { message: string }).message, /broken: http boom/);

    // The apps' definitions are the engine's.
    const flows = await get<Record<string, unknown>>(`${server.url}/flow/json`);
    assert.deepEqual(Object.keys(flows).sort(), ['bygroup', 'bystack', 'pair', 'starts']);
    const status = await get<{ seen: { events: number; lastKey: string }; ticks: number; method: string }>(
      `${server.url}/app/counter/status`,
    );
    assert.ok(status.seen.events > 0, 'the event handler saw the threshold fire');
    assert.match(status.seen.lastKey, /^[\d.]+,[\d.]+$/);
    assert.ok(status.ticks >= 20, `interval handler every 0.1 s: ${status.ticks}`);
    const top = await get<{ key: string; value: number }[]>(`${server.url}/app/counter/top?n=2`);
    assert.equal(top.length, 2);
    assert.ok(top[0].value >= top[1].value);
    assert.deepEqual(await get(`${server.url}/app/module-app/a/b`), { module: true, path: ['a', 'b'] });
    // The rest of the API, through the module app.
    const views = await get<{
      completed: number;
      firstCompleted: { name: string; flowKeys: string };
      metric: { metricName: string; metricValue: number; metricN: number }[];
      dump: number;
      agents: number;
      groups: string[];
      options: unknown;
    }>(`${server.url}/app/module-app/views`);
    assert.ok(views.completed > 0, 'setFlowHandler got the flow starts');
    assert.equal(views.firstCompleted.name, 'starts');
    assert.deepEqual(
      views.metric.map((m) => m.metricName),
      ['ifspeed', 'ifspeed'],
    );
    assert.ok(views.metric[1].metricValue > views.metric[0].metricValue, 'sum: over max:');
    assert.equal(views.dump, views.metric[0].metricN);
    assert.ok(views.agents > 10);
    assert.deepEqual(views.groups, ['inside'], "every simulated host is in 10.0.0.0/8: setGroups' group");
    assert.deepEqual(views.options, { greeting: 'hello' }, '--app-config options');
    assert.equal((await call(`${server.url}/app/nosuch/json`)).status, 404);
    const analyzer = await get<{ sFlowDatagramsReceived: number }>(`${server.url}/analyzer/json`);
    assert.ok(analyzer.sFlowDatagramsReceived > 0, 'the analyzer runs on');

    // storeSet outlives a restart.
    await server.stop();
    const saved = JSON.parse(readFileSync(`${state}.apps.json`, 'utf8'));
    assert.equal(saved.counter.seen.events, status.seen.events);
    server = await testServer('--state-file', state, '--app', fixture('counter.ts'));
    const again = await get<{ seen: { events: number } }>(`${server.url}/app/counter/status`);
    assert.equal(again.seen.events, status.seen.events);
  } finally {
    await server.stop();
  }
});

test('the typings: a correct TypeScript app compiles, a wrong one fails where it is wrong', () => {
  const tsc = (file: string) =>
    spawnSync(process.execPath, [TSC, '--noEmit', '--strict', '--target', 'es2022', '--skipLibCheck', file], {
      encoding: 'utf8',
    });
  const good = tsc(fixture('counter.ts'));
  assert.equal(good.status, 0, good.stdout);
  const bad = tsc(fixture('bad-types.ts'));
  assert.notEqual(bad.status, 0);
  for (const line of [3, 4, 5, 6])
    assert.match(bad.stdout, new RegExp(`bad-types\\.ts\\(${line},`), bad.stdout);
});
