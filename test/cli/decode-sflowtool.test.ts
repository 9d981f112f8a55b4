/**
 * `sflowkit decode` as a drop-in for sflowtool, end to end with the real command: forwarding to two real
 * receivers (IPv4 and IPv6), VLAN filters, -L fields, -j that is valid JSON where sflowtool's is not, -t read
 * back by tshark, and the options it refuses.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { wrapUdp, writePcap } from '../../src/capture/index.js';
import { switchDatagram } from '../../src/generator/switch-datagram.js';
import { decodeDatagram } from '../../src/sflow/index.js';
import { parseIpv4 } from '../../src/xdr/address-text.js';
import { CORPUS, corpusCaptures, NO_CORPUS } from '../support/corpus.js';

const MAIN = 'dist/src/cli/main.js';
const execP = promisify(execFile);

async function decode(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await execP(process.execPath, [MAIN, 'decode', ...args], {
      env: { ...process.env, TZ: 'UTC' },
      maxBuffer: 1 << 28,
      encoding: 'latin1',
    });
    return { ...r, code: 0 };
  } catch (e) {
    const x = e as { stdout: string; stderr: string; code: number };
    return { stdout: x.stdout, stderr: x.stderr, code: x.code };
  }
}

/** A capture of `n` switch datagrams (7 flow samples on VLAN 10 and a counter sample each). */
function switchCapture(n: number): string {
  const endpoints = {
    srcAddress: parseIpv4('192.0.2.10'),
    srcPort: 50000,
    dstAddress: parseIpv4('192.0.2.1'),
    dstPort: 6343,
  };
  const frames = Array.from({ length: n }, (_, i) => ({
    timestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n,
    data: wrapUdp(switchDatagram(i), endpoints),
  }));
  const file = join(mkdtempSync(join(tmpdir(), 'sflowkit-')), 'switch.pcap');
  writeFileSync(file, writePcap(frames, { linkType: 1 }));
  return file;
}

/** A capture of these payloads, one a second, each in Ethernet/IPv4/UDP to port 6343. */
function captureOf(payloads: readonly Uint8Array[], name: string): string {
  const endpoints = {
    srcAddress: parseIpv4('192.0.2.10'),
    srcPort: 1,
    dstAddress: parseIpv4('192.0.2.1'),
    dstPort: 6343,
  };
  const frames = payloads.map((p, i) => ({
    timestampNs: BigInt(i + 1) * 1_000_000_000n,
    data: wrapUdp(p, endpoints),
  }));
  const file = join(mkdtempSync(join(tmpdir(), 'sflowkit-')), name);
  writeFileSync(file, writePcap(frames, { linkType: 1 }));
  return file;
}

async function receiver(type: 'udp4' | 'udp6', address: string): Promise<{ socket: Socket; got: Buffer[] }> {
  const socket = createSocket(type);
  const got: Buffer[] = [];
  socket.on('message', (m) => got.push(m));
  socket.bind(0, address);
  await once(socket, 'listening');
  return { socket, got };
}

test('-f forwards every datagram unchanged to each IPv4 and IPv6 target, and prints nothing else', async () => {
  const r4 = await receiver('udp4', '127.0.0.1');
  const r6 = await receiver('udp6', '::1');
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'decode',
      '-p',
      '0',
      '-f',
      `127.0.0.1/${r4.socket.address().port}`,
      '-f',
      `::1/${r6.socket.address().port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  try {
    for await (const c of child.stderr) {
      stderr += c;
      if (/listening on UDP port \d+/.test(stderr)) break;
    }
    const port = Number(/listening on UDP port (\d+)/.exec(stderr)?.[1]);
    const sent = Array.from({ length: 40 }, (_, i) =>
      switchDatagram(i).subarray(0, i === 7 ? 30 : undefined),
    );
    const sender = createSocket('udp4');
    for (const d of sent) {
      sender.send(d, port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 2));
    }
    const until = Date.now() + 5000;
    while ((r4.got.length < sent.length || r6.got.length < sent.length) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    sender.close();
    const hex = (list: readonly Uint8Array[]) => list.map((b) => Buffer.from(b).toString('hex')).sort();
    // Byte for byte, the damaged one (7) included: forwarding does not judge.
    assert.deepEqual(hex(r4.got), hex(sent));
    assert.deepEqual(hex(r6.got), hex(sent));
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    r4.socket.close();
    r6.socket.close();
  }
  assert.equal(stdout, '', 'forwarding alone prints nothing, as sflowtool');
});

test('-V and -v filter flow samples by VLAN; counter samples always print', async () => {
  const file = switchCapture(5);
  const count = async (...args: string[]) => {
    const { stdout } = await decode(['-r', file, '-l', ...args]);
    return [stdout.match(/^FLOW,/gm)?.length ?? 0, stdout.match(/^CNTR,/gm)?.length ?? 0];
  };
  assert.deepEqual(await count(), [35, 5]);
  assert.deepEqual(await count('-V', '10'), [35, 5]);
  assert.deepEqual(await count('-V', '0-9,11-4095'), [0, 5]);
  assert.deepEqual(await count('-v', '10'), [0, 5]);
  assert.deepEqual(await count('-v', '20,30-40'), [35, 5]);
  const bad = await decode(['-r', file, '-V', '10-x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad VLAN list/);
});

test('-L prints the chosen fields per sample, each the value the text form shows', async () => {
  const file = switchCapture(3);
  const fields = ['agent', 'sampleSequenceNo', 'srcIP', 'dstIP', 'in_vlan'];
  const { stdout } = await decode(['-r', file, '-L', fields.join(',')]);
  const { stdout: text } = await decode(['-r', file]);
  const samples = text.split('startSample').slice(1);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, samples.length);
  const agent = /^agent (.*)$/m.exec(text)?.[1];
  lines.forEach((line, i) => {
    const value = (name: string) => new RegExp(`^${name} (.*)$`, 'm').exec(samples[i])?.[1] ?? '';
    assert.deepEqual(line.split(','), [agent, ...fields.slice(1).map(value)]);
  });
});

test('-j is valid JSON, one datagram per line, even where sflowtool leaves brackets open', {
  skip: NO_CORPUS,
}, async () => {
  for (const name of corpusCaptures()) {
    const file = join(CORPUS, 'pcap', `${name}.pcap`);
    const { stdout } = await decode(['-r', file, '-j']);
    const lines = stdout.trim().split('\n');
    for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), `${name}: ${l.slice(0, 200)}`);
    // Where -J is valid JSON too, both say the same.
    const { stdout: indented } = await decode(['-r', file, '-J']);
    const blocks = indented.trim().split('\n\n');
    if (blocks.length !== lines.length) continue;
    blocks.forEach((b, i) => {
      try {
        assert.deepEqual(JSON.parse(lines[i]), JSON.parse(b), `${name} datagram ${i + 1}`);
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
      }
    });
  }
});

test('-j escapes strings that sflowtool would print raw, and is ASCII whatever bytes the agent sent', async () => {
  const file = await withRecords([
    { name: 'extended_url', tag: '0:1005', value: { direction: 1, url: '/a"b\\c\u00e9', host: 'h' } },
  ]);
  const { stdout } = await decode(['-r', file, '-j']);
  assert.match(stdout, /^[\x00-\x7f]*$/);
  // The URL's bytes (é is c3 a9 in UTF-8) each as a character, as sflowtool prints bytes.
  assert.equal(JSON.parse(stdout).samples[0].elements.at(-1).url, '/a"b\\c\u00c3\u00a9');
  // -J stays sflowtool's, byte for byte, raw quote included.
  assert.match((await decode(['-r', file, '-J'])).stdout, /"url":"\/a"b\\c/);
});

const hasTshark = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

test('-t writes the sampled headers as a pcap that tshark reads back', {
  skip: !hasTshark && 'tshark not installed',
}, async () => {
  const file = switchCapture(4);
  const out = join(mkdtempSync(join(tmpdir(), 'sflowkit-')), 'headers.pcap');
  const child = spawn(process.execPath, [MAIN, 'decode', '-r', file, '-t'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  await once(child, 'exit');
  writeFileSync(out, Buffer.concat(chunks));
  const tshark = await execP('tshark', [
    '-r',
    out,
    '-T',
    'fields',
    '-e',
    'frame.len',
    '-e',
    'frame.cap_len',
    '-e',
    'eth.src',
    '-e',
    'ip.src',
    '-e',
    'ip.dst',
  ]);
  const rows = tshark.stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const expected: string[][] = [];
  for (let i = 0; i < 4; i++) {
    for (const s of decodeDatagram(switchDatagram(i)).samples) {
      if (!('records' in s)) continue;
      for (const r of s.records) {
        if (r.name !== 'sampled_header') continue;
        const h = r.value.header;
        const mac = [...h.subarray(6, 12)].map((b) => b.toString(16).padStart(2, '0')).join(':');
        expected.push([
          String(r.value.frameLength),
          String(h.length),
          mac,
          [...h.subarray(26, 30)].join('.'),
          [...h.subarray(30, 34)].join('.'),
        ]);
      }
    }
  }
  assert.equal(rows.length, 28);
  assert.deepEqual(rows, expected);
});

test('sflowtool options with no place here are refused by name; unknown ones too', async () => {
  for (const [args, message] of [
    [['-c', '10.0.0.1'], /NetFlow export/],
    [['--netflow-version', '9'], /NetFlow export/],
    [['-R', '10'], /encode sFlow/],
    [['-P', '1'], /playback/],
    [['-Q'], /unknown option -Q/],
    [['-p', 'x'], /bad UDP port/],
    [['-f', 'nowhere'], /expected host\/port/],
  ] as const) {
    const r = await decode([...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
  const help = await decode(['-h']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /-f HOST\/PORT/);
});

// Deviations from sflowtool, each listed in docs/sflowtool-compat.md.

test('-t writes only real sampled headers: samples without one give no empty or bogus packet', {
  skip: NO_CORPUS,
}, async () => {
  const { readCapture } = await import('../../src/capture/index.js');
  const { corpusDatagrams } = await import('../support/datagrams.js');
  for (const name of ['hsflowd', 'apache-mod-sflow']) {
    const r = await execP(
      process.execPath,
      [MAIN, 'decode', '-r', join(CORPUS, 'pcap', `${name}.pcap`), '-t'],
      {
        encoding: 'buffer',
        maxBuffer: 1 << 28,
      },
    );
    const frames = [...readCapture(r.stdout)];
    const headers = corpusDatagrams(name).flatMap((bytes) =>
      decodeDatagram(bytes).samples.flatMap((s) =>
        s.name === 'flow_sample' || s.name === 'flow_sample_expanded'
          ? s.records
              .filter((x) => x.name === 'sampled_header')
              .map((x) => Buffer.from(x.value.header).toString('hex'))
          : [],
      ),
    );
    assert.deepEqual(
      frames.map((f) => Buffer.from(f.data).toString('hex')),
      headers,
      name,
    );
  }
});

test('-M writes each datagram in a well-formed UDP packet, also when reading a file', async () => {
  const { readCapture, udpPayloads } = await import('../../src/capture/index.js');
  const file = switchCapture(3);
  const r = await execP(process.execPath, [MAIN, 'decode', '-r', file, '-M'], { encoding: 'buffer' });
  const back = [...udpPayloads(readCapture(r.stdout))].map((u) => Buffer.from(u.payload).toString('hex'));
  assert.deepEqual(
    back,
    [0, 1, 2].map((i) => Buffer.from(switchDatagram(i)).toString('hex')),
  );
});

test('--include-vlans means -V and --exclude-vlans -v (sflowtool swaps the long names)', async () => {
  const file = switchCapture(2);
  const flows = async (...a: string[]) =>
    ((await decode(['-r', file, '-l', ...a])).stdout.match(/^FLOW/gm) ?? []).length;
  assert.equal(await flows('--include-vlans', '10'), 14);
  assert.equal(await flows('--exclude-vlans=10'), 0);
});

test('sFlow v2 and v4 datagrams: the header lines, then a message saying they are not decoded', async () => {
  const v4 = Buffer.alloc(28);
  v4.writeUInt32BE(4, 0);
  v4.writeUInt32BE(1, 4);
  const file = captureOf([v4], 'v4.pcap');
  const r = await decode(['-r', file]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^datagramVersion 4$/m);
  assert.match(r.stdout, /endDatagram/);
  assert.match(r.stderr, /sFlow version 4 is not decoded by sflowkit/);
});

test('--all-structures prints what sflowtool skips, in its style', { skip: NO_CORPUS }, async () => {
  const file = join(CORPUS, 'pcap', 'goflow2-sflow-vectors.pcap');
  const compat = (await decode(['-r', file])).stdout;
  const all = (await decode(['-r', file, '--all-structures'])).stdout;
  assert.match(compat, /^skipping unknown flow_sample_element: 0:1037 len=16$/m);
  assert.doesNotMatch(all, /skipping unknown flow_sample_element: 0:1037/);
  // 0:1037 extended_acl in a discard sample: its tag, then its fields under sflowtool's discarded_ prefix.
  assert.match(
    all,
    /^discarded_flowBlock_tag 0:1037\ndiscarded_extendedType acl\ndiscarded_acl_number 42\n/m,
  );
});

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

test('a long decode of a file shows progress on a terminal, and only there', {
  skip: !hasScript && 'no script(1) for a terminal',
}, async () => {
  const file = switchCapture(3000);
  const command = `${process.execPath} ${MAIN} decode -r ${file} -l > /dev/null`;
  const tty = spawnSync('script', ['-qec', command, '/dev/null'], {
    env: { ...process.env, SFLOWKIT_PROGRESS_MS: '0' },
    encoding: 'latin1',
  });
  assert.equal(tty.status, 0);
  assert.match(tty.stdout, /sflowkit decode: \d+ datagrams \(\d+%\)/);
  const pipe = await decode(['-r', file, '-l']);
  assert.doesNotMatch(pipe.stderr, /datagrams \(/);
});

test('-f with an output option forwards and prints, from a file too', async () => {
  const file = switchCapture(6);
  const r4 = await receiver('udp4', '127.0.0.1');
  try {
    const { stdout, code } = await decode(['-r', file, '-f', `127.0.0.1/${r4.socket.address().port}`, '-l']);
    assert.equal(code, 0);
    assert.equal(stdout.match(/^FLOW,/gm)?.length, 42);
    const until = Date.now() + 3000;
    while (r4.got.length < 6 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      r4.got.map((b) => b.toString('hex')).sort(),
      [0, 1, 2, 3, 4, 5].map((i) => Buffer.from(switchDatagram(i)).toString('hex')).sort(),
    );
  } finally {
    r4.socket.close();
  }
});

/** A capture of one switch datagram whose first flow sample also carries `records`. */
async function withRecords(records: unknown[]): Promise<string> {
  const { encodeDatagram } = await import('../../src/sflow/index.js');
  const model = decodeDatagram(switchDatagram(0));
  (model.samples[0] as { records: unknown[] }).records.push(...records);
  return captureOf([encodeDatagram(model)], 'records.pcap');
}

test('0:1013 extended_80211_payload prints as the opaque data the spec says it is', async () => {
  const file = await withRecords([
    {
      name: 'extended_80211_payload',
      tag: '0:1013',
      value: { ciphersuite: 0x000fac04, data: Uint8Array.of(0xaa, 0xaa, 3) },
    },
    {
      name: 'extended_switch',
      tag: '0:1001',
      value: { srcVlan: 7, srcPriority: 0, dstVlan: 8, dstPriority: 0 },
    },
  ]);
  const { stdout, stderr } = await decode(['-r', file]);
  assert.match(stdout, /^flowBlock_tag 0:1013\ncipher_suite 1027076\npayloadLen 3\npayloadBytes AA-AA-03\n/m);
  // The record after it is read as its own: nothing was misread.
  assert.match(stdout, /^in_vlan 7\n/m);
  assert.equal(stderr, '');
});

test("memcache keys: sflowtool's swapped escapes below 0x80, the same form above where it reads out of bounds", async () => {
  const op = (key: Uint8Array) => ({
    name: 'memcache_operation',
    tag: '0:2200',
    value: { protocol: 1, cmd: 2, key, nkeys: 1, valueBytes: 10, uS: 5, status: 1 },
  });
  const file = await withRecords([op(Buffer.from('user:hot')), op(Uint8Array.of(0x61, 0x80, 0xff))]);
  const keys = [...(await decode(['-r', file])).stdout.matchAll(/^memcache_op_key (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(keys, ['user%A3hot', 'a%08%FF']);
});

test('a reader that goes away (| head) ends the decode quietly and at once', async () => {
  const file = switchCapture(3000);
  const child = spawn(process.execPath, [MAIN, 'decode', '-r', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  // Read the first chunk, then close the pipe, as head does.
  await once(child.stdout, 'data');
  child.stdout.destroy();
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0);
  assert.equal(stderr, '');
});

test("a sampled header cut short by the end of the datagram: its length printed, then sflowtool's stop", async () => {
  const bytes = Buffer.from(switchDatagram(0));
  // The first sampled header starts with its destination MAC, 00:1b:21:3c:4d:5e (switch-datagram.ts).
  const at = bytes.indexOf(Buffer.from([0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e]));
  assert.ok(at > 0);
  const file = captureOf([bytes.subarray(0, at + 10)], 'cut.pcap');
  const { stdout, stderr, code } = await decode(['-r', file]);
  assert.equal(code, 0);
  assert.match(stdout, /^headerLen 128\nendDatagram {3}=+$/m);
  assert.equal(stderr, 'caught exception: 1\n');
});
