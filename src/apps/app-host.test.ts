/** An app that throws is logged with its name and its error, counted, and kept running. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../common/logger.js';
import { Engine } from '../engine/engine.js';
import { AppHost } from './app-host.js';
import { AppStore } from './app-store.js';

test("a throwing app's errors are logged with its name and counted; its other handlers run on", async () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  const host = new AppHost({
    engine: new Engine(),
    log: createLogger('info', sink),
    store: new AppStore(undefined),
  });
  const file = join(mkdtempSync(join(tmpdir(), 'sflowkit-app-')), 'flaky.js');
  writeFileSync(
    file,
    `var calls = 0;
     setIntervalHandler(function () { calls++; if (calls % 2) throw new Error('odd call ' + calls); }, 0.05);
     setHttpHandler(function () { return { calls: calls }; });`,
  );
  const status = await host.load(file);
  assert.equal(status.loaded, true);
  await new Promise((r) => setTimeout(r, 330));
  host.stop();
  const { result } = await host.request('flaky', { method: 'GET', path: [], query: {}, body: undefined });
  const calls = (result as { calls: number }).calls;
  assert.ok(calls >= 4, `the interval ran on after throwing: ${calls} calls`);
  assert.equal(status.errors, Math.ceil(calls / 2));
  assert.match(status.lastError ?? '', /^interval handler: odd call \d+$/);
  const logged = lines.filter((l) => l.app === 'flaky' && l.level === 50);
  assert.equal(logged.length, status.errors);
  assert.equal(logged[0].msg, 'app flaky threw');
  assert.match(String((logged[0].err as { message: string }).message), /odd call 1/);
});
