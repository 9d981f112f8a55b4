/**
 * Values: each kind on the corpus (the amount, whether it is scaled, the key counted), the errors; then keys,
 * filter and values together on the generator's DDoS run, scored against its truth: the flood's target is the
 * top destination, its spoofed sources are counted, and its rate is estimated from the samples.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC } from '../generator/fabric.js';
import { decodeDatagram } from '../sflow/index.js';
import { FlowContext } from './flow-context.js';
import { CORPUS } from './flow-corpus.test-util.js';
import { compileFilter } from './flow-filter.js';
import { compileKeys, FlowSpecError } from './flow-keys.js';
import { testEnv } from './flow-sample.test-util.js';
import { compileValue } from './flow-values.js';

const env = testEnv();

test('sums are scaled: bytes, frames, requests, duration, numeric keys, rate:', () => {
  const rows: [string, string, number | undefined][] = [
    ['bytes', 'tcp4', 162],
    ['bytes', 'http', 2000],
    ['frames', 'tcp4', 1],
    ['frames', 'ipv4only', 1],
    ['frames', 'http', undefined],
    ['requests', 'http', 1],
    ['requests', 'memcache', 1],
    ['requests', 'tcp4', undefined],
    ['duration', 'http', 1500],
    ['duration', 'tcp4', undefined],
    ['ipbytes', 'tcp4', 140],
    ['resp_bytes', 'http', 1900],
    ['rate:bytes', 'tcp4', 162],
    ['rate:requests', 'memcache', 1],
    ['[bits:ip6flowlabel:255]', 'udp6', 0x45],
  ];
  for (const [spec, sample, want] of rows) {
    const v = compileValue(spec, env);
    assert.equal(v(CORPUS[sample]), want, `${spec} on ${sample}`);
    assert.equal(v.kind, 'sum', spec);
    assert.equal(v.scaled, true, spec);
    assert.equal(v.spec, spec);
  }
});

test('avg:, min: and max: give the unscaled number; count: counts the key values', () => {
  const avg = compileValue('avg:duration', env);
  assert.deepEqual(
    [avg.kind, avg.scaled, avg(CORPUS.http), avg(CORPUS.tcp4)],
    ['avg', false, 1500, undefined],
  );
  const min = compileValue('min:ipbytes', env);
  assert.deepEqual([min.kind, min.scaled, min(CORPUS.tcp4)], ['min', false, 140]);
  const max = compileValue(' max:ip6bytes ', env);
  assert.deepEqual([max.kind, max.scaled, max(CORPUS.udp6)], ['max', false, 68]);
  assert.equal(compileValue('avg:frames', env)(CORPUS.tcp4), 1);
  // A function's text read as a number; a value that is not one does not count.
  assert.equal(compileValue('avg:[range:bytes:0:100]', env)(CORPUS.tcp4), undefined);
  assert.equal(compileValue('avg:[or:tcpsourceport:udpsourceport]', env)(CORPUS.udp6), 5353);
  const count = compileValue('count:ipsource', env);
  assert.deepEqual([count.kind, count.scaled, count(CORPUS.tcp4)], ['count', false, 1]);
  assert.equal(count.key?.(CORPUS.tcp4), '10.1.2.3');
  assert.equal(count(CORPUS.udp6), undefined);
  assert.equal(compileValue('bytes', env).key, undefined);
  assert.equal(compileValue('count:[group:ipsource:site]', env).key?.(CORPUS.tcp4), 'web');
});

function rejects(spec: string, position: number, text: RegExp): void {
  assert.throws(
    () => compileValue(spec, env),
    (e: unknown) => {
      assert.ok(e instanceof FlowSpecError, `${spec}: ${e}`);
      assert.equal(e.position, position, `${spec}: ${e.message}`);
      assert.match(e.message, text);
      return true;
    },
  );
}

test('values that are not numbers, or not keys, are refused', () => {
  rejects('', 0, /missing value/);
  rejects('ipsource', 0, /'ipsource' is not numeric \(count:ipsource counts its distinct values\)/);
  rejects('avg:ipsource', 4, /'ipsource' is not numeric/);
  rejects('avg:', 4, /missing flow key/);
  rejects('nokey', 0, /unknown flow key 'nokey'/);
  rejects('bogus:bytes', 0, /unknown key function 'bogus:'/);
  rejects('count:nokey', 6, /unknown flow key/);
});

test("on the generator's DDoS run, the flood's target, sources and rate come out of the samples", () => {
  const dc = new DataCenter({ fabric: DEFAULT_FABRIC, scenario: 'ddos', seed: 5, duration: 40, flows: 100 });
  const emitted = [];
  for (let s = dc.nextSecond(); s; s = dc.nextSecond()) emitted.push(...s);
  const truth = dc.truth();
  const start = truth.timeline.find((e) => e.kind === 'ddos_start');
  const end = truth.timeline.find((e) => e.kind === 'ddos_end');
  assert.ok(start?.flows && end);
  const flood = truth.flows.filter((f) => start.flows?.includes(f.id));
  const victim = flood[0].dstIp;
  // Each switch samples where packets come in: count the flood once, at the victim's leaf.
  const leaf = flood[0].path[flood[0].path.length - 1].agent;

  const filter = compileFilter(
    'first:stack:.:ip:ip6=ip&ipprotocol=17&udpdestinationport=53&direction=ingress',
    env,
  );
  const [key] = compileKeys('ipdestination', env);
  const bits = compileValue('ipbytes', env);
  const sources = compileValue('count:ipsource', env);
  const rate = new Map<string, number>();
  const seen = new Map<string, Set<string>>();
  let samples = 0;
  for (const e of emitted) {
    if (e.agent !== leaf || e.time < start.time || e.time >= end.time) continue;
    for (const s of decodeDatagram(e.bytes).samples) {
      if (s.name !== 'flow_sample') continue;
      const ctx = new FlowContext(e.agent, s, e.time * 1000);
      if (!filter(ctx)) continue;
      const k = key(ctx);
      const v = bits(ctx);
      if (k === undefined || v === undefined) continue;
      rate.set(k, (rate.get(k) ?? 0) + (v * ctx.scale * 8) / (end.time - start.time));
      if (k === victim) samples++;
      if (sources(ctx) !== undefined) {
        const set = seen.get(k) ?? new Set();
        set.add(sources.key?.(ctx) as string);
        seen.set(k, set);
      }
    }
  }
  const top = [...rate].sort((a, b) => b[1] - a[1]);
  assert.equal(top[0][0], victim);
  const trueRate = flood.reduce((sum, f) => sum + f.bitsPerSecond, 0);
  const error = Math.abs(top[0][1] - trueRate) / trueRate;
  assert.ok(error < 0.1, `estimated ${top[0][1]} bit/s, true ${trueRate}: ${(error * 100).toFixed(1)}% off`);
  // The sources send alike: n samples show each with probability p = 1 - (1 - 1/S)^n, a binomial count.
  const spoofed = new Set(flood.map((f) => f.srcIp));
  const counted = seen.get(victim) as Set<string>;
  const p = 1 - (1 - 1 / spoofed.size) ** samples;
  const expected = spoofed.size * p;
  const sd = Math.sqrt(spoofed.size * p * (1 - p));
  assert.ok(samples > 50, `${samples} samples of the flood`);
  assert.ok(
    Math.abs(counted.size - expected) < 3 * sd,
    `${counted.size} sources seen, ${expected} ± ${sd} expected`,
  );
  for (const s of counted) assert.ok(spoofed.has(s), s);
  if (top.length > 1) assert.ok(top[1][1] < top[0][1] / 10, 'the flood stands out');
});
