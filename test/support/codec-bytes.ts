/** One structure's bytes, for tests of a single codec outside a datagram. */
import assert from 'node:assert/strict';
import type { Codec } from '../../src/sflow/schema.js';
import { XdrReader } from '../../src/xdr/reader.js';
import { XdrWriter } from '../../src/xdr/writer.js';

export function encodeValue<T>(codec: Codec<T>, v: T): Uint8Array {
  const w = new XdrWriter();
  codec.encode(w, v);
  return w.toBytes();
}

/** Decodes and checks that every byte was read. */
export function decodeValue<T>(codec: Codec<T>, bytes: Uint8Array): T {
  const r = new XdrReader(bytes);
  const v = codec.decode(r);
  assert.equal(r.remaining, 0, 'every byte read');
  return v;
}
