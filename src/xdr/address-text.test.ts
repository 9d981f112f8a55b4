import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { ipv6Text, parseIpv4, parseIpv6 } from './address-text.js';

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import socket'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const sixteen = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  // Zero runs, mapped and compatible IPv4 forms are where formatters differ.
  fc
    .tuple(fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0x1234), { minLength: 8, maxLength: 8 }))
    .map(([words]) => {
      const b = new Uint8Array(16);
      words.forEach((w, i) => {
        b[2 * i] = w >> 8;
        b[2 * i + 1] = w & 0xff;
      });
      return b;
    }),
);

test('IPv6 text is what glibc inet_ntop prints (python3 socket.inet_ntop as the peer)', {
  skip: hasPython() ? false : 'python3 not installed',
}, () => {
  const cases = fc.sample(sixteen, { numRuns: 2000, seed: 6343 });
  const hex = cases.map((b) => Buffer.from(b).toString('hex')).join('\n');
  const peer = execFileSync(
    'python3',
    [
      '-c',
      'import sys,socket\nfor h in sys.stdin.read().split():print(socket.inet_ntop(socket.AF_INET6,bytes.fromhex(h)))',
    ],
    { input: hex },
  )
    .toString()
    .trim()
    .split('\n');
  for (const [i, b] of cases.entries()) assert.equal(ipv6Text(b), peer[i], Buffer.from(b).toString('hex'));
});

test('IPv6 text parses back to the same bytes', () => {
  fc.assert(fc.property(sixteen, (b) => assert.deepEqual([...parseIpv6(ipv6Text(b))], [...b])));
});

test('IPv4 text parses to its four bytes, as Node writes them, and nothing else parses', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
      assert.deepEqual([...parseIpv4([...b].join('.'))], [...b]);
    }),
  );
  assert.deepEqual(
    [...parseIpv4('010.0.0.001')],
    [10, 0, 0, 1],
    'leading zeros are decimal, as inet_aton is not',
  );
  for (const bad of [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.256',
    '1..2.3',
    '.1.2.3',
    '1.2.3.',
    '1.2.3.4 ',
    'a.b.c.d',
    '1234.1.1.1',
    '::1',
  ])
    assert.throws(() => parseIpv4(bad), { name: 'TypeError', message: `not an IPv4 address: ${bad}` }, bad);
});
