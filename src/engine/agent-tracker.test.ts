/**
 * Agent tracking on the generator's data center: every agent found, the silenced host lost after three of
 * its polling intervals (at least a minute), datagrams taken out counted as lost, a restart not counted as
 * loss, and the allowlist.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Emitted } from '../generator/agent.js';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC } from '../generator/fabric.js';
import { decodeDatagram } from '../sflow/index.js';
import { AgentTracker } from './agent-tracker.js';
import { parseCidr } from './cidr.js';

function run(scenario: 'host-loss' | 'steady', duration: number): { dc: DataCenter; emitted: Emitted[] } {
  const dc = new DataCenter({ fabric: DEFAULT_FABRIC, scenario, seed: 3, duration, flows: 200 });
  const emitted: Emitted[] = [];
  for (let s = dc.nextSecond(); s; s = dc.nextSecond()) emitted.push(...s);
  return { dc, emitted };
}

/** Feeds the datagrams in their time order, ticking every second; the events seen. */
function feed(tracker: AgentTracker, emitted: Emitted[], until: number) {
  const events = [];
  let next = 0;
  for (let t = 0; t <= until; t++) {
    for (; next < emitted.length && emitted[next].time < t + 1; next++) {
      const e = emitted[next];
      tracker.datagram(decodeDatagram(e.bytes), e.agent, e.time * 1000);
    }
    events.push(...tracker.tick((t + 1) * 1000));
  }
  return events;
}

test('agents are found on their first datagram, and a silent one lost after three intervals (at least 60 s)', () => {
  const { dc, emitted } = run('host-loss', 240);
  const silent = dc.truth().timeline[0];
  const host = dc.fabric.hosts.find((h) => h.name === silent.host);
  assert.ok(host);
  const tracker = new AgentTracker();
  const events = feed(tracker, emitted, 240);
  const found = new Set(events.filter((e) => e.type === 'agent_found').map((e) => e.agent));
  assert.equal(found.size, new Set(emitted.map((e) => e.agent)).size);
  const lost = events.filter((e) => e.type === 'agent_lost');
  assert.deepEqual(
    lost.map((e) => e.agent),
    [host.ipv4],
  );
  const stats = tracker.list().find((a) => a.address === host.ipv4);
  assert.ok(stats?.pollingMs);
  const silentFor = lost[0].time - stats.lastSeen;
  assert.ok(silentFor > Math.max(60_000, 3 * stats.pollingMs), `lost after ${silentFor} ms`);
  assert.ok(silentFor <= Math.max(60_000, 3 * stats.pollingMs) + 1000);
  assert.equal(stats.lost, 0);
});

test('datagrams missing from the sequence are counted as lost; a restart is not', () => {
  const { emitted } = run('steady', 60);
  const agent = '10.0.0.101';
  const mine = emitted.filter((e) => e.agent === agent);
  const dropped = new Set([mine[10], mine[11], mine[40]]);
  const tracker = new AgentTracker();
  feed(
    tracker,
    emitted.filter((e) => !dropped.has(e)),
    60,
  );
  const stats = tracker.list().find((a) => a.address === agent);
  assert.equal(stats?.lost, 3);
  assert.equal(stats?.datagrams, mine.length - 3);
  // The agent restarts: uptime and sequence numbers start again.
  const d = decodeDatagram(mine[0].bytes);
  tracker.datagram({ ...d, sequenceNumber: 1, uptime: 5 }, agent, 61_000);
  tracker.datagram({ ...d, sequenceNumber: 2, uptime: 1005 }, agent, 62_000);
  const after = tracker.list().find((a) => a.address === agent);
  assert.equal(after?.restarts, 1);
  assert.equal(after?.lost, 3);
});

test('the allowlist takes datagrams from its blocks only, and counts the rest', () => {
  const tracker = new AgentTracker({ allow: [parseCidr('10.0.0.0/24'), parseCidr('fd00::/16')] });
  assert.equal(tracker.allowed('10.0.0.7'), true);
  assert.equal(tracker.allowed('fd00:1::3'), true);
  assert.equal(tracker.allowed('10.1.0.7'), false);
  assert.equal(tracker.allowed('2001:db8::1'), false);
  assert.equal(tracker.refused, 2);
  assert.throws(() => parseCidr('10.0.0.0/33'), /bad prefix length/);
  assert.throws(() => parseCidr('nowhere/8'), /not an address block/);
});

test('datagrams that do not decode are counted by error code for their sender', () => {
  const tracker = new AgentTracker();
  tracker.decodeError('192.0.2.9', 'TRUNCATED', 1000);
  tracker.decodeError('192.0.2.9', 'TRUNCATED', 2000);
  tracker.decodeError('192.0.2.9', 'UNSUPPORTED_VERSION', 3000);
  assert.deepEqual(tracker.list()[0].decodeErrors, { TRUNCATED: 2, UNSUPPORTED_VERSION: 1 });
});
