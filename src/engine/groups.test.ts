/**
 * Address groups: longest prefix wins across groups, IPv4 and IPv6, the first group naming a block keeps it,
 * host bits ignored, sets redefined and replaced (all or nothing), and the errors for bad definitions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Groups } from './groups.js';
import { SpecError } from './spec-error.js';

function site(): Groups {
  const g = new Groups();
  g.set('site', {
    external: ['0.0.0.0/0', '::/0'],
    private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
    lab: ['10.20.0.0/16', '10.20.30.0/24'],
    router: ['10.20.30.1', 'fd00::1'],
  });
  return g;
}

test('the group with the longest prefix holding the address is found', () => {
  const g = site();
  const cases: [string, string | undefined][] = [
    ['8.8.8.8', 'external'],
    ['10.1.1.1', 'private'],
    ['10.20.1.1', 'lab'],
    ['10.20.30.7', 'lab'],
    ['10.20.30.1', 'router'],
    ['172.31.255.255', 'private'],
    ['172.32.0.0', 'external'],
    ['2001:db8::1', 'external'],
    ['fd12::5', 'private'],
    ['fd00::1', 'router'],
    ['fd00::0:1', 'router'],
    ['not an address', undefined],
    ['10.1.1', undefined],
    ['10.1.1.256', undefined],
  ];
  // Twice: the second time from the cache.
  for (let round = 0; round < 2; round++)
    for (const [address, want] of cases) assert.equal(g.lookup('site', address), want, address);
  assert.equal(g.lookup('nosuchset', '10.1.1.1'), undefined);
});

test('an address in no group has none; host bits of a block are ignored; the first group keeps a block', () => {
  const g = new Groups();
  g.set('s', { a: ['10.1.2.3/8'], b: ['10.0.0.0/8', '192.0.2.0/24'], c: ['2001:db8::1/32'] });
  assert.equal(g.lookup('s', '10.200.0.1'), 'a');
  assert.equal(g.lookup('s', '192.0.2.9'), 'b');
  assert.equal(g.lookup('s', '192.0.3.9'), undefined);
  assert.equal(g.lookup('s', '2001:db8:ffff::1'), 'c');
  assert.equal(g.lookup('s', '2001:db9::1'), undefined);
});

test('a redefined set answers from its new definition; get, all and delete', () => {
  const g = site();
  assert.equal(g.lookup('site', '10.1.1.1'), 'private');
  g.set('site', { inside: ['10.1.0.0/16'] });
  assert.equal(g.lookup('site', '10.1.1.1'), 'inside');
  assert.equal(g.lookup('site', '8.8.8.8'), undefined);
  g.set('other', { x: ['192.0.2.0/24'] });
  assert.deepEqual(g.get('site'), { inside: ['10.1.0.0/16'] });
  assert.deepEqual(Object.keys(g.all()).sort(), ['other', 'site']);
  assert.equal(g.delete('site'), true);
  assert.equal(g.delete('site'), false);
  assert.equal(g.get('site'), undefined);
  assert.equal(g.lookup('site', '10.1.1.1'), undefined);
});

test('replace swaps every set, or none when one is wrong', () => {
  const g = site();
  g.replace({ a: { x: ['10.0.0.0/8'] }, b: { y: ['::/0'] } });
  assert.deepEqual(Object.keys(g.all()).sort(), ['a', 'b']);
  assert.equal(g.lookup('a', '10.9.9.9'), 'x');
  assert.throws(() => g.replace({ c: { z: ['10.0.0.0/8'] }, d: { w: ['10.0.0.0/33'] } }), SpecError);
  assert.deepEqual(Object.keys(g.all()).sort(), ['a', 'b']);
  assert.throws(() => g.replace([]), /object of sets/);
});

test('bad definitions are refused, naming the set, the group and the block', () => {
  const g = new Groups();
  const bad: [unknown, RegExp][] = [
    [{ lan: ['10.0.0.0/33'] }, /group 'lan' of set 's': '10\.0\.0\.0\/33': bad prefix length/],
    [{ lan: ['10.0.0/8'] }, /group 'lan' of set 's': '10\.0\.0\/8' is not an address block/],
    [{ lan: ['fd00::/129'] }, /bad prefix length/],
    [{ lan: '10.0.0.0/8' }, /group 'lan' of set 's' must be a list of address blocks/],
    [{ lan: [8] }, /group 'lan' of set 's': 8 is not text/],
    [{ '': ['10.0.0.0/8'] }, /set 's' has a group with an empty name/],
    [['10.0.0.0/8'], /group set 's' must map group names to address blocks/],
    [null, /must map group names/],
  ];
  for (const [definition, message] of bad) {
    assert.throws(
      () => g.set('s', definition),
      (e: unknown) => e instanceof SpecError && message.test(e.message),
      String(message),
    );
  }
  assert.throws(() => g.set('', {}), /needs a name/);
  assert.deepEqual(g.all(), {});
});
