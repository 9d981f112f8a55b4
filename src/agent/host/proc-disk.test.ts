import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KnownCounterRecord } from '../../sflow/model.js';
import { assertBracketed, assertNear, missing, retried, run } from './outside-tools.test-util.js';
import { diskIo, readHostDiskIo } from './proc-disk.js';

function disk(r: KnownCounterRecord | undefined) {
  assert.ok(r?.name === 'host_disk_io');
  return r.value;
}

/** df's figures for the read-write filesystems on /dev/ block devices, one per device (df elides repeats). */
function df(): { size: number; avail: number; maxUsed: number } {
  const rw = new Set<string>();
  for (const line of run('findmnt', ['-rn', '-o', 'SOURCE,OPTIONS']).trim().split('\n')) {
    const [source, options] = line.split(' ');
    if (!options.split(',').includes('ro')) rw.add(source.replace(/\[.*\]$/, ''));
  }
  const out = { size: 0, avail: 0, maxUsed: -1 };
  const seen = new Set<string>();
  for (const line of run('df', ['-B1', '--output=source,size,avail']).trim().split('\n').slice(1)) {
    const [source, size, avail] = line.trim().split(/\s+/);
    if (!source.startsWith('/dev/') || !rw.has(source) || seen.has(source) || Number(size) === 0) continue;
    seen.add(source);
    out.size += Number(size);
    out.avail += Number(avail);
    out.maxUsed = Math.max(out.maxUsed, Math.floor(((Number(size) - Number(avail)) * 10_000) / Number(size)));
  }
  return out;
}

/** `vmstat -d` totals over the disks lsblk puts on a bus (virtual ones sit on the block subsystem only). */
function vmstatDisks(): number[] {
  const physical = new Set(
    run('lsblk', ['-d', '-n', '-o', 'NAME,SUBSYSTEMS'])
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter(([, subsystems]) => subsystems !== undefined && subsystems !== 'block')
      .map(([name]) => name),
  );
  const sums = [0, 0, 0, 0, 0, 0, 0, 0];
  for (const line of run('vmstat', ['-d']).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 9 || !physical.has(f[0])) continue;
    for (let i = 0; i < 8; i++) sums[i] += Number(f[i + 1]);
  }
  return sums;
}

test('host_disk_io space agrees with df -B1', { skip: missing('df', 'findmnt') }, () =>
  retried(3, async () => {
    const a = df();
    const d = disk(await readHostDiskIo('/'));
    const b = df();
    assert.ok(a.size > 0, 'no local read-write filesystem here');
    assert.equal(d.diskTotal, BigInt(a.size));
    // Free space is a gauge others write into: allow what moved between the two df runs plus 16 MiB.
    assertNear('diskFree', a.avail, Number(d.diskFree), b.avail, Math.abs(b.avail - a.avail) + 16 * 2 ** 20);
    assertNear('partMaxUsed', a.maxUsed, d.partMaxUsed, b.maxUsed, 1);
  }),
);

test('host_disk_io I/O lies between two runs of vmstat -d', {
  skip: missing('vmstat', 'lsblk'),
}, async () => {
  const a = vmstatDisks();
  const d = disk(await readHostDiskIo('/'));
  const b = vmstatDisks();
  // vmstat -d: reads total, merged, sectors, ms; writes total, merged, sectors, ms.
  assertBracketed('reads', a[0], d.reads, b[0]);
  assertBracketed('bytesRead', a[2] * 512, d.bytesRead, b[2] * 512, 64);
  assertBracketed('readTime', a[3], d.readTime, b[3]);
  assertBracketed('writes', a[4], d.writes, b[4]);
  assertBracketed('bytesWritten', a[6] * 512, d.bytesWritten, b[6] * 512, 64);
  assertBracketed('writeTime', a[7], d.writeTime, b[7]);
});

test('diskstats: only the listed disks count, sectors are 512 bytes, u32 counters wrap', () => {
  const stats = [
    '   8       0 sda 4294967297 0 10 3 2 0 4 5 0 0 0',
    '   8       1 sda1 100 0 10 3 2 0 4 5 0 0 0',
    '   7       0 loop0 100 0 10 3 2 0 4 5 0 0 0',
  ].join('\n');
  assert.deepEqual(diskIo(stats, new Set(['sda'])), {
    reads: 1,
    bytesRead: 5120n,
    readTime: 3,
    writes: 2,
    bytesWritten: 2048n,
    writeTime: 5,
  });
  assert.equal(diskIo(stats, undefined).reads, 0);
});
