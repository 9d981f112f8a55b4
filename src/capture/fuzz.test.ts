import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { CaptureError } from './capture-error.js';
import { wrapUdp } from './frame-builder.js';
import { LINKTYPE } from './link-types.js';
import { writePcap } from './pcap-writer.js';
import { encodeBlock, writePcapng } from './pcapng-writer.js';
import { readCapture } from './read-capture.js';
import { corpusMissing, corpusPcap } from './tshark-peer.js';
import { extractUdp, SKIP_REASONS } from './udp-extract.js';

const LINK_TYPES = Object.values(LINKTYPE);

/** Reads everything the way a consumer would; only a CaptureError may escape. Returns the frames read. */
function consume(bytes: Uint8Array): number {
  let frames = 0;
  try {
    for (const frame of readCapture(bytes)) {
      frames++;
      // Every block or record takes at least 12 bytes: more frames than that would mean a loop.
      assert.ok(frames <= bytes.length / 12 + 1, 'more frames than the file can hold');
      assert.ok(frame.data.byteOffset + frame.data.length <= bytes.byteOffset + bytes.length);
      checkExtract(frame.linkType, frame.data);
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    assert.ok(e.offset >= 0 && e.offset <= bytes.length, `offset ${e.offset} in ${bytes.length} bytes`);
  }
  return frames;
}

function checkExtract(linkType: number, data: Uint8Array): void {
  const frame = { linkType, timestampNs: 0n, data, originalLength: data.length, interfaceId: 0, offset: 0 };
  const r = extractUdp(frame);
  if (typeof r === 'string') {
    assert.ok(SKIP_REASONS.includes(r));
    return;
  }
  // The payload is a view inside the frame, whatever the length fields said.
  assert.equal(r.payload.buffer, data.buffer);
  assert.ok(r.payload.byteOffset >= data.byteOffset);
  assert.ok(r.payload.byteOffset + r.payload.length <= data.byteOffset + data.length);
}

const seedFrames = fc.array(
  fc.record({
    timestampNs: fc.bigInt({ min: 0n, max: 4_000_000_000_000_000_000n }),
    payload: fc.uint8Array({ maxLength: 64 }),
    linkType: fc.constantFrom(...LINK_TYPES),
    v6: fc.boolean(),
  }),
  { maxLength: 6 },
);

/** Valid files of every kind, holding real UDP frames, to mutate. */
const validFile = fc
  .tuple(seedFrames, fc.constantFrom('pcap-le', 'pcap-be', 'pcap-ns', 'pcapng-le', 'pcapng-be'))
  .map(([seeds, kind]) => {
    const linkType = seeds[0]?.linkType ?? LINKTYPE.ETHERNET;
    const frames = seeds.map((s, i) => {
      const v6 = linkType === LINKTYPE.IPV6 || (linkType !== LINKTYPE.IPV4 && s.v6);
      const address = v6 ? new Uint8Array(16).fill(i) : Uint8Array.of(10, 0, 0, i);
      return {
        timestampNs: s.timestampNs,
        data: wrapUdp(s.payload, {
          linkType,
          srcAddress: address,
          dstAddress: address,
          srcPort: i,
          dstPort: 6343,
        }),
        interfaceId: i % 2,
      };
    });
    if (kind.startsWith('pcapng')) {
      const bytes = writePcapng(frames, {
        interfaces: [{ linkType }, { linkType: LINKTYPE.RAW, resolution: 'us' }],
        littleEndian: kind === 'pcapng-le',
      });
      // An unknown block in the middle, to be skipped.
      const extra = encodeBlock(0x00000bad, Uint8Array.of(1, 2, 3));
      return Uint8Array.from([...bytes, ...extra]);
    }
    return writePcap(frames, {
      linkType,
      littleEndian: kind !== 'pcap-be',
      resolution: kind === 'pcap-ns' ? 'ns' : 'us',
    });
  });

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u32'; at: number; value: number; le: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
  fc.record({
    kind: fc.constant('u32' as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(0, 1, 8, 12, 13, 16, 28, 0x7fffffff, 0xfffffff0, 0xffffffff), fc.nat()),
    le: fc.boolean(),
  }),
);

function mutate(file: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = file.slice();
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'truncate') out = out.subarray(0, at);
    else if (m.kind === 'byte') out[at] = m.value;
    else if (at + 4 <= out.length) {
      new DataView(out.buffer, out.byteOffset).setUint32(at, m.value >>> 0, m.le);
    }
  }
  return out;
}

test('fuzz: truncated and mutated files only ever end in a CaptureError', () => {
  fc.assert(
    fc.property(validFile, fc.array(mutation, { minLength: 1, maxLength: 4 }), (file, mutations) => {
      consume(mutate(file, mutations));
    }),
    { numRuns: 3000 },
  );
});

test('fuzz: every truncation of a valid file returns the frames before the cut, then a CaptureError', () => {
  fc.assert(
    fc.property(validFile, (file) => {
      const all = consume(file);
      let previous = 0;
      for (let cut = 0; cut < file.length; cut++) {
        const n = consume(file.subarray(0, cut));
        assert.ok(n >= previous && n <= all);
        previous = n;
      }
    }),
    { numRuns: 100 },
  );
});

test('fuzz: mutated corpus captures', { skip: corpusMissing }, () => {
  const files = ['tcpdump-sflow-print-v6.pcap', 'akvorado-data-qinq.pcap'].map((n) =>
    readFileSync(corpusPcap(n)),
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...files),
      fc.array(mutation, { minLength: 1, maxLength: 8 }),
      (file, mutations) => {
        consume(mutate(new Uint8Array(file), mutations));
      },
    ),
    { numRuns: 1000 },
  );
});

test('fuzz: UDP extraction from arbitrary bytes of any link type never throws', () => {
  fc.assert(
    fc.property(fc.constantFrom(...LINK_TYPES, 105), fc.uint8Array({ maxLength: 120 }), (linkType, data) => {
      checkExtract(linkType, data);
    }),
    { numRuns: 5000 },
  );
});

test('fuzz: arbitrary bytes after a valid magic number', () => {
  const heads = [
    writePcap([], { linkType: 1 }).subarray(0, 4),
    writePcap([], { linkType: 1, resolution: 'ns', littleEndian: false }).subarray(0, 4),
    writePcapng([], { interfaces: [{ linkType: 1 }] }).subarray(0, 12),
  ];
  fc.assert(
    fc.property(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 300 }), (head, rest) => {
      consume(Uint8Array.from([...head, ...rest]));
    }),
    { numRuns: 3000 },
  );
});
