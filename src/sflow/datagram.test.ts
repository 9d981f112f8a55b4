import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDatagram, encodeDatagram } from './datagram.js';
import { SflowDecodeError } from './decode-error.js';
import type { Datagram, FlowSample } from './model.js';

function flowSample(records: FlowSample['records']): FlowSample {
  return {
    name: 'flow_sample',
    tag: '0:1',
    sequenceNumber: 1,
    sourceIdType: 0,
    sourceIdIndex: 5,
    samplingRate: 1000,
    samplePool: 2000,
    drops: 0,
    inputFormat: 0,
    inputValue: 5,
    outputFormat: 2,
    outputValue: 3,
    records,
  };
}

const SWITCH = {
  name: 'extended_switch',
  tag: '0:1001',
  value: { srcVlan: 1, srcPriority: 2, dstVlan: 3, dstPriority: 4 },
} as const;

function datagram(
  agentAddress = '192.0.2.1',
  samples = [flowSample([SWITCH]), flowSample([SWITCH, SWITCH])],
): Datagram {
  return { version: 5, agentAddress, subAgentId: 7, sequenceNumber: 9, uptime: 11, samples };
}

function rejects(bytes: Uint8Array, code: string, path: RegExp): SflowDecodeError {
  let caught: unknown;
  try {
    decodeDatagram(bytes);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof SflowDecodeError, `expected ${code}, got ${caught}`);
  assert.equal(caught.code, code);
  assert.match(caught.path, path);
  return caught;
}

test('IPv4 and IPv6 agent addresses', () => {
  assert.equal(decodeDatagram(encodeDatagram(datagram())).agentAddress, '192.0.2.1');
  assert.equal(decodeDatagram(encodeDatagram(datagram('2001:db8::1'))).agentAddress, '2001:db8::1');
});

test('versions 2 and 4 are named as unsupported; other words are not sFlow', () => {
  for (const version of [2, 4, 6]) {
    const b = Buffer.from(encodeDatagram(datagram()));
    b.writeUInt32BE(version, 0);
    const e = rejects(b, 'UNSUPPORTED_VERSION', /^datagram$/);
    assert.match(
      e.message,
      version === 6 ? /not an sFlow v5 datagram/ : new RegExp(`version ${version} is not supported`),
    );
  }
});

test('an agent address type other than 1 or 2 rejects the datagram', () => {
  const b = Buffer.from(encodeDatagram(datagram()));
  b.writeUInt32BE(3, 4);
  assert.equal(rejects(b, 'BAD_ADDRESS_TYPE', /^datagram$/).offset, 4);
});

test('a sample count the datagram cannot hold is refused', () => {
  const b = Buffer.from(encodeDatagram(datagram()));
  b.writeUInt32BE(0x7fffffff, 24);
  rejects(b, 'COUNT_TOO_LARGE', /samples/);
});

test('a sample length past the datagram rejects it with the sample path', () => {
  const b = Buffer.from(encodeDatagram(datagram()));
  b.writeUInt32BE(0xffff, 32);
  assert.equal(rejects(b, 'LENGTH_OVERRUN', /^sample\[0\]$/).offset, 32);
});

test('a broken record inside a sound sample is invalid, keeps its bytes, and the rest decodes', () => {
  // One compact flow sample with two extended_switch records. Offsets: datagram header 28 bytes; sample tag 28,
  // length 32, body 36 (7 words), record count 64, record 0 at 68, record 1 tag 92, length 96, value 100..116.
  const b = Buffer.from(encodeDatagram(datagram('192.0.2.1', [flowSample([SWITCH, SWITCH])])));
  assert.equal(b.length, 116);
  b.writeUInt32BE(12, 96);
  b.writeUInt32BE(b.readUInt32BE(32) - 4, 32);
  const cut = b.subarray(0, 112);
  const out = decodeDatagram(cut);
  const [first, second] = (out.samples[0] as FlowSample).records;
  assert.equal(first.name, 'extended_switch');
  assert.equal(second.name, 'invalid');
  assert.ok(second.name === 'invalid');
  assert.deepEqual(second.error, {
    code: 'TRUNCATED',
    message: 'premature end of data: need 4 bytes, 0 left',
    offset: 112,
    path: 'sample[0]/record[1](0:1001)',
  });
  assert.equal(second.bytes.length, 12);
  assert.deepEqual(Buffer.from(encodeDatagram(out)), cut);
});

test('bytes after the last sample are kept', () => {
  const b = Buffer.concat([Buffer.from(encodeDatagram(datagram())), Buffer.alloc(8, 1)]);
  const d = decodeDatagram(b);
  assert.equal(d.trailing?.length, 8);
  assert.deepEqual(Buffer.from(encodeDatagram(d)), b);
});
