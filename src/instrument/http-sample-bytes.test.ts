import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeSampleInto } from '../sflow/datagram.js';
import { XdrWriter } from '../xdr/writer.js';
import { type HttpRequestFields, type SampleHead, writeHttpSample } from './http-sample-bytes.js';
import { type ClientSocket, transactionSample } from './transaction-sample.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6().filter((a) => !a.includes('.'));
const text = (max: number) =>
  fc.string({ unit: 'binary', maxLength: max }).filter((s) => Buffer.byteLength(s) <= max);

const head: fc.Arbitrary<SampleHead> = fc.record({
  sequenceNumber: u32,
  dataSource: fc.integer({ min: 0, max: 0xffffff }),
  samplingRate: u32,
  samplePool: u32,
});
const socket: fc.Arbitrary<ClientSocket> = fc.oneof(
  fc.record({ localIp: ipv4, remoteIp: ipv4, localPort: fc.nat(65535), remotePort: fc.nat(65535) }),
  fc.record({ localIp: ipv6, remoteIp: ipv6, localPort: fc.nat(65535), remotePort: fc.nat(65535) }),
);
const fields: fc.Arbitrary<HttpRequestFields> = fc.record({
  method: fc.nat(8),
  protocol: fc.constantFrom(1000, 1001, 2000),
  uri: text(255),
  host: text(64),
  referer: text(255),
  useragent: text(128),
  xff: text(64),
  authuser: text(32),
  mimeType: text(64),
  reqBytes: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  respBytes: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  uS: u32,
  status: fc.integer({ min: -1, max: 999 }),
});

test('an HTTP sample written straight is byte for byte the codec’s encoding of transactionSample()', () => {
  fc.assert(
    fc.property(head, socket, fields, (h, s, f) => {
      const ours = new XdrWriter(16);
      writeHttpSample(ours, h, s, f);
      const codec = new XdrWriter(16);
      encodeSampleInto(
        codec,
        transactionSample({
          ...h,
          socket: s,
          record: {
            name: 'http_request',
            tag: '0:2206',
            value: { ...f, reqBytes: BigInt(f.reqBytes), respBytes: BigInt(f.respBytes) },
          },
        }),
      );
      assert.deepEqual(ours.toBytes(), codec.toBytes());
    }),
    { numRuns: 300 },
  );
});
