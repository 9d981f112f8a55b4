/**
 * Packet sampling for real: in a network namespace the test creates, an iptables rule sends 1 in 20 packets
 * arriving at its interface to NFLOG group 7; the agent's sampler reads the group there (native/nflog-reader)
 * and its flow samples go through the exporter over UDP to a collector socket. A known stream of UDP packets
 * is sent in: the samples' headers decode to that stream, and the number of packets they stand for is within
 * the sampling error bound of what was sent.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { SflowExporter } from '../../src/agent/exporter.js';
import { NFLOG_READER, NflogSampler } from '../../src/agent/host/nflog-sampler.js';
import { decodeHeader } from '../../src/packet/index.js';
import { decodeDatagram } from '../../src/sflow/index.js';
import type { FlowSample } from '../../src/sflow/model.js';
import { Netns, netnsSkipReason } from '../control/netns.js';

const RATE = 20;
const PACKETS = 6000;
const PORT = 9777;

test('NFLOG sampling in a namespace: the stream is seen at its rate, within the sampling error', async (t) => {
  const skip = netnsSkipReason();
  assert.equal(skip, undefined, `this test needs a network namespace: ${skip}`);
  assert.ok(existsSync(NFLOG_READER), `${NFLOG_READER} is built by npm run build (it needs cc)`);
  const ns = Netns.create('nflog');
  t.after(() => ns.destroy());
  ns.exec([
    'iptables',
    '-I',
    'INPUT',
    '-p',
    'udp',
    '--dport',
    String(PORT),
    '-m',
    'statistic',
    '--mode',
    'random',
    '--probability',
    String(1 / RATE),
    '-j',
    'NFLOG',
    '--nflog-group',
    '7',
  ]);

  const collector = createSocket('udp4');
  const samples: FlowSample[] = [];
  collector.on('message', (m) => {
    for (const s of decodeDatagram(m).samples) if (s.name === 'flow_sample') samples.push(s);
  });
  await new Promise<void>((r) => collector.bind(0, '127.0.0.1', r));
  t.after(() => collector.close());
  const exporter = new SflowExporter({
    agentAddress: ns.address,
    collectors: [{ address: '127.0.0.1', port: collector.address().port }],
    flushMs: 50,
  });
  const sampler = new NflogSampler({
    group: 7,
    samplingRate: RATE,
    headerBytes: 128,
    emit: (s) => exporter.add(s),
    prefix: ['ip', 'netns', 'exec', ns.name],
  });
  await sampler.start();
  t.after(() => sampler.stop());

  const sender = createSocket('udp4');
  const payload = Buffer.alloc(200, 7);
  for (let i = 0; i < PACKETS; i++) {
    await new Promise<void>((r) => sender.send(payload, PORT, ns.address, () => r()));
    // Paced, so that neither the veth nor the reader's socket drops: the test is about sampling, not load.
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 5));
  }
  sender.close();
  const until = Date.now() + 3000;
  while (Date.now() < until && samples.length < sampler.counts.samples)
    await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  exporter.flush();
  await exporter.close();
  await new Promise((r) => setTimeout(r, 100));

  assert.equal(sampler.counts.drops, 0);
  assert.equal(samples.length, sampler.counts.samples, 'every sample reached the collector');
  // Binomial: n samples of N packets at p = 1/RATE; N estimated as n × RATE, within 4σ.
  const sigma = Math.sqrt(PACKETS * (1 / RATE) * (1 - 1 / RATE)) * RATE;
  const estimate = samples.length * RATE;
  assert.ok(
    Math.abs(estimate - PACKETS) <= 4 * sigma,
    `${samples.length} samples × ${RATE} = ${estimate}, sent ${PACKETS} (σ ${sigma.toFixed(0)})`,
  );
  const last = samples.at(-1) as FlowSample;
  assert.equal(last.samplingRate, RATE);
  assert.equal(last.samplePool, samples.length * RATE, 'the pool counts rate packets a sample');
  assert.deepEqual(
    samples.map((s) => s.sequenceNumber),
    samples.map((_, i) => i + 1),
  );
  for (const s of samples) {
    const h = s.records[0];
    assert.ok(h.name === 'sampled_header');
    const p = decodeHeader(h.value.protocol, h.value.header, h.value.frameLength, h.value.stripped);
    assert.equal(p.dstIP, ns.address);
    assert.equal(p.UDPDstPort, PORT);
    assert.equal(p.IPSize, 20 + 8 + payload.length, 'the IP packet size from frame length and stripped');
    assert.ok(s.inputValue > 0, 'the input interface is known');
  }
});
