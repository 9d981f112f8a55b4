/**
 * The memcache proxy in front of Debian's memcached, its sFlow read back from a real UDP socket by our
 * decoder: at 1 in 1 every operation of a known workload (text and binary protocol) with its exact command,
 * key, key count, value size and status, and its client's socket; at 1 in 10 a hot key's share within the
 * sampling error; counters that agree with memcached's own `stats` read just before and just after; samples
 * shaped as memcached's own sFlow shaped them (the corpus's memcached-sflow.pcap).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CMD, PROTOCOL, STATUS } from '../../src/instrument/memcache-operation.js';
import { StatsClient } from '../../src/instrument/memcache-stats.js';
import { decodeDatagram } from '../../src/sflow/index.js';
import type { CountersSample, FlowSample, Sample } from '../../src/sflow/model.js';
import { NO_CORPUS } from '../support/corpus.js';
import { corpusDatagrams } from '../support/datagrams.js';
import { BinaryClient, INCR_EXTRAS, SET_EXTRAS, TextClient, TOUCH_EXTRAS } from './memcache-client.js';
import { Collector, startProxy } from './memcache-rig.js';
import { type Memcached, startMemcached } from './memcached.js';

type Cmd = keyof typeof CMD;
type Status = keyof typeof STATUS;
/** command, key, nkeys, value bytes, status */
type Op = [Cmd, string, number, number, Status];
/** protocol, then the operation */
type Expected = [number, ...Op];

let memcached: Memcached;
let collector: Collector;

before(async () => {
  memcached = await startMemcached();
  collector = await Collector.open();
});
after(async () => {
  collector?.close();
  await memcached?.stop();
});

interface Operation {
  protocol: number;
  cmd: number;
  key: string | Uint8Array;
  nkeys: number;
  valueBytes: number;
  uS: number;
  status: number;
}
const operationOf = (f: FlowSample) => (f.records[1] as unknown as { value: Operation }).value;

test('1 in 1: every operation, text and binary, with its command, key, size, status and socket', async (tc) => {
  const rig = await startProxy(memcached.port, { samplingRate: 1, collectorPort: collector.port });
  tc.after(() => rig.stop());
  const expected: Expected[] = [];
  const t = await TextClient.connect(rig.port);
  const text = async (line: string, data: string | undefined, e: Op, answer?: string) => {
    const got = await t.call(line, data);
    expected.push([PROTOCOL.ASCII, ...e]);
    if (answer !== undefined) assert.equal(got, answer, line);
    return got;
  };
  await text('set hot 0 0 10', 'hotvalue!!', ['SET', 'hot', 1, 10, 'STORED'], 'STORED\r\n');
  await text('set k1 0 0 2', 'v1', ['SET', 'k1', 1, 2, 'STORED']);
  await text(
    'get hot',
    undefined,
    ['GET', 'hot', 1, 10, 'EXISTS'],
    'VALUE hot 0 10\r\nhotvalue!!\r\nEND\r\n',
  );
  await text('get miss:1', undefined, ['GET', 'miss:1', 1, 0, 'NOT_FOUND'], 'END\r\n');
  await text('get hot k1 miss:2', undefined, ['GET', 'hot', 3, 10, 'EXISTS']);
  const gets = await text('gets hot', undefined, ['GETS', 'hot', 1, 10, 'EXISTS']);
  await text('add hot 0 0 1', 'x', ['ADD', 'hot', 1, 1, 'NOT_STORED'], 'NOT_STORED\r\n');
  await text('add new:1 0 0 1', 'x', ['ADD', 'new:1', 1, 1, 'STORED']);
  await text('replace nope 0 0 1', 'x', ['REPLACE', 'nope', 1, 1, 'NOT_STORED']);
  await text('append k1 0 0 1', 'a', ['APPEND', 'k1', 1, 1, 'STORED']);
  await text('prepend nope 0 0 1', 'p', ['PREPEND', 'nope', 1, 1, 'NOT_STORED']);
  await text('cas hot 0 0 3 999999', 'new', ['CAS', 'hot', 1, 3, 'EXISTS'], 'EXISTS\r\n');
  await text(`cas hot 0 0 3 ${gets.split('\r\n')[0].split(' ')[4]}`, 'new', ['CAS', 'hot', 1, 3, 'STORED']);
  await text('cas nope 0 0 1 1', 'x', ['CAS', 'nope', 1, 1, 'NOT_FOUND'], 'NOT_FOUND\r\n');
  await text('set n 0 0 1', '5', ['SET', 'n', 1, 1, 'STORED']);
  await text('incr n 3', undefined, ['INCR', 'n', 1, 0, 'EXISTS'], '8\r\n');
  await text('decr n 1', undefined, ['DECR', 'n', 1, 0, 'EXISTS'], '7\r\n');
  await text('incr nope 1', undefined, ['INCR', 'nope', 1, 0, 'NOT_FOUND']);
  await text('touch hot 100', undefined, ['TOUCH', 'hot', 1, 0, 'OK'], 'TOUCHED\r\n');
  await text('touch nope 100', undefined, ['TOUCH', 'nope', 1, 0, 'NOT_FOUND']);
  await text('gat 100 hot', undefined, ['GET', 'hot', 1, 3, 'EXISTS']);
  await text('delete k1', undefined, ['DELETE', 'k1', 1, 0, 'DELETED'], 'DELETED\r\n');
  await text('delete k1', undefined, ['DELETE', 'k1', 1, 0, 'NOT_FOUND']);
  t.send('set quiet 0 0 1 noreply', 'q');
  expected.push([PROTOCOL.ASCII, 'SET', 'quiet', 1, 1, 'UNKNOWN']);
  await text('version', undefined, ['VERSION', '', 0, 0, 'OK']);
  await text('stats', undefined, ['STATS', '', 0, 0, 'OK']);
  await text('verbosity 0', undefined, ['OTHER', '', 0, 0, 'OK'], 'OK\r\n');
  await text('bogus', undefined, ['OTHER', '', 0, 0, 'ERROR'], 'ERROR\r\n');
  t.close();

  const b = await BinaryClient.connect(rig.port);
  const binary = async (q: Parameters<BinaryClient['call']>[0], e: Op, status?: number) => {
    const got = await b.call(q);
    expected.push([PROTOCOL.BINARY, ...e]);
    if (status !== undefined) assert.equal(got[0].status, status, `opcode ${q.opcode}`);
  };
  const extras = SET_EXTRAS;
  await binary({ opcode: 0x01, key: 'bhot', extras, value: 'binvalue' }, ['SET', 'bhot', 1, 8, 'STORED'], 0);
  await binary({ opcode: 0x00, key: 'bhot' }, ['GET', 'bhot', 1, 8, 'EXISTS'], 0);
  await binary({ opcode: 0x00, key: 'miss:b' }, ['GET', 'miss:b', 1, 0, 'NOT_FOUND'], 1);
  await binary({ opcode: 0x0c, key: 'bhot' }, ['GET', 'bhot', 1, 8, 'EXISTS'], 0);
  // A multi-get as libmemcached sends it: quiet gets, then a noop.
  b.send({ opcode: 0x09, key: 'miss:q', opaque: 1 });
  b.send({ opcode: 0x0d, key: 'bhot', opaque: 2 });
  b.send({ opcode: 0x0a, opaque: 3 });
  assert.deepEqual([(await b.read()).opaque, (await b.read()).opcode], [2, 0x0a]);
  expected.push(
    [PROTOCOL.BINARY, 'GET', 'miss:q', 1, 0, 'NOT_FOUND'],
    [PROTOCOL.BINARY, 'GET', 'bhot', 1, 8, 'EXISTS'],
    [PROTOCOL.BINARY, 'OTHER', '', 0, 0, 'OK'],
  );
  await binary({ opcode: 0x02, key: 'bhot', extras, value: 'x' }, ['ADD', 'bhot', 1, 1, 'NOT_STORED'], 2);
  await binary({ opcode: 0x03, key: 'nope', extras, value: 'x' }, ['REPLACE', 'nope', 1, 1, 'NOT_STORED'], 1);
  await binary(
    { opcode: 0x01, key: 'bhot', extras, value: 'y', cas: 1n },
    ['CAS', 'bhot', 1, 1, 'EXISTS'],
    2,
  );
  await binary({ opcode: 0x01, key: 'bn', extras, value: '5' }, ['SET', 'bn', 1, 1, 'STORED']);
  await binary({ opcode: 0x05, key: 'bn', extras: INCR_EXTRAS }, ['INCR', 'bn', 1, 0, 'EXISTS'], 0);
  await binary({ opcode: 0x06, key: 'bn', extras: INCR_EXTRAS }, ['DECR', 'bn', 1, 0, 'EXISTS'], 0);
  await binary({ opcode: 0x05, key: 'nope', extras: INCR_EXTRAS }, ['INCR', 'nope', 1, 0, 'NOT_FOUND'], 1);
  await binary({ opcode: 0x0e, key: 'bhot', value: 'x' }, ['APPEND', 'bhot', 1, 1, 'STORED'], 0);
  await binary({ opcode: 0x1c, key: 'bhot', extras: TOUCH_EXTRAS }, ['TOUCH', 'bhot', 1, 0, 'OK'], 0);
  await binary({ opcode: 0x1d, key: 'bhot', extras: TOUCH_EXTRAS }, ['GET', 'bhot', 1, 9, 'EXISTS'], 0);
  await binary({ opcode: 0x04, key: 'bhot' }, ['DELETE', 'bhot', 1, 0, 'DELETED'], 0);
  await binary({ opcode: 0x04, key: 'bhot' }, ['DELETE', 'bhot', 1, 0, 'NOT_FOUND'], 1);
  await binary({ opcode: 0x0b }, ['VERSION', '', 0, 0, 'OK'], 0);
  await binary({ opcode: 0x10 }, ['STATS', '', 0, 0, 'OK'], 0);
  b.send({ opcode: 0x11, key: 'sq', extras, value: 'q' });
  expected.push([PROTOCOL.BINARY, 'SET', 'sq', 1, 1, 'STORED']);
  await binary({ opcode: 0x0a }, ['OTHER', '', 0, 0, 'OK'], 0);
  await binary({ opcode: 0x07 }, ['QUIT', '', 0, 0, 'OK'], 0);
  await b.rest();

  await rig.sflow.poll();
  await rig.settle();
  const flows = collector.flows(rig.port);
  const got = flows.map((f) => {
    const o = operationOf(f);
    return [
      o.protocol,
      o.cmd,
      typeof o.key === 'string' ? o.key : Buffer.from(o.key).toString(),
      o.nkeys,
      o.valueBytes,
      o.status,
    ];
  });
  assert.deepEqual(
    got,
    expected.map(([p, cmd, key, n, v, s]) => [p, CMD[cmd], key, n, v, STATUS[s]]),
  );
  assert.deepEqual(rig.proxy.counts.lost, {});
  for (const [i, f] of flows.entries()) {
    // The pool counts operations when read, a sample is sent when answered: pipelined ones are in the pool first.
    assert.ok(f.samplePool >= i + 1 && f.samplePool <= expected.length, `pool ${f.samplePool}`);
    assert.deepEqual(
      [f.samplingRate, f.sequenceNumber, f.sourceIdType, f.inputValue, f.outputValue],
      [1, i + 1, 3, 0, 0x3fffffff],
    );
    const socket = f.records[0] as unknown as { name: string; value: Record<string, unknown> };
    assert.equal(socket.name, 'extended_socket_ipv4');
    assert.deepEqual(
      [socket.value.protocol, socket.value.localIp, socket.value.remoteIp, socket.value.localPort],
      [6, '127.0.0.1', '127.0.0.1', rig.port],
    );
    const o = operationOf(f);
    if (o.status !== STATUS.UNKNOWN) assert.ok(o.uS > 0 && o.uS < 5_000_000, `uS ${o.uS}`);
  }
  // The proxy's own counts, app_operations: every operation, the misses as not found.
  const ops = collector
    .counters(rig.port)
    .flatMap((c) => c.records)
    .find((r) => r.name === 'app_operations');
  const counts = (ops as unknown as { value: Record<string, number> }).value;
  const total = Object.entries(counts).reduce((n, [k, v]) => (k === 'application' ? n : n + v), 0);
  assert.equal(total, expected.length);
  assert.equal(counts.notFound, expected.filter((e) => e[5] === 'NOT_FOUND').length);
  assert.equal(counts.badRequest, 0);
  assert.equal(counts.notImplemented, 1);
});

test('1 in 10: about a tenth sampled, the hot key read 60% of the time is about 60% of the samples', async (tc) => {
  const rig = await startProxy(memcached.port, { samplingRate: 10, collectorPort: collector.port });
  tc.after(() => rig.stop());
  const t = await TextClient.connect(rig.port);
  await t.call('set hot 0 0 3', 'hot');
  const N = 3000;
  const lines = Array.from({ length: N }, (_, i) => (i % 5 < 3 ? 'get hot' : `get miss:${i % 40}`));
  for (let i = 0; i < N; i += 100) {
    const batch = lines.slice(i, i + 100);
    for (const l of batch) t.send(l);
    for (const l of batch) await t.answer(l);
  }
  t.close();
  await rig.settle();
  const ops = collector.flows(rig.port).map(operationOf);
  // Random skips of 1 to 19: the count is tighter than binomial; 4σ of the binomial bounds it.
  const n = ops.length;
  assert.ok(Math.abs(n - N / 10) < 4 * Math.sqrt((N / 10) * 0.9), `${n} samples of ${N + 1} operations`);
  const hot = ops.filter((o) => o.key === 'hot').length;
  const sigma = Math.sqrt((0.6 * 0.4) / n);
  assert.ok(Math.abs(hot / n - 0.6) < 4 * sigma, `hot key ${hot} of ${n} samples`);
  for (const o of ops) {
    if (o.key === 'hot') assert.equal(o.status, o.cmd === CMD.GET ? STATUS.EXISTS : STATUS.STORED);
    else assert.deepEqual([o.cmd, o.status], [CMD.GET, STATUS.NOT_FOUND], String(o.key));
  }
  const last = collector.flows(rig.port).at(-1)!;
  assert.ok(last.samplePool <= N + 1 && last.samplePool > N - 40 && last.samplingRate === 10);
});

test('counters: memcache_counters agree with stats read just before and just after, under traffic', async (tc) => {
  const rig = await startProxy(memcached.port, { samplingRate: 100, collectorPort: collector.port });
  tc.after(() => rig.stop());
  const direct = new StatsClient('127.0.0.1', memcached.port);
  const t = await TextClient.connect(rig.port);
  let running = true;
  const traffic = (async () => {
    for (let i = 0; running; i++) {
      await t.call(i % 3 === 0 ? `get miss:${i}` : 'get hot');
      if (i % 10 === 0) await t.call(`set k:${i % 7} 0 0 1`, 'v');
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  const pause = () => new Promise((r) => setTimeout(r, 30));
  const before = await direct.read();
  await pause();
  await rig.sflow.poll();
  await pause();
  const afterStats = await direct.read();
  running = false;
  await traffic;
  t.close();
  direct.close();
  await rig.settle();
  const record = collector
    .counters(rig.port)
    .flatMap((c) => c.records)
    .find((r) => r.name === 'memcache_counters');
  assert.ok(record, 'a memcache_counters record');
  const c = (record as unknown as { value: Record<string, number | bigint> }).value;
  const within = (name: string, value: number | bigint) => {
    const [lo, hi] = [BigInt(before.get(name)!), BigInt(afterStats.get(name)!)];
    assert.ok(lo <= BigInt(value) && BigInt(value) <= hi, `${name}: ${lo} ≤ ${value} ≤ ${hi}`);
  };
  assert.ok(Number(afterStats.get('get_hits')) > Number(before.get('get_hits')), 'traffic between the reads');
  within('get_hits', c.getHits);
  within('get_misses', c.getMisses);
  within('cmd_get', Number(c.getHits) + Number(c.getMisses));
  within('cmd_set', c.cmdSet);
  within('bytes_read', c.bytesRead);
  within('total_items', c.totalItems);
  assert.equal(c.limitMaxbytes, BigInt(afterStats.get('limit_maxbytes')!));
  assert.equal(c.threads, Number(afterStats.get('threads')));
  assert.ok(Number(c.currConnections) >= 2, 'the client and the stats connection');
});

test('samples shaped as memcached 1.4.13 with sFlow shaped them (corpus memcached-sflow.pcap)', {
  skip: NO_CORPUS,
}, async (tc) => {
  const theirs = corpusDatagrams('memcached-sflow').flatMap((d) => decodeDatagram(d).samples);
  const rig = await startProxy(memcached.port, { samplingRate: 1, collectorPort: collector.port });
  tc.after(() => rig.stop());
  const t = await TextClient.connect(rig.port);
  await t.call('get user:hot');
  t.close();
  await rig.sflow.poll();
  await rig.settle();
  const shape = (s: Sample | undefined) => {
    if (s === undefined || !('records' in s)) return s;
    const { sequenceNumber, sourceIdIndex, samplingRate, samplePool, records, ...rest } = s as FlowSample;
    return {
      ...rest,
      records: records.map((r) => [r.name, r.tag, Object.keys((r as { value: object }).value)]),
    };
  };
  const flow = (list: Sample[]) => list.find((s) => s.name === 'flow_sample');
  const counters = (list: Sample[]) =>
    list.find(
      (s): s is CountersSample => s.name === 'counters_sample' && s.records[0]?.name === 'memcache_counters',
    );
  assert.deepEqual(shape(flow(collector.flows(rig.port))), shape(flow(theirs)));
  // Ours adds the proxy's own counts (app_operations) after memcache_counters.
  const ours = counters(collector.counters(rig.port));
  assert.deepEqual(shape(ours && { ...ours, records: ours.records.slice(0, 1) }), shape(counters(theirs)));
});
