/**
 * The drop-in promise: for every corpus capture, `sflowkit decode -r` prints byte for byte what sflowtool 6.11
 * printed (expected/*): the default text, -l, -g, -J and, where the corpus has it, -H, and on stderr the same
 * messages about damaged datagrams. The real command runs, with TZ=UTC as the corpus was made.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CORPUS, corpusCaptures, NO_CORPUS } from '../support/corpus.js';

const run = promisify(execFile);
const MAIN = 'dist/src/cli/main.js';

const FORMATS: readonly [option: string | undefined, file: string][] = [
  [undefined, 'sflowtool.txt'],
  ['-l', 'sflowtool-l.csv'],
  ['-g', 'sflowtool-g.txt'],
  ['-J', 'sflowtool.json'],
  ['-H', 'sflowtool-H.txt'],
];

/** Where two outputs part: the line, and which datagram (counted by its first line) it is in. */
function firstDifference(ours: string, theirs: string): string {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const datagram = b.slice(0, i + 1).filter((l) => /startDatagram|^\{$|^FLOW|^CNTR/.test(l)).length;
  return `line ${i + 1} (datagram ~${datagram}):\n  ours:      ${a[i]}\n  sflowtool: ${b[i]}`;
}

for (const name of corpusCaptures()) {
  test(`sflowkit decode prints what sflowtool printed: ${name}`, { skip: NO_CORPUS }, async (t) => {
    let compared = 0;
    for (const [option, file] of FORMATS) {
      const expectedPath = join(CORPUS, 'expected', `${name}.${file}`);
      if (!existsSync(expectedPath)) continue;
      const args = [MAIN, 'decode', '-r', join(CORPUS, 'pcap', `${name}.pcap`), ...(option ? [option] : [])];
      const { stdout, stderr } = await run(process.execPath, args, {
        env: { ...process.env, TZ: 'UTC' },
        maxBuffer: 1 << 28,
        encoding: 'latin1',
      });
      const expected = readFileSync(expectedPath, 'latin1');
      if (stdout !== expected) assert.fail(`${option ?? 'text'}: ${firstDifference(stdout, expected)}`);
      if (option === undefined) {
        // sflowtool's messages about damaged datagrams too; we do not print its first line, the pcap header.
        const messages = readFileSync(join(CORPUS, 'expected', `${name}.sflowtool.stderr`), 'latin1');
        assert.equal(stderr, messages.slice(messages.indexOf('\n') + 1), 'stderr');
      }
      compared += expected.length;
    }
    t.diagnostic(`${compared} bytes identical`);
    assert.ok(compared > 0);
  });
}
