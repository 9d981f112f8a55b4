/** The ACL files: the seed's names and format, whole-file replacement, and snapshots that put things back. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AclStore, checkName } from './acl-store.js';

async function withStore(f: (store: AclStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sfk-acl-store-'));
  try {
    await f(await AclStore.open(join(dir, 'policy.d')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('an ACL is a file named as the seed names it, one line per rule line, each ended by a newline', () =>
  withStore(async (store) => {
    await store.write('ddos1', ['[iptables]', '-A FORWARD -j DROP']);
    assert.equal(
      await readFile(join(store.dir, '50rest-ddos1.rules'), 'utf8'),
      '[iptables]\n-A FORWARD -j DROP\n',
    );
    assert.deepEqual(await store.read('ddos1'), ['[iptables]', '-A FORWARD -j DROP']);
    assert.equal(await store.read('none'), undefined);
    await store.write('empty', []);
    assert.deepEqual(await store.read('empty'), []);
    assert.deepEqual(
      await readdir(store.dir),
      ['50rest-ddos1.rules', '50rest-empty.rules'],
      'no temporary file left',
    );
  }));

test('list: only our files, in file order; other policy files and temporaries are left alone', () =>
  withStore(async (store) => {
    await store.write('b2', []);
    await store.write('a1', []);
    await writeFile(join(store.dir, '00control_plane.rules'), '[iptables]\n');
    await writeFile(join(store.dir, '.50rest-c3.rules.99.tmp'), '');
    await writeFile(join(store.dir, '50rest-UPPER.rules'), '');
    assert.deepEqual(await store.list(), ['a1', 'b2']);
    assert.equal(await store.remove('a1'), true);
    assert.equal(await store.remove('a1'), false);
    assert.deepEqual(await store.list(), ['b2']);
  }));

test('a snapshot puts back what was there and removes what was not', () =>
  withStore(async (store) => {
    await store.write('keep', ['# old']);
    const before = await store.snapshot(['keep', 'new']);
    await store.write('keep', ['# changed']);
    await store.write('new', ['# added']);
    await store.restore(before);
    assert.deepEqual(await store.read('keep'), ['# old']);
    assert.equal(await store.read('new'), undefined);
  }));

test("names follow the seed's pattern [a-z0-9]+, at most 64 characters", () => {
  for (const ok of ['ddos1', 'mark0', 'a'.repeat(64)]) assert.doesNotThrow(() => checkName(ok));
  for (const bad of ['', 'Ddos', 'a-b', '../x', 'a.rules', 'a'.repeat(65), 'a b'])
    assert.throws(() => checkName(bad), /is not an ACL name/, bad);
});
