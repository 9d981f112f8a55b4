/**
 * `serve --agent` (what `npm start` runs): this machine's own Host sFlow agent feeds the analyzer in process,
 * so its host metrics appear within a polling interval, under the address the agent chose, with the values
 * the machine itself reports (hostname, memory from `free`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { chooseAgentAddress } from '../../src/agent/host/agent-address.js';
import { get, sleep, testServer } from './serve-support.js';

test("serve --agent: this host's metrics arrive within a polling interval", async () => {
  const server = await testServer('--agent');
  try {
    const agent = chooseAgentAddress(undefined, undefined).address;
    let metrics: Record<string, number | string> = {};
    const until = Date.now() + 15_000;
    while (metrics['2.1.mem_total'] === undefined && Date.now() < until) {
      await sleep(250);
      const agents = await get<Record<string, unknown>>(`${server.url}/agents/json`);
      if (agent in agents) metrics = await get(`${server.url}/metric/${agent}/json`);
    }
    assert.equal(metrics['2.1.host_name'], hostname().slice(0, 64));
    const free = Number(/^Mem:\s+(\d+)/m.exec(execFileSync('free', ['-b'], { encoding: 'utf8' }))?.[1]);
    assert.equal(metrics['2.1.mem_total'], free);
    assert.ok(Number(metrics['2.1.cpu_num']) >= 1);
  } finally {
    await server.stop();
  }
});
