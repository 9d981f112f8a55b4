import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { APP_ID, hostUuid, readHostDescr } from './host-descr.js';
import { has, missing, run } from './outside-tools.test-util.js';

/** uname -m → machine_type (records/host.ts MACHINE_TYPES). */
const MACHINE: Record<string, number> = {
  x86_64: 3,
  i686: 2,
  i386: 2,
  aarch64: 10,
  armv7l: 10,
  ppc64le: 7,
  s390x: 12,
};

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function readable(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

test('host_descr agrees with hostname and uname', { skip: missing('hostname', 'uname') }, async () => {
  const r = await readHostDescr('/');
  assert.ok(r.name === 'host_descr');
  assert.equal(r.value.hostname, run('hostname').trim());
  assert.equal(r.value.osRelease, run('uname', ['-r']).trim().slice(0, 32));
  assert.equal(r.value.machineType, MACHINE[run('uname', ['-m']).trim()] ?? r.value.machineType);
  assert.equal(r.value.osName, 2);
});

test('the UUID is the SMBIOS one, else the machine ID hashed as systemd-id128 hashes it', async (t) => {
  const r = await readHostDescr('/');
  assert.ok(r.name === 'host_descr');
  const smbios = readable('/sys/class/dmi/id/product_uuid');
  if (smbios !== undefined && has('dmidecode')) {
    assert.equal(
      hex(r.value.uuid),
      run('dmidecode', ['-s', 'system-uuid']).trim().replaceAll('-', '').toLowerCase(),
    );
  } else if (smbios === undefined && readable('/etc/machine-id') !== undefined && has('systemd-id128')) {
    const expected = run('systemd-id128', ['machine-id', `--app-specific=${APP_ID}`]).trim();
    assert.equal(hex(r.value.uuid), expected);
  } else {
    t.diagnostic('neither dmidecode nor systemd-id128 can check the UUID here');
  }
  assert.notEqual(hex(r.value.uuid), '0'.repeat(32));
});

test('UUID fallbacks: unset firmware UUIDs are skipped, nothing at all gives the nil UUID', () => {
  const mid = '3d1219c7c4c5404aaa1f6d2a48adfda4';
  const derived = hostUuid(undefined, `${mid}\n`);
  assert.equal(derived[6] >> 4, 4, 'a version 4 UUID');
  assert.equal(derived[8] >> 6, 2, 'the RFC 4122 variant');
  assert.deepEqual(hostUuid('00000000-0000-0000-0000-000000000000\n', mid), derived);
  assert.deepEqual(hostUuid('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', mid), derived);
  assert.equal(
    hex(hostUuid('4C4C4544-0042-3510-8051-B4C04F4E3232\n', mid)),
    '4c4c4544004235108051b4c04f4e3232',
  );
  assert.deepEqual(hostUuid(undefined, 'not an id'), new Uint8Array(16));
});
