import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeDatagram, encodeDatagram } from '../../sflow/index.js';
import type { CountersSample, Datagram, KnownCounterRecord } from '../../sflow/model.js';
import { readHostCounters } from './host-counters.js';

const HOST_TAGS = [
  '0:2000',
  '0:2001',
  '0:2003',
  '0:2004',
  '0:2005',
  '0:2006',
  '0:2007',
  '0:2008',
  '0:2009',
  '0:2010',
];

function sample(sourceIdType: number, sourceIdIndex: number, records: KnownCounterRecord[]): CountersSample {
  return {
    name: 'counters_sample_expanded',
    tag: '0:4',
    sequenceNumber: 1,
    sourceIdType,
    sourceIdIndex,
    records,
  };
}

test('every record of this host encodes and decodes to itself with our codec', async () => {
  const c = await readHostCounters();
  assert.deepEqual(
    c.host.map((r) => r.tag),
    HOST_TAGS,
  );
  assert.ok(c.nics.length > 0);
  for (const nic of c.nics) {
    assert.equal(nic.records[0].name, 'if_counters');
    assert.ok(nic.records[0].name === 'if_counters' && nic.records[0].value.ifIndex === nic.ifIndex);
  }
  const d: Datagram = {
    version: 5,
    agentAddress: '192.0.2.1',
    subAgentId: 100_000,
    sequenceNumber: 1,
    uptime: 1000,
    // The host is data source 2:1 (hsflowd's physical entity); each NIC its ifIndex.
    samples: [sample(2, 1, c.host), ...c.nics.map((n) => sample(0, n.ifIndex, n.records))],
  };
  const back = decodeDatagram(encodeDatagram(d));
  assert.equal(back.samples.length, d.samples.length);
  back.samples.forEach((s, i) => {
    assert.ok(s.name === 'counters_sample_expanded');
    for (const r of s.records) assert.ok(r.name !== 'invalid' && r.name !== 'unknown', `${r.tag}: ${r.name}`);
    assert.deepEqual(s.records, (d.samples[i] as CountersSample).records);
  });
});

test('missing and unreadable files leave records out, and counters wrap at 32 bits', async (t) => {
  const root = await mkdtemp(join(os.tmpdir(), 'host-counters-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'proc/net'), { recursive: true });
  await mkdir(join(root, 'proc/meminfo')); // unreadable: a directory where the file should be
  await writeFile(join(root, 'proc/stat'), 'cpu  429496730 0 0 0 0 0 0\ncpu0 0 0 0 0\nintr 4294967297\n');
  await writeFile(join(root, 'proc/loadavg'), '0.50 0.25 0.125 3/200 999\n');
  await writeFile(
    join(root, 'proc/net/dev'),
    [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0',
      '  eth0: 18446744073709551615 4294967301 0 0 0 0 0 0 5 6 0 0 0 0 0 0',
    ].join('\n'),
  );
  const c = await readHostCounters(root);
  assert.deepEqual(
    c.host.map((r) => r.name),
    ['host_descr', 'host_adapters', 'host_cpu', 'host_net_io'],
  );
  const [descr, adapters, cpu, nio] = c.host;
  assert.ok(descr.name === 'host_descr' && adapters.name === 'host_adapters');
  assert.ok(cpu.name === 'host_cpu' && nio.name === 'host_net_io');
  assert.equal(descr.value.hostname, os.hostname());
  assert.deepEqual(descr.value.uuid, new Uint8Array(16));
  assert.deepEqual(adapters.value.adapters, []);
  assert.deepEqual([cpu.value.cpuUser, cpu.value.interrupts, cpu.value.procRun], [4, 1, 2]);
  assert.equal(cpu.value.loadFifteen, 0.125);
  // Without sysfs every NIC is taken to be up, and only lo to be loopback.
  assert.deepEqual(
    [nio.value.bytesIn, nio.value.pktsIn, nio.value.packetsOut],
    [18446744073709551615n, 5, 6],
  );
  assert.deepEqual(
    c.nics.map((n) => [n.name, n.ifIndex, n.loopback, n.records.length]),
    [
      ['lo', 0, true, 1],
      ['eth0', 0, false, 1],
    ],
  );
  const nothing = await readHostCounters(join(root, 'absent'));
  assert.deepEqual(
    nothing.host.map((r) => r.name),
    ['host_descr'],
  );
  assert.deepEqual(nothing.nics, []);
});
