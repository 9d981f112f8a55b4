/**
 * `sflowkit generate` end to end: a capture that our decoder and tshark both read cleanly, the truth file,
 * UDP to real receivers on IPv4 and IPv6 loopback at a set rate, and clear errors.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { readCapture, udpPayloads } from '../../src/capture/index.js';
import { SCENARIOS } from '../../src/generator/scenarios.js';
import type { Truth } from '../../src/generator/truth.js';
import { decodeDatagram } from '../../src/sflow/index.js';

const MAIN = 'dist/src/cli/main.js';
const execP = promisify(execFile);

async function generate(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const r = await execP(process.execPath, [MAIN, 'generate', ...args]);
    return { code: 0, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stderr: string };
    return { code: x.code, stderr: x.stderr };
  }
}

const sent = (stderr: string) => Number(/(\d+) datagrams/.exec(stderr)?.[1]);

test('--out FILE.pcap and --truth: a capture every datagram of which decodes, and the truth of it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-'));
  const pcap = join(dir, 'ddos.pcap');
  const truthFile = join(dir, 'truth.json');
  const r = await generate([
    '--out',
    pcap,
    '--scenario',
    'ddos',
    '--duration',
    '30',
    '--truth',
    truthFile,
    '--start',
    '2026-01-01T00:00:00Z',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const datagrams = [...udpPayloads(readCapture(readFileSync(pcap)))];
  assert.equal(datagrams.length, sent(r.stderr));
  assert.equal(datagrams[0].timestampNs / 1_000_000_000n, BigInt(Date.UTC(2026, 0, 1) / 1000));
  for (const u of datagrams) decodeDatagram(u.payload);
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
  assert.equal(truth.scenario, 'ddos');
  assert.equal(truth.duration, 30);
  assert.ok(truth.flows.filter((f) => f.app === 'ddos').length === 200);
  assert.deepEqual(
    truth.timeline.map((e) => e.kind),
    ['ddos_start', 'ddos_end'],
  );
  assert.ok(truth.interfaces.every((i) => i.inBitsPerSecond.length === 30));
});

const hasTshark = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

for (const scenario of SCENARIOS)
  test(`${scenario}: tshark reads the switches' sFlow cleanly, headers, switch and router records, counters`, {
    skip: !hasTshark && 'tshark not installed',
  }, async () => {
    const pcap = join(mkdtempSync(join(tmpdir(), 'sflowkit-')), `${scenario}.pcap`);
    assert.equal((await generate(['--out', pcap, '--scenario', scenario, '--duration', '40'])).code, 0);
    // A sampled packet's payload is arbitrary bytes, which MySQL's or iSCSI's dissector would take for their own,
    // and TCP's sequence analysis has only samples to go on: keep to the layers sFlow carries.
    const layers = ['-o', 'tcp.analyze_sequence_numbers:FALSE'];
    for (const p of ['mysql', 'memcache', 'http', 'tls', 'dns', 'iscsi'])
      layers.push('--disable-protocol', p);
    const switches = 'ip.src == 10.0.0.0/24';
    const bad = await execP('tshark', [
      '-r',
      pcap,
      ...layers,
      '-Y',
      `${switches} && (_ws.malformed || _ws.expert.severity >= "Warning")`,
    ]);
    assert.equal(bad.stdout, '');
    const fields = await execP(
      'tshark',
      [
        '-r',
        pcap,
        ...layers,
        '-Y',
        switches,
        '-T',
        'fields',
        '-e',
        'sflow.flow_sample.sequence_number',
        '-e',
        'sflow.counters_sample.sequence_number',
      ],
      { maxBuffer: 1 << 26 },
    );
    const count = (col: number) =>
      fields.stdout
        .split('\n')
        .reduce((n, l) => n + (l.split('\t')[col]?.split(',').filter(Boolean).length ?? 0), 0);
    let flows = 0;
    let counters = 0;
    for (const u of udpPayloads(readCapture(readFileSync(pcap)))) {
      const d = decodeDatagram(u.payload);
      if (!d.agentAddress?.startsWith('10.0.0.')) continue;
      flows += d.samples.filter((s) => s.name === 'flow_sample').length;
      counters += d.samples.filter((s) => s.name === 'counters_sample').length;
    }
    assert.ok(flows > 1000 && counters > 50, `${flows} flow and ${counters} counter samples`);
    assert.equal(count(0), flows);
    assert.equal(count(1), counters);
  });

for (const [type, address] of [
  ['udp4', '127.0.0.1'],
  ['udp6', '::1'],
] as const) {
  test(`--out udp://${address} at --rate: every datagram arrives, at about that rate`, async () => {
    // A collector's receive buffer (the kernel caps it at net.core.rmem_max): Linux's default holds a fraction
    // of a second of this stream, less than this process may stall on a busy machine (659 were lost once).
    const socket = createSocket({ type, recvBufferSize: 4 << 20 });
    const got: Buffer[] = [];
    socket.on('message', (m) => got.push(m));
    socket.bind(0, address);
    await once(socket, 'listening');
    const host = type === 'udp6' ? `[${address}]` : address;
    const started = Date.now();
    const r = await generate([
      '--out',
      `udp://${host}:${socket.address().port}`,
      '--duration',
      '20',
      '--rate',
      '2000',
    ]);
    const took = (Date.now() - started) / 1000;
    await new Promise((res) => setTimeout(res, 200));
    socket.close();
    assert.equal(r.code, 0, r.stderr);
    const n = sent(r.stderr);
    assert.equal(got.length, n);
    for (const m of got) decodeDatagram(m);
    // n datagrams at 2,000/s take n/2000 s; allow for start-up.
    assert.ok(took >= n / 2000 - 0.1, `${n} datagrams in ${took} s`);
  });
}

test('a fabric config is checked: a mistake is a message, not a hang', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-'));
  for (const [settings, message] of [
    [{ hosts: 1 }, /hosts must be a whole number from 2/],
    [{ samplingRate: 0 }, /samplingRate must be/],
    [{ spines: 0 }, /spines must be/],
    [{ hostSpeeds: [] }, /hostSpeeds must list/],
    [{ polling: [30, 20] }, /polling\[1\] must be/],
    [{ spine: 2 }, /unknown fabric setting 'spine'/],
  ] as const) {
    const file = join(dir, 'fabric.json');
    writeFileSync(file, JSON.stringify(settings));
    const r = await generate(['--out', join(dir, 'x.pcap'), '--config', file, '--duration', '5']);
    assert.equal(r.code, 2, JSON.stringify(settings));
    assert.match(r.stderr, message);
  }
  const small = join(dir, 'small.json');
  writeFileSync(small, JSON.stringify({ spines: 1, leaves: 1, portsPerLeaf: 4, hosts: 3 }));
  const r = await generate([
    '--out',
    join(dir, 'small.pcap'),
    '--config',
    small,
    '--scenario',
    'ddos',
    '--duration',
    '10',
  ]);
  assert.equal(r.code, 0, r.stderr);
});

test('bad options are refused with a message', async () => {
  for (const [args, message] of [
    [['--out', 'x.pcap', '--scenario', 'meteor'], /unknown scenario 'meteor'/],
    [['--scenario', 'steady'], /--out is required/],
    [['--out', 'udp://nowhere'], /bad --out/],
    [['--out', 'x.pcap', '--duration', '0'], /--duration must be between/],
    [['--out', '/nonexistent/dir/x.pcap', '--duration', '5'], /--out: .*ENOENT/],
    [['--out', 'udp://no.such.host.invalid:6343'], /cannot resolve/],
  ] as const) {
    const r = await generate([...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
});
