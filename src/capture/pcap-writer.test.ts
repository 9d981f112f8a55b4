import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wrapUdp } from './frame-builder.js';
import { LINKTYPE } from './link-types.js';
import { PcapWriter, writePcap } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { hex, tsharkFrames, tsharkMissing } from './tshark-peer.js';

const ENDPOINTS = {
  srcAddress: Uint8Array.of(10, 0, 0, 1),
  srcPort: 999,
  dstAddress: Uint8Array.of(10, 0, 0, 2),
  dstPort: 6343,
};
const FRAMES = [1, 2, 3].map((i) => ({
  timestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_001_001n,
  data: wrapUdp(new Uint8Array(i * 10).fill(i), ENDPOINTS),
}));

test('the header once, then one chunk per record, make the same file as writePcap', () => {
  const writer = new PcapWriter({ linkType: LINKTYPE.ETHERNET });
  const chunks = [writer.fileHeader(), ...FRAMES.map((f) => writer.record(f))];
  assert.equal(hex(Buffer.concat(chunks)), hex(writePcap(FRAMES, { linkType: LINKTYPE.ETHERNET })));
});

test('writers refuse what their format cannot hold', () => {
  const writer = new PcapWriter({ linkType: LINKTYPE.ETHERNET });
  const data = new Uint8Array(1);
  assert.throws(() => writer.record({ timestampNs: -1n, data }), RangeError);
  assert.throws(() => writer.record({ timestampNs: 0x100000000n * 1_000_000_000n, data }), RangeError);
  assert.throws(() => writer.record({ timestampNs: 0n, data, originalLength: -1 }), RangeError);
  assert.throws(() => new PcapWriter({ linkType: 0x10000 }), RangeError);
  assert.throws(() => new PcapWriter({ linkType: 1, snapLength: 0 }), RangeError);
  assert.throws(() => new PcapngWriter({ interfaces: [] }), RangeError);
  const ng = new PcapngWriter({ interfaces: [{ linkType: 1 }] });
  assert.throws(() => ng.record({ timestampNs: 0n, data, interfaceId: 1 }), RangeError);
  assert.throws(() => ng.record({ timestampNs: 1n << 64n, data }), RangeError);
});

for (const resolution of ['us', 'ns'] as const) {
  test(`tshark reads ${resolution} pcap streamed to its standard input record by record`, {
    skip: tsharkMissing,
  }, async () => {
    const writer = new PcapWriter({ linkType: LINKTYPE.ETHERNET, resolution });
    const frames = await tsharkFrames('-', [writer.fileHeader(), ...FRAMES.map((f) => writer.record(f))]);
    assert.deepEqual(
      frames.map((f) => [f.timestampNs, f.payloadHex, f.udpChecksum, f.ipChecksum]),
      FRAMES.map((f, i) => [
        resolution === 'ns' ? f.timestampNs : (f.timestampNs / 1000n) * 1000n,
        hex(new Uint8Array((i + 1) * 10).fill(i + 1)),
        'Good',
        'Good',
      ]),
    );
  });
}
