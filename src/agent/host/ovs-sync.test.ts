/**
 * Against a real Open vSwitch (ovs.test-util.ts): what OvsSync sets is read back with `ovs-vsctl list`, as
 * people read it, and proved real by the sFlow datagrams ovs-vswitchd itself sends to a UDP socket here (its
 * ports' counters at the polling interval), decoded with our codec and matched to the ifIndex `ip` reports.
 * Then `sflowkit agent` with `ovs { }` in its file: set at start, following edits, cleared at SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../common/logger.js';
import { decodeDatagram } from '../../sflow/index.js';
import type { CountersSample, Datagram } from '../../sflow/model.js';
import { listText, type OvsRig, ovsSkipReason, startOvs } from './ovs.test-util.js';
import { OvsSync } from './ovs-sync.js';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

interface Collector {
  port: number;
  got: { from: string; d: Datagram }[];
  socket: Socket;
}

async function collector(address: string): Promise<Collector> {
  const socket = createSocket('udp4');
  const got: Collector['got'] = [];
  socket.on('message', (m, r) => got.push({ from: r.address, d: decodeDatagram(m) }));
  await new Promise<void>((r) => socket.bind(0, address, r));
  return { port: socket.address().port, got, socket };
}

async function until<T>(what: string, ms: number, probe: () => T | undefined | false): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The counter samples OVS sent for the device with this ifIndex. */
function countersOf(c: Collector, ifIndex: number, from: string): CountersSample[] {
  return c.got
    .filter((g) => g.from === from)
    .flatMap((g) => g.d.samples as CountersSample[])
    .filter((s) => s.sourceIdType === 0 && s.sourceIdIndex === ifIndex);
}

const skip = ovsSkipReason();

describe('Open vSwitch', { skip }, () => {
  let rig: OvsRig;
  before(async () => {
    rig = await startOvs();
  });
  after(async () => {
    await rig?.stop();
  });

  test('OvsSync sets sFlow on every bridge, OVS sends it, changes follow, off clears only ours', async () => {
    const c1 = await collector(rig.hostAddress);
    const c2 = await collector(rig.hostAddress);
    // A check a second, so that a bridge added behind our back is picked up within the test.
    const sync = new OvsSync({
      vsctlOptions: [`--db=${rig.db}`],
      checkSeconds: 1,
      log: createLogger('silent'),
    });
    try {
      const settings = {
        collectors: [
          { address: rig.hostAddress, port: c1.port },
          { address: 'fd00::9', port: 6343 },
        ],
        sampling: 256,
        polling: 1,
        headerBytes: 96,
        agent: rig.nsAddress,
      };
      assert.deepEqual(await sync.configure(settings), {
        status: 'changed',
        action: 'create',
        bridges: ['br0'],
      });
      const [rec, ...more] = listText(rig, 'sflow');
      assert.equal(more.length, 0);
      assert.equal(rec.targets, `["${rig.hostAddress}:${c1.port}", "[fd00::9]:6343"]`);
      assert.equal(rec.agent, `"${rig.nsAddress}"`);
      assert.deepEqual([rec.sampling, rec.polling, rec.header], ['256', '1', '96']);
      assert.equal(rec.external_ids, '{sflowkit=host-agent}');
      assert.equal(rig.vsctl('get', 'bridge', 'br0', 'sflow').trim(), rec._uuid);

      // The same settings again: read, nothing written.
      assert.equal((await sync.configure(settings)).status, 'unchanged');
      assert.equal(sync.counts.writes, 1);

      // ovs-vswitchd's own counters for br0, from its namespace, with the agent address we gave it.
      const br0 = rig.ifIndex('br0');
      const first = await until('OVS counters for br0', 5000, () => countersOf(c1, br0, rig.nsAddress)[0]);
      assert.ok(c1.got.every((g) => g.d.agentAddress === rig.nsAddress));
      const ifc = first.records.find((r) => r.name === 'if_counters');
      assert.equal(ifc?.name === 'if_counters' && ifc.value.ifIndex, br0);

      // A bridge added later gets the same record at the next check, and its counters arrive too.
      rig.vsctl('add-br', 'br1', '--', 'set', 'bridge', 'br1', 'datapath_type=netdev');
      await until(
        'br1 has our sFlow',
        4000,
        () => rig.vsctl('get', 'bridge', 'br1', 'sflow').trim() === rec._uuid,
      );
      const br1 = rig.ifIndex('br1');
      await until('OVS counters for br1', 5000, () => countersOf(c1, br1, rig.nsAddress)[0]);

      // New collectors and polling: the same record changes; datagrams go to the new collector.
      const moved = { ...settings, collectors: [{ address: rig.hostAddress, port: c2.port }], polling: 2 };
      assert.deepEqual(await sync.configure(moved), { status: 'changed', action: 'update', bridges: [] });
      const [now] = listText(rig, 'sflow');
      assert.equal(now._uuid, rec._uuid);
      assert.equal(now.targets, `["${rig.hostAddress}:${c2.port}"]`);
      assert.equal(now.polling, '2');
      await until('OVS counters at the new collector', 6000, () => countersOf(c2, br0, rig.nsAddress)[0]);

      // Off: our record leaves both bridges (and OVSDB drops it); a record someone else sets then stays.
      assert.deepEqual(await sync.configure(undefined), {
        status: 'changed',
        action: 'clear',
        bridges: ['br0', 'br1'],
      });
      assert.deepEqual(listText(rig, 'sflow'), []);
      assert.equal(rig.vsctl('get', 'bridge', 'br0', 'sflow').trim(), '[]');
      rig.vsctl(
        '--',
        '--id=@s',
        'create',
        'sflow',
        'targets="192.0.2.1:6343"',
        '--',
        'set',
        'bridge',
        'br1',
        'sflow=@s',
      );
      assert.equal((await sync.configure(undefined)).status, 'unchanged');
      assert.equal(listText(rig, 'sflow').length, 1);

      // On again, then stopped: every bridge ours (as hsflowd takes them), then none.
      assert.deepEqual(await sync.configure(settings), {
        status: 'changed',
        action: 'create',
        bridges: ['br0', 'br1'],
      });
      assert.equal(listText(rig, 'sflow').length, 1);
      assert.equal((await sync.stop()).action, 'clear');
      assert.deepEqual(listText(rig, 'sflow'), []);
      assert.equal(sync.counts.errors, 0);
    } finally {
      await sync.stop();
      rig.vsctl('--if-exists', 'del-br', 'br1');
      c1.socket.close();
      c2.socket.close();
    }
  });

  test('OVS out of reach: the check fails, is retried, and nothing throws', async () => {
    const sync = new OvsSync({
      vsctlOptions: [`--db=unix:${join(tmpdir(), 'no-such-ovs.sock')}`],
      timeoutSeconds: 1,
      log: createLogger('silent'),
    });
    const r = await sync.configure({
      collectors: [{ address: '192.0.2.1', port: 6343 }],
      sampling: 400,
      polling: 30,
      headerBytes: 128,
    });
    assert.equal(r.status, 'failed');
    assert.match(r.error ?? '', /ovs-vsctl/);
    await sync.stop();
    const missing = new OvsSync({ vsctl: '/nonexistent/ovs-vsctl', log: createLogger('silent') });
    assert.equal((await missing.configure(undefined)).status, 'failed');
    await missing.stop();
  });

  test('sflowkit agent with ovs { }: set at start, follows edits to the file, cleared at SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfk-ovs-agent-'));
    const conf = join(dir, 'hsflowd.conf');
    const write = (port: number, ovs: boolean) =>
      writeFileSync(
        conf,
        `sflow {\n  agentIP = ${rig.nsAddress}\n  polling = 2\n  sampling = 512\n` +
          `  collector { ip = ${rig.hostAddress} udpport = ${port} }\n${ovs ? '  ovs { }\n' : ''}}\n`,
      );
    write(16343, true);
    const agent = spawn(
      process.execPath,
      [MAIN, 'agent', '--config', conf, '--ovs-db', rig.db, '--log-level', 'warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    agent.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const targets = () => listText(rig, 'sflow')[0]?.targets;
    try {
      await until(`OVS set at start (${stderr})`, 8000, () => targets() === `["${rig.hostAddress}:16343"]`);
      assert.equal(listText(rig, 'sflow')[0].sampling, '512');
      write(16344, true);
      await until('OVS follows the edit', 5000, () => targets() === `["${rig.hostAddress}:16344"]`);
      write(16344, false);
      await until('ovs { } removed: cleared', 5000, () => targets() === undefined);
      write(16345, true);
      await until('ovs { } back', 5000, () => targets() === `["${rig.hostAddress}:16345"]`);
      const exited = once(agent, 'exit');
      agent.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0, stderr);
      assert.deepEqual(listText(rig, 'sflow'), []);
      assert.equal(rig.vsctl('get', 'bridge', 'br0', 'sflow').trim(), '[]');
    } finally {
      if (agent.exitCode === null) agent.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
