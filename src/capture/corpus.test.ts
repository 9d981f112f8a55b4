/**
 * The corpus of real captures (SFLOWKIT_CORPUS, see its README.md) read by us and by independent readers:
 * sflowtool's recorded output, tshark, and files converted by editcap and mergecap.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { wrapUdp } from './frame-builder.js';
import { LINKTYPE } from './link-types.js';
import { readPcapHeader } from './pcap-reader.js';
import { writePcap } from './pcap-writer.js';
import { captureFormat, readCapture, readCaptureAll } from './read-capture.js';
import { splitTimestamp } from './timestamp.js';
import {
  corpusDir,
  corpusMissing,
  corpusPcap,
  corpusPcaps,
  editcap,
  editcapMissing,
  hex,
  mergecap,
  type TsharkFrame,
  tsharkFrames,
  tsharkMissing,
} from './tshark-peer.js';
import { emptySkipCounts, type UdpDatagram, udpPayloads } from './udp-extract.js';

/** UDP datagrams per capture, as the corpus README counts them (and sflowtool and tshark agree). */
const EXPECTED_DATAGRAMS: Record<string, number> = {
  'akvorado-data-1140.pcap': 1,
  'akvorado-data-discard-interface.pcap': 1,
  'akvorado-data-encap-vxlan.pcap': 1,
  'akvorado-data-icmpv4.pcap': 1,
  'akvorado-data-icmpv6.pcap': 1,
  'akvorado-data-local-interface.pcap': 1,
  'akvorado-data-multiple-interfaces.pcap': 1,
  'akvorado-data-qinq.pcap': 1,
  'akvorado-data-sflow-ipv4-data.pcap': 1,
  'akvorado-data-sflow-raw-ipv4.pcap': 1,
  'apache-mod-sflow.pcap': 51,
  'goflow2-sflow-vectors.pcap': 5,
  'gopacket-sflow-vectors.pcap': 14,
  'hsflowd.pcap': 214,
  'memcached-sflow.pcap': 98,
  'tcpdump-sflow-print-v6.pcap': 25,
  'tcpdump-sflow_expanded.pcap': 1,
  'tcpdump-sflow_multiple_counter_30_pdus.pcap': 30,
  'tcpdump-sflow_print-segv.pcap': 1,
};

const skipCorpus = { skip: corpusMissing };
const skipTshark = { skip: corpusMissing || tsharkMissing };
const skipEditcap = { skip: corpusMissing || tsharkMissing || editcapMissing };

function datagramsOf(bytes: Uint8Array, toFrameEnd = false): UdpDatagram[] {
  const counts = emptySkipCounts();
  const out = [...udpPayloads(readCapture(bytes), { counts, toFrameEnd })];
  assert.deepEqual(counts, emptySkipCounts(), 'no frame skipped');
  return out;
}

function summary(d: UdpDatagram) {
  const { srcAddress, srcPort, dstAddress, dstPort, timestampNs } = d;
  return { srcAddress, srcPort, dstAddress, dstPort, timestampNs, payload: hex(d.payload) };
}

function tsharkSummary(t: TsharkFrame) {
  const { srcAddress, srcPort, dstAddress, dstPort, timestampNs } = t;
  return { srcAddress, srcPort, dstAddress, dstPort, timestampNs, payload: t.payloadHex };
}

const dir = mkdtempSync(path.join(tmpdir(), 'sflowkit-capture-corpus-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('every corpus pcap yields its expected number of UDP datagrams, all to port 6343', skipCorpus, () => {
  const names = corpusPcaps();
  assert.deepEqual(names, Object.keys(EXPECTED_DATAGRAMS).sort(), `the captures in ${corpusDir}`);
  for (const name of names) {
    const bytes = readFileSync(corpusPcap(name));
    assert.equal(captureFormat(bytes), 'pcap');
    assert.equal(readPcapHeader(bytes).linkType, LINKTYPE.ETHERNET);
    const { frames, error } = readCaptureAll(bytes);
    assert.equal(error, undefined, name);
    const datagrams = datagramsOf(bytes);
    assert.equal(datagrams.length, EXPECTED_DATAGRAMS[name], name);
    assert.equal(frames.length, datagrams.length, name);
    assert.equal([...udpPayloads(frames, { dstPort: 6343 })].length, datagrams.length, name);
  }
});

test('datagram sizes and pcap timestamps match sflowtool reading the same files', skipCorpus, () => {
  let differ = 0;
  for (const name of corpusPcaps()) {
    const expectedFile = path.join(corpusDir, 'expected', name.replace(/\.pcap$/, '.sflowtool.txt'));
    if (!existsSync(expectedFile)) continue;
    const text = readFileSync(expectedFile, 'utf8');
    const datagrams = [...text.matchAll(/^startDatagram /gm)].length;
    const sizes = [...text.matchAll(/^datagramSize (\d+)$/gm)].map((m) => Number(m[1]));
    const stamps = [...text.matchAll(/^pcapTimestamp (\S+)\npcapTimestamp_uS (\d+)$/gm)].map((m) => ({
      seconds: Date.parse(m[1].replace(/\+0000$/, 'Z')) / 1000,
      fraction: Number(m[2]),
    }));
    assert.equal(sizes.length, datagrams, name);
    const bytes = readFileSync(corpusPcap(name));
    const ours = datagramsOf(bytes, true);
    assert.deepEqual(
      ours.map((d) => d.payload.length),
      sizes,
      `${name}: datagramSize`,
    );
    // Without toFrameEnd, only the link-layer trailer (the 4 bytes after the IP packet in
    // tcpdump-sflow_print-segv.pcap) is left out.
    datagramsOf(bytes).forEach((d, i) => {
      if (d.payload.length !== sizes[i]) differ++;
      assert.deepEqual(d.payload, ours[i].payload.subarray(0, d.payload.length));
    });
    assert.deepEqual(
      ours.map((d) => splitTimestamp(d.timestampNs, 'us')),
      stamps,
      `${name}: pcapTimestamp`,
    );
  }
  assert.equal(differ, 1);
});

test(
  'tshark finds the same UDP datagrams: addresses, ports, timestamps and payload bytes',
  skipTshark,
  async () => {
    const names = corpusPcaps();
    const all = await Promise.all(names.map((name) => tsharkFrames(corpusPcap(name))));
    for (const [i, name] of names.entries()) {
      const file = corpusPcap(name);
      const theirs = all[i];
      assert.ok(
        theirs.every((t) => t.payloadHex !== undefined),
        `${name}: tshark sees UDP in every frame`,
      );
      assert.deepEqual(datagramsOf(readFileSync(file)).map(summary), theirs.map(tsharkSummary), name);
    }
  },
);

/** The corpus file converted by editcap with `args`. */
async function convert(name: string, suffix: string, args: string[]): Promise<Uint8Array> {
  const out = path.join(dir, `${name}.${suffix}`);
  await editcap([...args, corpusPcap(name), out]);
  return readFileSync(out);
}

test('editcap pcapng, nanosecond pcap and modified pcap read as the original', skipEditcap, async () => {
  const names = corpusPcaps();
  const converted = await Promise.all(
    names.map((name) =>
      Promise.all([
        convert(name, 'pcapng', ['-F', 'pcapng']),
        convert(name, 'modpcap', ['-F', 'modpcap']),
        // Shifted by 123 ns so that the nanosecond digits are not all zero.
        convert(name, 'ns.pcap', ['-F', 'nsecpcap', '-t', '0.000000123']),
      ]),
    ),
  );
  for (const [i, name] of names.entries()) {
    const [pcapng, modified, nanosecond] = converted[i];
    const original = datagramsOf(readFileSync(corpusPcap(name))).map(summary);
    assert.equal(captureFormat(pcapng), 'pcapng');
    assert.deepEqual(datagramsOf(pcapng).map(summary), original, `${name} as pcapng`);
    assert.equal(readPcapHeader(modified).modified, true);
    assert.deepEqual(datagramsOf(modified).map(summary), original, `${name} as modified pcap`);
    assert.equal(readPcapHeader(nanosecond).resolution, 'ns');
    assert.deepEqual(
      datagramsOf(nanosecond).map(summary),
      original.map((d) => ({ ...d, timestampNs: d.timestampNs + 123n })),
      `${name} as nanosecond pcap`,
    );
  }
});

test('nanosecond pcapng: our timestamps are tshark\u2019s to the nanosecond', skipEditcap, async () => {
  for (const name of ['hsflowd.pcap', 'tcpdump-sflow-print-v6.pcap']) {
    const out = path.join(dir, `${name}.ns.pcapng`);
    await editcap(['-F', 'nsecpcap', '-t', '0.000000321', corpusPcap(name), path.join(dir, 'tmp-ns.pcap')]);
    await editcap(['-F', 'pcapng', path.join(dir, 'tmp-ns.pcap'), out]);
    const ours = datagramsOf(readFileSync(out)).map(summary);
    assert.ok(ours.every((d) => d.timestampNs % 1000n === 321n));
    assert.deepEqual(ours, (await tsharkFrames(out)).map(tsharkSummary), name);
  }
});

test('big-endian pcap written by us reads the same in tshark and in our reader', skipTshark, async () => {
  for (const name of ['hsflowd.pcap', 'tcpdump-sflow-print-v6.pcap', 'akvorado-data-qinq.pcap']) {
    const frames = [...readCapture(readFileSync(corpusPcap(name)))];
    for (const resolution of ['us', 'ns'] as const) {
      const bytes = writePcap(frames, { linkType: LINKTYPE.ETHERNET, littleEndian: false, resolution });
      assert.equal(readPcapHeader(bytes).littleEndian, false);
      const file = path.join(dir, `${name}.be-${resolution}.pcap`);
      writeFileSync(file, bytes);
      const original = datagramsOf(readFileSync(corpusPcap(name))).map(summary);
      assert.deepEqual(datagramsOf(bytes).map(summary), original, name);
      assert.deepEqual((await tsharkFrames(file)).map(tsharkSummary), original, `${name}: tshark`);
    }
  }
});

test(
  'mergecap pcapng with Ethernet, SLL2 and raw IPv6 interfaces: the same datagrams as tshark',
  skipEditcap,
  async () => {
    const corpus = corpusPcap('tcpdump-sflow-print-v6.pcap');
    const datagrams = datagramsOf(readFileSync(corpus));
    const rewrap = (linkType: number, srcAddress: Uint8Array, step: bigint) =>
      writePcap(
        datagrams.slice(0, 5).map((d, i) => ({
          timestampNs: d.timestampNs + step + BigInt(i),
          data: wrapUdp(d.payload, {
            linkType,
            srcAddress,
            srcPort: 1000 + i,
            dstAddress:
              srcAddress.length === 4
                ? Uint8Array.of(10, 0, 0, 2)
                : srcAddress.map((b, j) => (j === 15 ? 2 : b)),
            dstPort: 6343,
          }),
        })),
        { linkType, resolution: 'ns' },
      );
    const sll2 = path.join(dir, 'sll2.pcap');
    const raw6 = path.join(dir, 'raw6.pcap');
    writeFileSync(sll2, rewrap(LINKTYPE.LINUX_SLL2, Uint8Array.of(10, 0, 0, 1), 1_000_000n));
    writeFileSync(raw6, rewrap(LINKTYPE.RAW, Uint8Array.of(0xfd, ...new Uint8Array(14), 1), 2_000_000n));
    const merged = path.join(dir, 'merged.pcapng');
    await mergecap(['-F', 'pcapng', '-w', merged, corpus, sll2, raw6]);
    const bytes = readFileSync(merged);
    const ours = datagramsOf(bytes);
    assert.equal(ours.length, datagrams.length + 10);
    assert.deepEqual(new Set(ours.map((d) => d.frame.linkType)), new Set([1, 276, 101]));
    assert.deepEqual(ours.map(summary), (await tsharkFrames(merged)).map(tsharkSummary));
  },
);
