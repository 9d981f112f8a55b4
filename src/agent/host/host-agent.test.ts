/**
 * The agent loop over real UDP: each data source polled once an interval with its own sequence numbers, the
 * host's records and each NIC's, to every collector; new collectors take over without a restart.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { hostname } from 'node:os';
import { after, test } from 'node:test';
import { decodeDatagram } from '../../sflow/index.js';
import type { CountersSample, Datagram } from '../../sflow/model.js';
import { HostAgent } from './host-agent.js';

const sockets: Socket[] = [];
after(() => {
  for (const s of sockets) s.close();
});

async function collector(): Promise<{ port: number; got: Datagram[] }> {
  const s = createSocket('udp4');
  sockets.push(s);
  const got: Datagram[] = [];
  s.on('message', (m) => got.push(decodeDatagram(m)));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return { port: s.address().port, got };
}

const settle = () => new Promise((r) => setTimeout(r, 100));
const samples = (ds: Datagram[]) => ds.flatMap((d) => d.samples as CountersSample[]);

test('every data source once an interval, with its own sequence, to every collector', async () => {
  const [a, b] = [await collector(), await collector()];
  const agent = new HostAgent({
    settings: {
      agentAddress: '192.0.2.1',
      polling: 3,
      datagramBytes: 1400,
      collectors: [
        { address: '127.0.0.1', port: a.port },
        { address: '127.0.0.1', port: b.port },
      ],
    },
  });
  for (let second = 600; second < 606; second++) await agent.tick(second);
  await settle();
  assert.deepEqual(samples(a.got), samples(b.got), 'both collectors get the same');
  const all = samples(a.got);
  const host = all.filter((s) => s.sourceIdType === 2 && s.sourceIdIndex === 1);
  assert.deepEqual(
    host.map((s) => s.sequenceNumber),
    [1, 2],
    'the host twice in 6 s at polling 3',
  );
  const names = host[0].records.map((r) => r.name);
  for (const n of ['host_descr', 'host_cpu', 'host_memory', 'host_disk_io', 'host_net_io'])
    assert.ok(names.includes(n as never), `${n} in ${names}`);
  const descr = host[0].records.find((r) => r.name === 'host_descr');
  assert.equal(descr?.name === 'host_descr' && descr.value.hostname, hostname().slice(0, 64));
  const nics = all.filter((s) => s.sourceIdType === 0);
  const byNic = new Map<number, CountersSample[]>();
  for (const s of nics) byNic.set(s.sourceIdIndex, [...(byNic.get(s.sourceIdIndex) ?? []), s]);
  assert.ok(byNic.size >= 1, 'at least one NIC besides loopback');
  for (const [ifIndex, polls] of byNic) {
    assert.deepEqual(
      polls.map((p) => p.sequenceNumber),
      [1, 2],
      `NIC ${ifIndex}`,
    );
    const ifc = polls[0].records[0];
    assert.equal(ifc.name === 'if_counters' && ifc.value.ifIndex, ifIndex);
  }
  assert.ok(a.got.every((d) => d.agentAddress === '192.0.2.1'));
  assert.equal(agent.counts.readErrors, 0);

  // New collectors: the datagram sequence goes on (one agent, not a restart).
  const c = await collector();
  const last = Math.max(...a.got.map((d) => d.sequenceNumber));
  await agent.update({
    agentAddress: '192.0.2.1',
    polling: 3,
    datagramBytes: 1400,
    collectors: [{ address: '127.0.0.1', port: c.port }],
  });
  const before = a.got.length;
  for (let second = 606; second < 609; second++) await agent.tick(second);
  await settle();
  assert.equal(a.got.length, before, 'the old collector gets nothing more');
  assert.ok(c.got.length > 0);
  assert.equal(Math.min(...c.got.map((d) => d.sequenceNumber)), last + 1);
  await agent.stop();
});
