/**
 * `sflowkit agent` as a user runs it: an hsflowd.conf that turns DNS-SD on, a real DNS server (dnsmasq) whose
 * SRV record names the collector and whose TXT record sets the polling, and a collector on a real UDP socket.
 * The host's counters arrive where DNS-SD said, at the interval it said, the auto file says so, and what was
 * sent agrees with `free` about the memory. Then bad configurations: a clear error and exit status 2.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withDnsmasq } from '../../src/agent/host/dnsmasq.test-util.js';
import { decodeDatagram } from '../../src/sflow/index.js';
import type { CountersSample, Datagram } from '../../src/sflow/model.js';

const MAIN = 'dist/src/cli/main.js';

test('DNS-SD names the collector and the polling; the host counters arrive there, and agree with free', async () => {
  const socket = createSocket('udp4');
  const got: Datagram[] = [];
  socket.on('message', (m) => got.push(decodeDatagram(m)));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const port = socket.address().port;
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-agent-'));
  const conf = join(dir, 'hsflowd.conf');
  writeFileSync(conf, 'sflow {\n  # everything else from DNS-SD\n  dns-sd { domain = .lab.example }\n}\n');
  const records = [
    `--srv-host=_sflow._udp.lab.example,collector.lab.example,${port}`,
    '--host-record=collector.lab.example,127.0.0.1',
    '--txt-record=_sflow._udp.lab.example,txtvers=1,polling=2,sampling.http=25',
  ];
  try {
    await withDnsmasq(records, async (server) => {
      const auto = join(dir, 'hsflowd.auto');
      const agent = spawn(
        process.execPath,
        [
          MAIN,
          'agent',
          '--config',
          conf,
          '--auto-file',
          auto,
          '--dns-server',
          server,
          '--dns-sd-delay',
          '0',
          '--log-level',
          'warn',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      agent.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      try {
        const hostSamples = () =>
          got.flatMap((d) => d.samples as CountersSample[]).filter((s) => s.sourceIdType === 2);
        const until = Date.now() + 8000;
        while (hostSamples().length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        const host = hostSamples();
        assert.ok(host.length >= 2, `two host polls within 8 s at polling=2 (${stderr})`);
        assert.deepEqual(
          host.map((s) => s.sequenceNumber),
          host.map((_, i) => i + 1),
        );
        const text = readFileSync(auto, 'utf8');
        assert.match(text, /^polling=2$/m);
        assert.match(text, /^sampling\.http=25$/m);
        assert.match(text, new RegExp(`^collector=127\\.0\\.0\\.1 ${port}$`, 'm'));
        const memory = host[0].records.find((r) => r.name === 'host_memory');
        const total = Number(/^Mem:\s+(\d+)/m.exec(execFileSync('free', ['-b'], { encoding: 'utf8' }))?.[1]);
        assert.equal(memory?.name === 'host_memory' && Number(memory.value.memTotal), total, 'free -b total');
      } finally {
        agent.kill('SIGTERM');
        await new Promise((r) => agent.once('exit', r));
      }
    });
  } finally {
    socket.close();
  }
});

test('a malformed hsflowd.conf or a bad option: the line and the reason, and exit status 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-agent-'));
  const conf = join(dir, 'bad.conf');
  writeFileSync(conf, 'sflow {\n  polling = 20\n  collector { ip = 10.0.0.1 udpport = 99999 }\n}\n');
  const bad = spawnSync(process.execPath, [MAIN, 'agent', '--config', conf], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad\.conf:3:.*udpport/);
  const option = spawnSync(process.execPath, [MAIN, 'agent', '--collector', 'x:0'], { encoding: 'utf8' });
  assert.equal(option.status, 2);
  assert.match(option.stderr, /--collector x:0/);
});
