/** The hot-path address text, cached or not, is exactly the text of the helpers in ../xdr/address-text.ts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ipv4Text, ipv6Text, macText, parseIpv6 } from '../xdr/address-text.js';
import { formatIpv6, formatMac, ipv4String, ipv6String, macString } from './address-strings.js';

/** IPv6 words biased to zero runs, ::ffff: and small values, where RFC 5952 text has its special cases. */
const wordArb = fc.oneof(
  fc.constant(0),
  fc.constant(0),
  fc.constant(0xffff),
  fc.integer({ min: 1, max: 0xff }),
  fc.integer({ min: 0, max: 0xffff }),
);
const ipv6Arb = fc.array(wordArb, { minLength: 8, maxLength: 8 }).map((words) => {
  const b = new Uint8Array(16);
  words.forEach((w, i) => {
    b[2 * i] = w >> 8;
    b[2 * i + 1] = w & 0xff;
  });
  return b;
});

test('formatMac and formatIpv6 give the helpers’ text', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (b) => {
      assert.equal(formatMac(b, 0), macText(b, 0));
    }),
    { numRuns: 5000 },
  );
  fc.assert(
    fc.property(ipv6Arb, (b) => {
      assert.equal(formatIpv6(b, 0), ipv6Text(b, 0));
    }),
    { numRuns: 20000 },
  );
  for (const text of [
    '::',
    '::1',
    '1::',
    '::ffff:1.2.3.4',
    '::1.2.3.4',
    '1:0:0:1::1',
    '1::2:0:0:3:4',
    '2001:db8::ff00:42:8329',
  ]) {
    const b = parseIpv6(text);
    assert.equal(formatIpv6(b, 0), ipv6Text(b, 0), text);
    assert.equal(formatIpv6(b, 0), text);
  }
});

test('cached strings are the helpers’ text on first, second and later sightings, and across collisions', () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { minLength: 1, maxLength: 50 }),
      ipv6Arb,
      (list, v6) => {
        for (let round = 0; round < 3; round++) {
          for (const b of list) {
            assert.equal(macString(b, 1), macText(b, 1));
            assert.equal(ipv4String(b, 2), ipv4Text(b, 2));
            assert.equal(ipv6String(b, 0), ipv6Text(b, 0));
          }
          assert.equal(ipv6String(v6, 0), ipv6Text(v6, 0));
        }
      },
    ),
    { numRuns: 2000 },
  );
  // Far more addresses than slots: every slot is overwritten many times.
  const b = new Uint8Array(16);
  for (let i = 0; i < 100_000; i++) {
    b[0] = i >> 16;
    b[3] = i >> 8;
    b[5] = i;
    b[15] = i;
    assert.equal(macString(b, 0), macText(b, 0));
    assert.equal(ipv4String(b, 2), ipv4Text(b, 2));
    assert.equal(ipv6String(b, 0), ipv6Text(b, 0));
  }
});
