/** The published settings round-trip, and a file caught between revisions (or missing) reads as none. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type AutoSettings, autoText, readAutoFile, writeAutoFile } from './auto-file.js';

const settings: AutoSettings = {
  revision: 3,
  hostname: 'web1',
  agentAddress: '10.0.0.5',
  agentDevice: 'eth0',
  polling: 20,
  sampling: 400,
  samplingBy: { http: 100, memcache: 50, 'app.shop': 10 },
  headerBytes: 128,
  datagramBytes: 1400,
  collectors: [
    { address: '10.0.0.1', port: 6343 },
    { address: 'fd00::1', port: 6344 },
  ],
};

test('what is written reads back the same', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sflowkit-auto-')), 'hsflowd.auto');
  await writeAutoFile(file, settings);
  assert.deepEqual(readAutoFile(file), settings);
});

test("hsflowd's own lines are read; a half-written or missing file is none", () => {
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-auto-'));
  const torn = join(dir, 'torn');
  writeFileSync(torn, autoText(settings).replace('rev_end=3', 'rev_end=2'));
  assert.equal(readAutoFile(torn), undefined);
  assert.equal(readAutoFile(join(dir, 'missing')), undefined);
  const hsflowd = join(dir, 'hsflowd.auto');
  writeFileSync(
    hsflowd,
    'rev_start=1\nhostname=h\nsampling=400\npolling=30\nagentIP=192.0.2.1\ncollector=192.0.2.9\nrev_end=1\n',
  );
  const read = readAutoFile(hsflowd);
  assert.deepEqual(read?.collectors, [{ address: '192.0.2.9', port: 6343 }]);
  assert.equal(read?.polling, 30);
});
