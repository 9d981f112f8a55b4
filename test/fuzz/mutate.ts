/**
 * Fuzzing the datagram decoder: seeds are corpus and generated datagrams; mutations are bit flips, truncation,
 * extreme values written into the length and count words the decoder reads, random word overwrites and splices.
 * The invariant: decoding throws nothing but SflowDecodeError, stays fast, and whatever decodes re-encodes to
 * the same bytes.
 */
import fc from 'fast-check';
import { decodeDatagram, encodeDatagram, SflowDecodeError } from '../../src/sflow/index.js';
import { XdrReader } from '../../src/xdr/reader.js';
import { corpusCaptures, HAS_CORPUS } from '../support/corpus.js';
import { corpusDatagrams } from '../support/datagrams.js';
import {
  ANY_COUNTER_RECORD,
  ANY_FLOW_RECORD,
  countersSampleOf,
  datagramOf,
  discardSampleOf,
  flowSampleOf,
} from '../support/sflow-arbitrary.js';

export interface Seed {
  bytes: Uint8Array;
  /** Offsets of the length and count words a clean decode reads: the fields worth pushing to extremes. */
  sizeWords: number[];
}

/** Decodes `bytes` once, noting where the reader took lengths and counts. */
function sizeWordsOf(bytes: Uint8Array): number[] {
  const proto = XdrReader.prototype;
  const { length, count } = proto;
  const seen: number[] = [];
  proto.length = function (this: XdrReader) {
    seen.push(this.pos);
    return length.call(this);
  };
  proto.count = function (this: XdrReader, min: number) {
    seen.push(this.pos);
    return count.call(this, min);
  };
  try {
    decodeDatagram(bytes);
  } catch {
    // A seed that does not decode still gives the words read before the failure.
  } finally {
    proto.length = length;
    proto.count = count;
  }
  return seen;
}

export function seeds(generated: number, rng = 42): Seed[] {
  const out: Uint8Array[] = [];
  if (HAS_CORPUS) for (const name of corpusCaptures()) out.push(...corpusDatagrams(name));
  const sample = fc.oneof(
    flowSampleOf(ANY_FLOW_RECORD),
    countersSampleOf(ANY_COUNTER_RECORD),
    discardSampleOf(ANY_FLOW_RECORD),
  );
  for (const d of fc.sample(datagramOf(sample), { numRuns: generated, seed: rng }))
    out.push(encodeDatagram(d));
  return out.map((bytes) => ({ bytes, sizeWords: sizeWordsOf(bytes) }));
}

const EXTREMES = [0, 1, 2, 3, 4, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff];

/** A seeded PRNG (mulberry32), so a failing case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mutate(seed: Seed, other: Seed, rand: () => number): Uint8Array {
  const b = Buffer.from(seed.bytes);
  const pick = (n: number) => Math.floor(rand() * n);
  switch (pick(5)) {
    case 0: {
      const flips = 1 + pick(8);
      for (let i = 0; i < flips && b.length > 0; i++) b[pick(b.length)] ^= 1 << pick(8);
      return b;
    }
    case 1:
      return b.subarray(0, pick(b.length + 1));
    case 2: {
      if (seed.sizeWords.length === 0) return b;
      const at = seed.sizeWords[pick(seed.sizeWords.length)];
      if (at + 4 > b.length) return b;
      const old = b.readUInt32BE(at);
      const choices = [...EXTREMES, old + 1, old - 1, old + 4, old - 4, b.length - at, b.length];
      b.writeUInt32BE(choices[pick(choices.length)] >>> 0, at);
      return b;
    }
    case 3: {
      if (b.length < 4) return b;
      const at = pick(b.length >>> 2) << 2;
      b.writeUInt32BE(rand() < 0.5 ? EXTREMES[pick(EXTREMES.length)] : pick(0x100000000), at);
      return b;
    }
    default: {
      const cut = pick(b.length + 1);
      const from = pick(other.bytes.length + 1);
      return Buffer.concat([b.subarray(0, cut), other.bytes.subarray(from)]);
    }
  }
}

export interface Outcome {
  decoded: boolean;
  ms: number;
  failure?: string;
}

/** Runs one case; a failure is any exception but SflowDecodeError, or a decode that does not re-encode. */
export function runCase(bytes: Uint8Array): Outcome {
  const t0 = performance.now();
  try {
    const d = decodeDatagram(bytes);
    const ms = performance.now() - t0;
    const again = encodeDatagram(d);
    if (Buffer.compare(Buffer.from(again), Buffer.from(bytes)) !== 0) {
      return { decoded: true, ms, failure: 'decoded but did not re-encode to the same bytes' };
    }
    return { decoded: true, ms };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof SflowDecodeError) return { decoded: false, ms };
    return { decoded: false, ms, failure: `threw ${(e as Error)?.stack ?? e}` };
  }
}
