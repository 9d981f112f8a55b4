/**
 * Access to the conformance corpus (../shared/corpus, or SFLOWKIT_CORPUS): real captures and sflowtool 6.11's
 * output for each. The corpus is read in place, never copied into the project.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CORPUS = resolve(process.env.SFLOWKIT_CORPUS ?? '../shared/corpus');
export const HAS_CORPUS = existsSync(join(CORPUS, 'pcap'));
/** For `test(name, { skip: NO_CORPUS }, …)`: false, or the reason the test cannot run. */
export const NO_CORPUS: string | false = HAS_CORPUS
  ? false
  : `corpus not found at ${CORPUS}: set SFLOWKIT_CORPUS to the conformance corpus directory`;

/** Capture names (without .pcap) in the corpus. */
export function corpusCaptures(): string[] {
  if (!HAS_CORPUS) return [];
  return readdirSync(join(CORPUS, 'pcap'))
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => f.slice(0, -'.pcap'.length))
    .sort();
}

export function corpusPcap(name: string): Uint8Array {
  return readFileSync(join(CORPUS, 'pcap', `${name}.pcap`));
}

/** expected/NAME.SUFFIX, e.g. expected('hsflowd', 'sflowtool.txt'). */
export function expected(name: string, suffix: string): string {
  return readFileSync(join(CORPUS, 'expected', `${name}.${suffix}`), 'latin1');
}
