/** sflowtool's command line as `sflowkit decode` reads it: getopt's ways of giving options, and its lists. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDecodeOptions, UsageError } from './decode-options.js';

test('short options cluster and take their value attached or as the next word', () => {
  const a = parseDecodeOptions(['-lp6344']);
  assert.deepEqual([a.format, a.port], [{ kind: 'line' }, 6344]);
  const b = parseDecodeOptions(['-p', '6345', '-r', 'x.pcap', '-k', '-D']);
  assert.deepEqual([b.port, b.file, b.format], [6345, 'x.pcap', undefined]);
  assert.deepEqual(parseDecodeOptions(['-r-']).file, '-');
});

test('long options, with = or the next word, and the last format given wins', () => {
  const o = parseDecodeOptions([
    '--port=7000',
    '--line',
    '--json-indented',
    '--forwarding-target',
    '::1/6343',
  ]);
  assert.deepEqual([o.port, o.format, o.forward], [7000, { kind: 'json', indent: true }, ['::1/6343']]);
  assert.deepEqual(parseDecodeOptions(['-J', '-j']).format, { kind: 'json', indent: false });
  assert.deepEqual(parseDecodeOptions(['-L', 'srcIP,dstIP agent']).format, {
    kind: 'fields',
    fields: ['srcIP', 'dstIP', 'agent'],
  });
});

test("sflowtool's old spellings: +v is -V, +4 is -A", () => {
  const o = parseDecodeOptions(['+v', '10', '+4']);
  assert.equal(o.listen, 'both');
  assert.equal(o.vlans?.[10], 1);
  assert.equal(o.vlans?.[11], 0);
});

test('VLAN lists: ranges, numbers as strtol reads them, include and exclude', () => {
  const inc = parseDecodeOptions(['-V', '0-2,0x10 010']).vlans as Uint8Array;
  assert.deepEqual(
    [0, 1, 2, 3, 8, 10, 16].map((v) => inc[v]),
    [1, 1, 1, 0, 1, 0, 1],
  );
  const exc = parseDecodeOptions(['-v', '5-6']).vlans as Uint8Array;
  assert.deepEqual(
    [4, 5, 6, 7].map((v) => exc[v]),
    [1, 0, 0, 1],
  );
  for (const bad of ['', ',', '1-x', '4097', 'ten'])
    assert.throws(() => parseDecodeOptions(['-V', bad]), UsageError, bad);
});

test('refused and unknown options say which and why', () => {
  assert.throws(() => parseDecodeOptions(['-c', '10.0.0.1']), /-c \(NetFlow export\) is not supported/);
  assert.throws(() => parseDecodeOptions(['--netflow-version=9']), /NetFlow export/);
  assert.throws(() => parseDecodeOptions(['-lQ']), /unknown option -Q/);
  assert.throws(() => parseDecodeOptions(['--nope']), /unknown option --nope/);
  assert.throws(() => parseDecodeOptions(['-p']), /-p needs a value/);
  assert.throws(() => parseDecodeOptions(['-p', '70000']), /bad UDP port/);
  assert.throws(() => parseDecodeOptions(['--line=1']), /takes no value/);
  assert.throws(() => parseDecodeOptions(['stray']), /unexpected argument/);
});
