/**
 * `serve --agent` (what `npm start` runs): this machine's own Host sFlow agent feeds the analyzer in process,
 * so its host metrics appear within a polling interval, under the address the agent chose, with the values
 * the machine itself reports (hostname, memory from `free`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { hostname, networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { get, sleep, testServer } from './serve-support.js';

test("serve --agent: this host's metrics arrive within a polling interval", async () => {
  const server = await testServer('--agent');
  try {
    // The only agent this server hears from is its own host agent (no --demo). Its address is the one the
    // agent chose at start: other tests running beside this one add and remove interfaces, so choosing again
    // here could give another.
    let agents: string[] = [];
    let metrics: Record<string, number | string> = {};
    const until = Date.now() + 20_000;
    while (metrics['2.1.mem_total'] === undefined && Date.now() < until) {
      await sleep(250);
      agents = Object.keys(await get<Record<string, unknown>>(`${server.url}/agents/json`));
      if (agents.length === 1) metrics = await get(`${server.url}/metric/${agents[0]}/json`);
    }
    assert.equal(agents.length, 1, `one agent: ${agents}`);
    const mine = Object.values(networkInterfaces()).flatMap((a) => (a ?? []).map((x) => x.address));
    assert.ok(
      mine.includes(agents[0]) || agents[0] === '127.0.0.1',
      `${agents[0]} is an address of this host`,
    );
    assert.equal(metrics['2.1.host_name'], hostname().slice(0, 64));
    const free = Number(/^Mem:\s+(\d+)/m.exec(execFileSync('free', ['-b'], { encoding: 'utf8' }))?.[1]);
    assert.equal(metrics['2.1.mem_total'], free);
    assert.ok(Number(metrics['2.1.cpu_num']) >= 1);
  } finally {
    await server.stop();
  }
});
