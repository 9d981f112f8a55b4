import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CaptureError, type CaptureErrorCode } from './capture-error.js';
import { LINKTYPE } from './link-types.js';
import { readPcap, readPcapHeader } from './pcap-reader.js';
import { type FrameToWrite, PcapWriter, writePcap } from './pcap-writer.js';
import { readCapture, readCaptureAll } from './read-capture.js';

const FRAMES: FrameToWrite[] = [
  { timestampNs: 1_600_000_000_123_456_789n, data: Uint8Array.of(1, 2, 3), originalLength: 60 },
  { timestampNs: 0n, data: new Uint8Array(0) },
  { timestampNs: 4_294_967_295_999_999_999n, data: new Uint8Array(300).fill(7) },
];

function isCaptureError(code: CaptureErrorCode, offset?: number) {
  return (e: unknown) =>
    e instanceof CaptureError && e.code === code && (offset === undefined || e.offset === offset);
}

for (const littleEndian of [true, false]) {
  for (const resolution of ['us', 'ns'] as const) {
    test(`pcap ${littleEndian ? 'little' : 'big'}-endian, ${resolution}: frames come back exactly`, () => {
      const file = writePcap(FRAMES, { linkType: LINKTYPE.LINUX_SLL2, resolution, littleEndian });
      const header = readPcapHeader(file);
      assert.deepEqual(
        { ...header },
        {
          littleEndian,
          resolution,
          modified: false,
          versionMajor: 2,
          versionMinor: 4,
          snapLength: 262144,
          linkType: LINKTYPE.LINUX_SLL2,
          fcsLength: undefined,
          recordHeaderLength: 16,
        },
      );
      const frames = [...readPcap(file)];
      assert.equal(frames.length, FRAMES.length);
      frames.forEach((f, i) => {
        const ns = FRAMES[i].timestampNs;
        assert.equal(f.timestampNs, resolution === 'ns' ? ns : (ns / 1000n) * 1000n);
        assert.deepEqual(f.data, FRAMES[i].data);
        assert.equal(f.originalLength, FRAMES[i].originalLength ?? FRAMES[i].data.length);
        assert.equal(f.linkType, LINKTYPE.LINUX_SLL2);
        assert.equal(f.interfaceId, 0);
      });
      assert.deepEqual(
        frames.map((f) => f.offset),
        [24, 24 + 16 + 3, 24 + 16 + 3 + 16],
      );
    });
  }
}

test('frame data is a view into the file, not a copy', () => {
  const file = writePcap(FRAMES, { linkType: LINKTYPE.ETHERNET });
  const [first] = readCapture(file);
  assert.equal(first.data.buffer, file.buffer);
  assert.equal(first.data.byteOffset, 24 + 16);
});

test('a file inside a larger buffer is read from its own offset', () => {
  const file = writePcap(FRAMES, { linkType: LINKTYPE.ETHERNET, littleEndian: false });
  const outer = new Uint8Array(file.length + 10);
  outer.set(file, 7);
  const frames = [...readCapture(outer.subarray(7, 7 + file.length))];
  assert.deepEqual(frames[0].data, FRAMES[0].data);
  assert.equal(frames[2].timestampNs, 4_294_967_295_999_999_000n);
});

test('the snap length cuts frames and the link type field keeps FCS bits apart', () => {
  const w = new PcapWriter({ linkType: LINKTYPE.ETHERNET, snapLength: 2 });
  const file = new Uint8Array([...w.fileHeader(), ...w.record(FRAMES[0])]);
  const [frame] = readPcap(file);
  assert.deepEqual(frame.data, Uint8Array.of(1, 2));
  assert.equal(frame.originalLength, 60);
  // F bit (26) set with an FCS of 2 words in bits 28-31.
  new DataView(file.buffer).setUint32(20, (2 << 28) | (1 << 26) | LINKTYPE.ETHERNET, true);
  const header = readPcapHeader(file);
  assert.equal(header.linkType, LINKTYPE.ETHERNET);
  assert.equal(header.fcsLength, 4);
});

test('header errors: too short, bad magic, unsupported version', () => {
  const file = writePcap([], { linkType: LINKTYPE.ETHERNET });
  assert.throws(() => readCapture(new Uint8Array(0)), isCaptureError('TRUNCATED_HEADER', 0));
  assert.throws(() => readCapture(file.subarray(0, 3)), isCaptureError('TRUNCATED_HEADER', 0));
  assert.throws(() => readCapture(file.subarray(0, 23)), isCaptureError('TRUNCATED_HEADER', 0));
  assert.throws(
    () => readCapture(new TextEncoder().encode('GET / HTTP/1.1\r\n')),
    isCaptureError('BAD_MAGIC', 0),
  );
  const v1 = file.slice();
  v1[4] = 1;
  assert.throws(() => readCapture(v1), isCaptureError('UNSUPPORTED_VERSION', 4));
  assert.deepEqual([...readCapture(file)], []);
});

test('a truncated last record ends reading with an error at its offset; frames before it are kept', () => {
  const file = writePcap(FRAMES, { linkType: LINKTYPE.ETHERNET });
  const lastAt = 24 + 16 + 3 + 16;
  for (const cut of [lastAt + 1, lastAt + 15, lastAt + 16, file.length - 1]) {
    const { frames, error } = readCaptureAll(file.subarray(0, cut));
    assert.equal(frames.length, 2, `cut at ${cut}`);
    assert.ok(error instanceof CaptureError);
    assert.equal(error.code, 'TRUNCATED_RECORD');
    assert.equal(error.offset, lastAt);
    assert.match(error.message, /at byte 59/);
  }
  assert.equal(readCaptureAll(file.subarray(0, lastAt)).error, undefined);
});

test('an absurd captured length is refused by the bytes left, with nothing allocated', () => {
  const file = writePcap([FRAMES[0]], { linkType: LINKTYPE.ETHERNET });
  new DataView(file.buffer).setUint32(24 + 8, 0xffffffff, true);
  const { frames, error } = readCaptureAll(file);
  assert.equal(frames.length, 0);
  assert.equal(error?.code, 'TRUNCATED_RECORD');
  assert.match(error.message, /4294967295 captured bytes, 3 left/);
});
