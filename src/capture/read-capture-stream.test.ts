/**
 * Reading a capture as it arrives gives the frames reading it whole gives, however the bytes are cut: pcap in
 * both byte orders and both resolutions, pcapng with several sections of either byte order, and damaged or
 * cut-short input ends with the same error after the same frames.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CaptureError } from './capture-error.js';
import type { CapturedFrame } from './captured-frame.js';
import { concatChunks, PcapWriter } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { readCaptureAll } from './read-capture.js';
import { readCaptureStream } from './read-capture-stream.js';

async function* chunks(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let pos = 0;
  for (let i = 0; pos < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    yield bytes.subarray(pos, pos + n);
    pos += n;
  }
}

async function streamed(
  bytes: Uint8Array,
  sizes: number[],
): Promise<{ frames: CapturedFrame[]; error?: unknown }> {
  const frames: CapturedFrame[] = [];
  try {
    for await (const batch of readCaptureStream(chunks(bytes, sizes))) for (const f of batch) frames.push(f);
  } catch (e) {
    return { frames, error: e };
  }
  return { frames };
}

const frame = fc.record({
  timestampNs: fc.bigInt({ min: 0n, max: 4_000_000_000n * 1_000_000_000n }).map((t) => (t / 1000n) * 1000n),
  data: fc.uint8Array({ maxLength: 300 }),
});

function pcap(
  frames: { timestampNs: bigint; data: Uint8Array }[],
  littleEndian: boolean,
  ns: boolean,
): Uint8Array {
  const w = new PcapWriter({ linkType: 1, littleEndian, resolution: ns ? 'ns' : 'us' });
  return concatChunks([w.fileHeader(), ...frames.map((f) => w.record(f))]);
}

/** Sections of pcapng, each with its own byte order and two interfaces. */
function pcapng(
  sections: { frames: { timestampNs: bigint; data: Uint8Array }[]; littleEndian: boolean }[],
): Uint8Array {
  return concatChunks(
    sections.flatMap(({ frames, littleEndian }) => {
      const w = new PcapngWriter({ littleEndian, interfaces: [{ linkType: 1 }, { linkType: 101 }] });
      return [w.fileHeader(), ...frames.map((f, i) => w.record({ ...f, interfaceId: i % 2 }))];
    }),
  );
}

const fields = (f: CapturedFrame) => [
  f.linkType,
  f.timestampNs,
  Buffer.from(f.data).toString('hex'),
  f.originalLength,
  f.interfaceId,
  f.offset,
];
const same = (a: CapturedFrame[], b: CapturedFrame[]) => assert.deepEqual(a.map(fields), b.map(fields));

const sizes = fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 });

test('pcap: the same frames however the input is cut, and the same error where it is cut short', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(frame, { maxLength: 20 }),
      fc.boolean(),
      fc.boolean(),
      sizes,
      fc.nat(),
      async (fs, le, ns, cut, drop) => {
        const whole = pcap(fs, le, ns);
        const bytes = whole.subarray(0, whole.length - (drop % Math.min(40, whole.length - 23)));
        const expected = readCaptureAll(bytes);
        const got = await streamed(bytes, cut);
        same(got.frames, expected.frames);
        assert.equal((got.error as CaptureError | undefined)?.code, expected.error?.code);
      },
    ),
    { numRuns: 150 },
  );
});

test('pcapng: sections of either byte order, cut anywhere', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ frames: fc.array(frame, { maxLength: 8 }), littleEndian: fc.boolean() }), {
        minLength: 1,
        maxLength: 3,
      }),
      sizes,
      async (sections, cut) => {
        const bytes = pcapng(sections);
        const expected = readCaptureAll(bytes);
        assert.equal(expected.error, undefined);
        same((await streamed(bytes, cut)).frames, expected.frames);
      },
    ),
    { numRuns: 150 },
  );
});

test('input that is not a capture, or ends before its header, is a CaptureError', async () => {
  for (const bytes of [new Uint8Array(0), Uint8Array.of(0xd4, 0xc3), new Uint8Array(64).fill(7)]) {
    const { error } = await streamed(bytes, [5]);
    assert.ok(error instanceof CaptureError, String(error));
  }
});
