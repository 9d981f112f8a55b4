/**
 * End to end: clients through the memcache proxy in front of Debian's memcached, the proxy's sFlow to
 * `sflowkit serve`, and the dashboard's memcache flows (src/engine/dashboard-flows.ts) show the workload: the
 * key read 60% of the time on top of sflowkit_memcache_keys, the keys that miss in sflowkit_memcache_missed
 * (filter memcachestatus=NOT_FOUND) and only they.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ActiveFlow } from '../../src/engine/flows.js';
import { get, sleep, testServer } from '../serve/serve-support.js';
import { TextClient } from './memcache-client.js';
import { startProxy } from './memcache-rig.js';
import { type Memcached, startMemcached } from './memcached.js';

let memcached: Memcached;

before(async () => {
  memcached = await startMemcached();
});
after(async () => {
  await memcached?.stop();
});

test('sflowkit serve: the hot key tops the memcache keys, the missed keys fill the missed', async (t) => {
  const server = await testServer();
  t.after(() => server.stop());
  const rig = await startProxy(memcached.port, { samplingRate: 2, collectorPort: server.sflowPort });
  t.after(() => rig.stop());
  const c = await TextClient.connect(rig.port);
  t.after(() => c.close());
  await c.call('set user:hot 0 0 5', 'hello');
  const lines = Array.from({ length: 2000 }, (_, i) =>
    i % 5 < 3
      ? 'get user:hot'
      : i % 5 === 3
        ? `get miss:${Math.floor(i / 5) % 8}`
        : `set user:${i % 50} 0 0 1`,
  );
  for (let i = 0; i < lines.length; i += 100) {
    const batch = lines.slice(i, i + 100);
    for (const l of batch) l.startsWith('set') ? c.send(l, 'x') : c.send(l);
    for (const l of batch) await c.answer(l);
  }
  rig.exporter.flush();

  let keys: ActiveFlow[] = [];
  let missed: ActiveFlow[] = [];
  for (let i = 0; i < 50; i++) {
    keys = await get<ActiveFlow[]>(`${server.url}/activeflows/ALL/sflowkit_memcache_keys/json`);
    missed = await get<ActiveFlow[]>(`${server.url}/activeflows/ALL/sflowkit_memcache_missed/json`);
    if (keys.length > 0 && missed.length >= 5) break;
    await sleep(100);
  }
  assert.equal(keys[0]?.key, 'user:hot', JSON.stringify(keys.slice(0, 3)));
  assert.ok(keys[0].value > 2 * (keys[1]?.value ?? 0), 'well ahead of any other key');
  assert.ok(missed.length >= 5, JSON.stringify(missed));
  for (const m of missed) assert.match(m.key, /^miss:[0-7]$/);
  assert.ok(!missed.some((m) => m.key === 'user:hot'));
});
