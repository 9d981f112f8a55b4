import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import type { CapturedFrame } from './captured-frame.js';
import { LINKTYPE } from './link-types.js';
import { readPcapHeader } from './pcap-reader.js';
import { writePcap } from './pcap-writer.js';
import { writePcapng } from './pcapng-writer.js';
import { readCapture } from './read-capture.js';
import { corpusMissing, corpusPcap, corpusPcaps, editcap, editcapMissing } from './tshark-peer.js';

/** A frame without its file offset, which differs between formats. */
function comparable(frames: Iterable<CapturedFrame>) {
  return [...frames].map(({ linkType, timestampNs, data, originalLength, interfaceId }) => ({
    linkType,
    timestampNs,
    data: Buffer.from(data).toString('hex'),
    originalLength,
    interfaceId,
  }));
}

test('corpus pcap → read → write with the same header gives the same bytes', { skip: corpusMissing }, () => {
  for (const name of corpusPcaps()) {
    const original = readFileSync(corpusPcap(name));
    const { linkType, snapLength, resolution, littleEndian } = readPcapHeader(original);
    const written = writePcap(readCapture(original), { linkType, snapLength, resolution, littleEndian });
    assert.ok(Buffer.from(written).equals(original), name);
  }
});

const dir = mkdtempSync(path.join(tmpdir(), 'sflowkit-capture-round-trip-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('editcap pcapng → read → write pcapng → read gives identical frames', {
  skip: corpusMissing || editcapMissing,
}, async () => {
  const names = corpusPcaps();
  const file = (name: string) => path.join(dir, `${name}.pcapng`);
  await Promise.all(names.map((name) => editcap(['-F', 'pcapng', corpusPcap(name), file(name)])));
  for (const name of names) {
    const frames = comparable(readCapture(readFileSync(file(name))));
    for (const resolution of ['us', 'ns'] as const) {
      const written = writePcapng(readCapture(readFileSync(file(name))), {
        interfaces: [{ linkType: LINKTYPE.ETHERNET, resolution }],
      });
      assert.deepEqual(comparable(readCapture(written)), frames, name);
    }
  }
});

const frameArb = fc.record({
  timestampNs: fc.bigInt({ min: 0n, max: 0xffffffffn * 1_000_000_000n + 999_999_999n }),
  data: fc.uint8Array({ maxLength: 200 }),
  extra: fc.nat({ max: 70000 }),
});

test('property: any frames → write pcap (either byte order and resolution) → read gives them back', () => {
  fc.assert(
    fc.property(
      fc.array(frameArb, { maxLength: 20 }),
      fc.boolean(),
      fc.constantFrom('us' as const, 'ns' as const),
      fc.integer({ min: 0, max: 0xffff }),
      (frames, littleEndian, resolution, linkType) => {
        const input = frames.map((f) => ({ ...f, originalLength: f.data.length + f.extra }));
        const back = comparable(readCapture(writePcap(input, { linkType, littleEndian, resolution })));
        assert.deepEqual(
          back,
          comparable(
            input.map((f) => ({
              ...f,
              linkType,
              interfaceId: 0,
              offset: 0,
              timestampNs: resolution === 'ns' ? f.timestampNs : (f.timestampNs / 1000n) * 1000n,
            })),
          ),
        );
      },
    ),
  );
});

test('property: any frames on several interfaces → write pcapng → read gives them back', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          linkType: fc.integer({ min: 0, max: 0xffff }),
          resolution: fc.constantFrom('us' as const, 'ns' as const),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      fc.array(fc.record({ frame: frameArb, interface: fc.nat() }), { maxLength: 20 }),
      fc.boolean(),
      (interfaces, frames, littleEndian) => {
        const input = frames.map(({ frame, interface: i }) => ({
          ...frame,
          originalLength: frame.data.length + frame.extra,
          interfaceId: i % interfaces.length,
        }));
        const back = comparable(readCapture(writePcapng(input, { interfaces, littleEndian })));
        assert.deepEqual(
          back,
          comparable(
            input.map((f) => ({
              ...f,
              linkType: interfaces[f.interfaceId].linkType,
              offset: 0,
              timestampNs:
                interfaces[f.interfaceId].resolution === 'ns'
                  ? f.timestampNs
                  : (f.timestampNs / 1000n) * 1000n,
            })),
          ),
        );
      },
    ),
  );
});
