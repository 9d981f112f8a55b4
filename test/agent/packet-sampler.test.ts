/**
 * pcap packet sampling for real: in a network namespace the test creates, native/packet-reader puts its
 * random 1-in-N BPF filter on the namespace's end of a veth pair, and known streams of UDP datagrams cross
 * it. The rate comes from hsflowd.conf as the agent reads it (veth reports 10000 Mb/s, so `sampling.10G`
 * applies; a block's own `sampling` overrides it). The samples' headers decode to the datagrams sent, their
 * data source is the veth's ifIndex, their direction is the one the datagram took, and the number of packets
 * they stand for is within the sampling error of what was sent. Last, `sflowkit agent` itself in the
 * namespace, from a config file to a collector's socket, and again after the file changes the rate.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SflowExporter } from '../../src/agent/exporter.js';
import { parseHsflowdConf } from '../../src/agent/host/hsflowd-conf.js';
import { INTERNAL_INTERFACE, PACKET_READER, PacketSampler } from '../../src/agent/host/packet-sampler.js';
import { pcapTargets } from '../../src/agent/host/pcap-targets.js';
import { decodeHeader } from '../../src/packet/index.js';
import { decodeDatagram } from '../../src/sflow/index.js';
import type { FlowSample } from '../../src/sflow/model.js';
import { has, Netns, netnsSkipReason } from '../control/netns.js';

const PACKETS = 6000;
const IN_PORT = 9778;
const OUT_PORT = 9779;
const PAYLOAD_BYTES = 200;
const HEADER_BYTES = 128;
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

const SOURCE = fileURLToPath(new URL('../../../native/packet-reader.c', import.meta.url));

/** The reader compiled from native/packet-reader.c into a temporary directory, as `npm run build:native` would. */
function buildReader(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-packet-reader-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'packet-reader');
  const cc = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-o', out, SOURCE], { encoding: 'utf8' });
  assert.equal(cc.status, 0, `cc ${SOURCE}: ${cc.stderr}`);
  return out;
}

function skipReason(): string | undefined {
  const netns = netnsSkipReason();
  if (netns) return `needs a network namespace: ${netns}`;
  if (!has('cc')) return 'needs a C compiler (cc) to build native/packet-reader.c';
  return undefined;
}

/** Datagram i: its number, then a pattern from it, so that a sampled header tells which one it was. */
function payload(i: number): Buffer {
  const b = Buffer.alloc(PAYLOAD_BYTES);
  b.writeUInt32BE(i, 0);
  for (let j = 4; j < b.length; j++) b[j] = (i + j) & 0xff;
  return b;
}

/** The namespace's end of the pair, with what sysfs says of it there. */
function device(ns: Netns): { name: string; ifIndex: number; speed: number } {
  const name = ns
    .exec(['ls', '/sys/class/net'])
    .split(/\s+/)
    .find((n) => n !== '' && n !== 'lo');
  assert.ok(name, 'the veth is in the namespace');
  const read = (file: string) => Number(ns.exec(['cat', `/sys/class/net/${name}/${file}`]).trim());
  return { name, ifIndex: read('ifindex'), speed: read('speed') };
}

/** The address of the pair's host end: the other one of the namespace's /30. */
function hostAddress(ns: Netns): string {
  const parts = ns.address.split('.').map(Number);
  parts[3] -= 1;
  return parts.join('.');
}

/** Sends the datagrams paced, so that neither veth nor socket drops: the test is about sampling, not load. */
async function sendIn(ns: Netns, count: number): Promise<void> {
  const sender = createSocket('udp4');
  for (let i = 0; i < count; i++) {
    await new Promise<void>((r) => sender.send(payload(i), IN_PORT, ns.address, () => r()));
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 5));
  }
  sender.close();
}

/**
 * The same from inside the namespace, out to a socket on the host end (no ICMP comes back); `payload` goes in
 * as its own source, so that both ends send the same datagrams. Not spawnSync: the sampler must keep reading.
 */
async function sendOut(ns: Netns, count: number): Promise<void> {
  const script = `
    const s = require('node:dgram').createSocket('udp4');
    const n = ${count};
    const payload = ${payload.toString()};
    const PAYLOAD_BYTES = ${PAYLOAD_BYTES};
    let i = 0;
    const next = () => {
      if (i === n) return s.close();
      const k = i++;
      s.send(payload(k), ${OUT_PORT}, '${hostAddress(ns)}', () => (k % 200 === 199 ? setTimeout(next, 5) : next()));
    };
    next();`;
  const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 30_000,
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, `sending from the namespace: ${stderr}`);
}

async function collector(address = '127.0.0.1'): Promise<{ socket: Socket; samples: FlowSample[] }> {
  const socket = createSocket('udp4');
  const samples: FlowSample[] = [];
  socket.on('message', (m) => {
    for (const s of decodeDatagram(m).samples) if (s.name === 'flow_sample') samples.push(s);
  });
  await new Promise<void>((r) => socket.bind(0, address, r));
  return { socket, samples };
}

async function settle(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !done()) await new Promise((r) => setTimeout(r, 50));
}

/** A sample of stream `port` (in: to the namespace, out: from it), decoded; undefined for other traffic. */
function streamPacket(s: FlowSample, port: number) {
  const h = s.records[0];
  assert.ok(h.name === 'sampled_header');
  const p = decodeHeader(h.value.protocol, h.value.header, h.value.frameLength, h.value.stripped);
  return p.UDPDstPort === port ? { p, h: h.value } : undefined;
}

/** Binomial: n samples of `sent` packets at p = 1/rate; `sent` estimated as n × rate, within 4σ. */
function assertEstimate(n: number, rate: number, sent: number, what: string): void {
  const sigma = Math.sqrt(sent * (1 / rate) * (1 - 1 / rate)) * rate;
  const estimate = n * rate;
  assert.ok(
    Math.abs(estimate - sent) <= 4 * sigma,
    `${what}: ${n} samples × ${rate} = ${estimate}, sent ${sent} (σ ${sigma.toFixed(0)})`,
  );
  console.log(`${what}: ${n} samples × ${rate} = ${estimate}, sent ${sent}, σ ${sigma.toFixed(0)}`);
}

/** Every stream sample is datagram i of the stream, whole up to the header size, at its true length. */
function assertStream(
  samples: FlowSample[],
  port: number,
  dev: { ifIndex: number },
  from: string,
  to: string,
): number {
  let n = 0;
  const seen = new Set<number>();
  for (const s of samples) {
    const got = streamPacket(s, port);
    if (got === undefined) continue;
    n++;
    const { p, h } = got;
    assert.equal(p.srcIP, from);
    assert.equal(p.dstIP, to);
    assert.equal(p.IPSize, 20 + 8 + PAYLOAD_BYTES, 'the IP size from frame length and stripped');
    assert.equal(h.protocol, 1, 'Ethernet');
    assert.equal(h.frameLength, 14 + 20 + 8 + PAYLOAD_BYTES + 4, 'the frame with its FCS');
    assert.equal(h.stripped, 4);
    assert.equal(h.header.length, HEADER_BYTES, 'cut at the header size');
    const body = Buffer.from(h.header.subarray(14 + 20 + 8));
    const i = body.readUInt32BE(0);
    assert.ok(i < PACKETS && !seen.has(i), `datagram ${i} sampled once`);
    seen.add(i);
    assert.deepEqual(body, payload(i).subarray(0, body.length), `datagram ${i} as sent`);
    assert.equal(s.sourceIdType, 0);
    assert.equal(s.sourceIdIndex, dev.ifIndex, 'the data source is the device');
  }
  return n;
}

test('pcap sampling in a namespace: the rate from sampling.10G, the streams seen within the sampling error', async (t) => {
  const skip = skipReason();
  if (skip) return t.skip(skip);
  const reader = buildReader(t);
  const ns = Netns.create('pcap');
  t.after(() => ns.destroy());
  const dev = device(ns);
  assert.equal(dev.speed, 10000, 'veth says 10000 Mb/s');

  const run = async (conf: string, expectRate: number, out: boolean) => {
    const { config } = parseHsflowdConf(conf, 'hsflowd.conf');
    const { targets, warnings } = pcapTargets(config, [dev]);
    assert.deepEqual(warnings, []);
    assert.deepEqual(targets, [
      { dev: dev.name, ifIndex: dev.ifIndex, samplingRate: expectRate, promisc: false },
    ]);
    const rate = targets[0].samplingRate;
    const { socket, samples } = await collector();
    const exporter = new SflowExporter({
      agentAddress: ns.address,
      collectors: [{ address: '127.0.0.1', port: socket.address().port }],
      flushMs: 50,
    });
    const sampler = new PacketSampler({
      reader,
      dev: dev.name,
      samplingRate: rate,
      headerBytes: HEADER_BYTES,
      emit: (s) => exporter.add(s),
      prefix: ['ip', 'netns', 'exec', ns.name],
    });
    await sampler.start();
    const sink = createSocket('udp4');
    await new Promise<void>((r) => sink.bind(OUT_PORT, hostAddress(ns), r));
    try {
      await sendIn(ns, PACKETS);
      if (out) await sendOut(ns, PACKETS);
      await settle(() => samples.length >= sampler.counts.samples, 3000);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      sampler.stop();
      sink.close();
      exporter.flush();
      await exporter.close();
      await new Promise((r) => setTimeout(r, 100));
      socket.close();
    }

    assert.equal(sampler.counts.drops, 0);
    assert.equal(sampler.counts.malformed, 0);
    assert.equal(samples.length, sampler.counts.samples, 'every sample reached the collector');
    for (const s of samples) assert.equal(s.samplingRate, rate);
    assert.deepEqual(
      samples.map((s) => s.sequenceNumber),
      samples.map((_, i) => i + 1),
    );
    assert.equal(samples.at(-1)?.samplePool, samples.length * rate, 'the pool counts rate packets a sample');
    const inbound = samples.filter((s) => streamPacket(s, IN_PORT));
    const n = assertStream(samples, IN_PORT, dev, hostAddress(ns), ns.address);
    assertEstimate(n, rate, PACKETS, `in, 1 in ${rate}`);
    for (const s of inbound) {
      assert.equal(s.inputValue, dev.ifIndex, 'received on the device');
      assert.equal(s.outputValue, INTERNAL_INTERFACE, 'for the host itself');
    }
    if (out) {
      const m = assertStream(samples, OUT_PORT, dev, ns.address, hostAddress(ns));
      assertEstimate(m, rate, PACKETS, `out, 1 in ${rate}`);
      for (const s of samples.filter((s) => streamPacket(s, OUT_PORT))) {
        assert.equal(s.inputValue, INTERNAL_INTERFACE, 'from the host itself');
        assert.equal(s.outputValue, dev.ifIndex, 'sent on the device');
      }
    }
  };

  await t.test('by link speed: sampling.10G = 20', () =>
    run(`sflow {\n  sampling.10G = 20\n  pcap { dev = ${dev.name} }\n}\n`, 20, false),
  );
  await t.test('a block of its own rate: sampling = 10, both directions', () =>
    run(`sflow {\n  sampling.10G = 20\n  pcap { dev = ${dev.name} sampling = 10 }\n}\n`, 10, true),
  );
});

test('sflowkit agent --config with pcap { dev }: flow samples at the rate for the link, at the collector', async (t) => {
  // The agent runs the reader that the build put beside it (dist/native), as it would when installed.
  const skip =
    skipReason() ??
    (existsSync(PACKET_READER) ? undefined : `${PACKET_READER} is built by npm run build:native`);
  if (skip) return t.skip(skip);
  const ns = Netns.create('pcapcli');
  t.after(() => ns.destroy());
  const dev = device(ns);
  // The agent is in the namespace: the collector listens on the pair's host end.
  const { socket, samples } = await collector(hostAddress(ns));
  t.after(() => socket.close());
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-pcap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const conf = join(dir, 'hsflowd.conf');
  writeFileSync(
    conf,
    [
      'sflow {',
      '  sampling.10G = 20',
      `  headerBytes = ${HEADER_BYTES}`,
      `  collector { ip = ${hostAddress(ns)} udpport = ${socket.address().port} }`,
      `  pcap { dev = ${dev.name} }`,
      '}',
      '',
    ].join('\n'),
  );
  const agent: ChildProcess = spawn(
    'ip',
    ['netns', 'exec', ns.name, process.execPath, MAIN, 'agent', '--config', conf, '--log-level', 'info'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let logs = '';
  agent.stdout!.on('data', (c: Buffer) => {
    logs += c.toString();
  });
  agent.stderr!.on('data', (c: Buffer) => {
    logs += c.toString();
  });
  const exited = new Promise((r) => agent.once('exit', r));
  t.after(async () => {
    if (agent.exitCode === null) agent.kill('SIGTERM');
    await exited;
  });
  await settle(() => logs.includes('"msg":"agent running"'), 10_000);
  const started = logs
    .split('\n')
    .filter((l) => l.includes('"msg":"packet sampling"'))
    .map((l) => JSON.parse(l) as { dev: string; samplingRate: number });
  assert.deepEqual(started, [{ ...started[0], dev: dev.name, samplingRate: 20 }], logs);

  await sendIn(ns, PACKETS);
  // The agent flushes its samples with the counters, each second.
  await new Promise((r) => setTimeout(r, 2500));

  for (const s of samples) assert.equal(s.samplingRate, 20);
  const n = assertStream(samples, IN_PORT, dev, hostAddress(ns), ns.address);
  assertEstimate(n, 20, PACKETS, 'sflowkit agent, in, 1 in 20');

  // A new rate in the file: the agent reads it again and the device gets a new reader at that rate.
  writeFileSync(
    conf,
    readFileSync(conf, 'utf8').replace(`dev = ${dev.name} }`, `dev = ${dev.name} sampling = 10 }`),
  );
  agent.kill('SIGHUP');
  await settle(() => logs.includes('"samplingRate":10'), 10_000);
  assert.match(logs, /"samplingRate":10/, 'restarted at the new rate');
  // What the old reader had sent goes out with the next flush; then only the new rate.
  await new Promise((r) => setTimeout(r, 1500));
  samples.length = 0;
  await sendIn(ns, PACKETS);
  await new Promise((r) => setTimeout(r, 2500));
  for (const s of samples) assert.equal(s.samplingRate, 10);
  const m = assertStream(samples, IN_PORT, dev, hostAddress(ns), ns.address);
  assertEstimate(m, 10, PACKETS, 'sflowkit agent after reload, in, 1 in 10');
  agent.kill('SIGTERM');
  assert.equal(await exited, 0);
});
