import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CaptureError, type CaptureErrorCode } from './capture-error.js';
import { LINKTYPE } from './link-types.js';
import { concatChunks } from './pcap-writer.js';
import { BLOCK_TYPE, OPTION, readPcapng } from './pcapng-reader.js';
import { encodeBlock, encodeOptions, PcapngWriter, writePcapng } from './pcapng-writer.js';
import { readCapture, readCaptureAll } from './read-capture.js';

const T = 1_700_000_000_123_456_789n;

function isCaptureError(code: CaptureErrorCode, offset?: number) {
  return (e: unknown) =>
    e instanceof CaptureError && e.code === code && (offset === undefined || e.offset === offset);
}

function u32s(values: readonly number[], le = true): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const dv = new DataView(out.buffer);
  for (const [i, v] of values.entries()) dv.setUint32(4 * i, v, le);
  return out;
}

/** An Interface Description Block body: link type, reserved, snap length, options. */
function idbBody(linkType: number, snapLength: number, options: Uint8Array, le = true): Uint8Array {
  const fixed = new Uint8Array(8);
  const dv = new DataView(fixed.buffer);
  dv.setUint16(0, linkType, le);
  dv.setUint32(4, snapLength, le);
  return concatChunks([fixed, options]);
}

/** A Section Header Block and microsecond interfaces, as a prefix for hand-assembled blocks. */
function sectionOf(linkTypes: number[], le = true): Uint8Array {
  const shb = encodeBlock(
    BLOCK_TYPE.SECTION_HEADER,
    concatChunks([u32s([0x1a2b3c4d], le), u32s([le ? 1 : 0x10000], le), new Uint8Array(8).fill(0xff)]),
    le,
  );
  const idbs = linkTypes.map((t) =>
    encodeBlock(BLOCK_TYPE.INTERFACE_DESCRIPTION, idbBody(t, 0, new Uint8Array(0), le), le),
  );
  return concatChunks([shb, ...idbs]);
}

for (const littleEndian of [true, false]) {
  test(`pcapng ${littleEndian ? 'little' : 'big'}-endian: interfaces with their own link types and resolutions`, () => {
    const file = writePcapng(
      [
        { timestampNs: T, data: Uint8Array.of(1, 2, 3, 4, 5), originalLength: 99, interfaceId: 0 },
        { timestampNs: T + 1n, data: Uint8Array.of(6), interfaceId: 1 },
        { timestampNs: 1n, data: new Uint8Array(0), interfaceId: 0 },
      ],
      {
        interfaces: [
          { linkType: LINKTYPE.ETHERNET, resolution: 'ns' },
          { linkType: LINKTYPE.RAW, resolution: 'us' },
        ],
        littleEndian,
      },
    );
    const frames = [...readCapture(file)];
    assert.deepEqual(
      frames.map(({ linkType, timestampNs, data, originalLength, interfaceId }) => ({
        linkType,
        timestampNs,
        data: [...data],
        originalLength,
        interfaceId,
      })),
      [
        { linkType: 1, timestampNs: T, data: [1, 2, 3, 4, 5], originalLength: 99, interfaceId: 0 },
        { linkType: 101, timestampNs: T - 789n, data: [6], originalLength: 1, interfaceId: 1 },
        { linkType: 1, timestampNs: 1n, data: [], originalLength: 0, interfaceId: 0 },
      ],
    );
    assert.equal(frames[0].data.buffer, file.buffer, 'a view, not a copy');
  });
}

test('a second section may change byte order and starts its own interface numbering', () => {
  const first = writePcapng([{ timestampNs: T, data: Uint8Array.of(1) }], {
    interfaces: [{ linkType: LINKTYPE.ETHERNET }],
  });
  const second = writePcapng(
    [
      { timestampNs: T, data: Uint8Array.of(2), interfaceId: 1 },
      { timestampNs: T, data: Uint8Array.of(3), interfaceId: 0 },
    ],
    { interfaces: [{ linkType: LINKTYPE.LINUX_SLL }, { linkType: LINKTYPE.IPV6 }], littleEndian: false },
  );
  const frames = [...readPcapng(concatChunks([first, second]))];
  assert.deepEqual(
    frames.map((f) => [f.linkType, f.interfaceId, f.data[0]]),
    [
      [LINKTYPE.ETHERNET, 0, 1],
      [LINKTYPE.IPV6, 1, 2],
      [LINKTYPE.LINUX_SLL, 0, 3],
    ],
  );
  // In the other order, the first section's packet on interface 1 is read with that section's interfaces.
  const swapped = [...readPcapng(concatChunks([second, first]))];
  assert.deepEqual(
    swapped.map((f) => f.linkType),
    [LINKTYPE.IPV6, LINKTYPE.LINUX_SLL, LINKTYPE.ETHERNET],
  );
});

test('unknown blocks are skipped by their length', () => {
  const file = concatChunks([
    sectionOf([LINKTYPE.ETHERNET]),
    encodeBlock(0x00000004, Uint8Array.of(0, 0, 0, 0)), // Name Resolution Block
    encodeBlock(0x00000bad, new Uint8Array(9).fill(0xff)), // custom block
    encodeBlock(0x12345678, new Uint8Array(0)),
    new PcapngWriter({ interfaces: [{ linkType: 1 }] }).record({ timestampNs: T, data: Uint8Array.of(9) }),
    encodeBlock(0x00000005, new Uint8Array(20)), // Interface Statistics Block
  ]);
  const frames = [...readCapture(file)];
  assert.equal(frames.length, 1);
  assert.equal(frames[0].data[0], 9);
});

test('Simple Packet Blocks use interface 0, its snap length, and have no timestamp', () => {
  const le = false;
  const file = concatChunks([
    sectionOf([], le),
    encodeBlock(BLOCK_TYPE.INTERFACE_DESCRIPTION, idbBody(LINKTYPE.IPV4, 4, new Uint8Array(0), le), le),
    encodeBlock(BLOCK_TYPE.SIMPLE_PACKET, concatChunks([u32s([6], le), Uint8Array.of(1, 2, 3, 4, 5, 6)]), le),
    encodeBlock(BLOCK_TYPE.SIMPLE_PACKET, concatChunks([u32s([2], le), Uint8Array.of(7, 8, 0, 0)]), le),
  ]);
  const frames = [...readCapture(file)];
  assert.deepEqual(
    frames.map((f) => [f.linkType, f.timestampNs, [...f.data], f.originalLength]),
    [
      [LINKTYPE.IPV4, 0n, [1, 2, 3, 4], 6],
      [LINKTYPE.IPV4, 0n, [7, 8], 2],
    ],
  );
});

test('the obsolete Packet Block is read like an Enhanced Packet Block', () => {
  const body = new Uint8Array(20 + 4);
  const dv = new DataView(body.buffer);
  dv.setUint16(0, 1, true); // interface 1
  dv.setUint32(4, 0, true);
  dv.setUint32(8, 5_000_000, true); // 5 s in microseconds
  dv.setUint32(12, 3, true);
  dv.setUint32(16, 3, true);
  body.set([4, 5, 6], 20);
  const file = concatChunks([
    sectionOf([LINKTYPE.ETHERNET, LINKTYPE.NULL]),
    encodeBlock(BLOCK_TYPE.PACKET, body),
  ]);
  const [frame] = readCapture(file);
  assert.deepEqual(
    [frame.linkType, frame.interfaceId, frame.timestampNs, [...frame.data]],
    [LINKTYPE.NULL, 1, 5_000_000_000n, [4, 5, 6]],
  );
});

test('if_tsresol (powers of 10 and of 2) and if_tsoffset give exact nanoseconds', () => {
  const cases: Array<{ options: Uint8Array; ticks: bigint; ns: bigint }> = [
    { options: new Uint8Array(0), ticks: 1_500_000n, ns: 1_500_000_000n },
    {
      options: encodeOptions([{ code: OPTION.IF_TSRESOL, value: Uint8Array.of(3) }]),
      ticks: 1234n,
      ns: 1_234_000_000n,
    },
    { options: encodeOptions([{ code: OPTION.IF_TSRESOL, value: Uint8Array.of(9) }]), ticks: T, ns: T },
    // 2^-10 s: 1536 ticks are 1.5 s.
    {
      options: encodeOptions([{ code: OPTION.IF_TSRESOL, value: Uint8Array.of(0x8a) }]),
      ticks: 1536n,
      ns: 1_500_000_000n,
    },
    // 10^-12 s: picoseconds, rounded down to nanoseconds.
    {
      options: encodeOptions([{ code: OPTION.IF_TSRESOL, value: Uint8Array.of(12) }]),
      ticks: 1_999n,
      ns: 1n,
    },
    {
      options: encodeOptions([
        { code: 2, value: new TextEncoder().encode('eth0') }, // if_name, before and skipped
        { code: OPTION.IF_TSOFFSET, value: u64(-10n) },
        { code: OPTION.IF_TSRESOL, value: Uint8Array.of(6) },
      ]),
      ticks: 11_000_001n,
      ns: 1_000_001_000n,
    },
  ];
  for (const { options, ticks, ns } of cases) {
    const epb = new Uint8Array(20);
    const dv = new DataView(epb.buffer);
    dv.setUint32(4, Number(ticks >> 32n), true);
    dv.setUint32(8, Number(ticks & 0xffffffffn), true);
    const file = concatChunks([
      sectionOf([]),
      encodeBlock(BLOCK_TYPE.INTERFACE_DESCRIPTION, idbBody(LINKTYPE.ETHERNET, 0, options)),
      encodeBlock(BLOCK_TYPE.ENHANCED_PACKET, epb),
    ]);
    assert.equal([...readCapture(file)][0].timestampNs, ns, `ticks ${ticks}`);
  }
});

function u64(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, v, true);
  return out;
}

test('block errors carry a code and the offset of the block', () => {
  const head = sectionOf([LINKTYPE.ETHERNET]);
  const writer = new PcapngWriter({ interfaces: [{ linkType: LINKTYPE.ETHERNET }] });
  const packet = writer.record({ timestampNs: T, data: Uint8Array.of(1, 2, 3) });
  const at = head.length + packet.length;
  const withLast = (last: Uint8Array) => concatChunks([head, packet, last]);
  const expectError = (file: Uint8Array, code: CaptureErrorCode, offset: number) => {
    const { frames, error } = readCaptureAll(file);
    assert.equal(frames.length, 1, `${code}: the frame before the damage is returned`);
    assert.ok(isCaptureError(code, offset)(error), `${code} at ${offset}, got ${error?.message}`);
  };

  expectError(withLast(packet.subarray(0, 11)), 'TRUNCATED_BLOCK', at);
  expectError(withLast(packet.subarray(0, packet.length - 1)), 'TRUNCATED_BLOCK', at);
  const mismatch = packet.slice();
  mismatch[mismatch.length - 4] ^= 4;
  expectError(withLast(mismatch), 'BLOCK_LENGTH_MISMATCH', at + packet.length - 4);
  for (const length of [0, 8, 13, 0xfffffffe]) {
    const bad = packet.slice();
    new DataView(bad.buffer).setUint32(4, length, true);
    expectError(withLast(bad), 'BAD_BLOCK_LENGTH', at);
  }
  const huge = packet.slice();
  new DataView(huge.buffer).setUint32(4, 0xfffffff0, true);
  expectError(withLast(huge), 'TRUNCATED_BLOCK', at);
  const pastBlock = packet.slice();
  new DataView(pastBlock.buffer).setUint32(8 + 12, 5, true); // captured length 5 in a 4-byte data field
  expectError(withLast(pastBlock), 'BLOCK_TOO_SHORT', at);
  const otherInterface = packet.slice();
  new DataView(otherInterface.buffer).setUint32(8, 1, true);
  expectError(withLast(otherInterface), 'UNKNOWN_INTERFACE', at + 8);
  expectError(withLast(encodeBlock(BLOCK_TYPE.ENHANCED_PACKET, new Uint8Array(16))), 'BLOCK_TOO_SHORT', at);
  const badMagic = head.slice();
  badMagic[8] = 0;
  expectError(withLast(badMagic), 'BAD_BYTE_ORDER_MAGIC', at + 8);
  const version2 = head.slice();
  version2[12] = 2;
  expectError(withLast(version2), 'UNSUPPORTED_VERSION', at + 12);
  const resolution = encodeOptions([{ code: OPTION.IF_TSRESOL, value: Uint8Array.of(9, 9) }]);
  expectError(
    withLast(encodeBlock(BLOCK_TYPE.INTERFACE_DESCRIPTION, idbBody(1, 0, resolution))),
    'BAD_OPTION',
    at + 16,
  );
  const overrun = encodeOptions([{ code: 2, value: new Uint8Array(8) }]).subarray(0, 8);
  expectError(
    withLast(encodeBlock(BLOCK_TYPE.INTERFACE_DESCRIPTION, idbBody(1, 0, overrun))),
    'BAD_OPTION',
    at + 16,
  );
});

test('file-level errors: not a section header first, or a section header cut short', () => {
  const head = sectionOf([LINKTYPE.ETHERNET]);
  assert.throws(() => readPcapng(head.subarray(4)), isCaptureError('BAD_MAGIC', 0));
  assert.throws(() => readPcapng(head.subarray(0, 20)), isCaptureError('TRUNCATED_HEADER', 0));
  assert.deepEqual([...readPcapng(head)], []);
});
