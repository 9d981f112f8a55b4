/**
 * Tagged, length-prefixed elements: the records inside a sample and the samples inside a datagram. Each gets
 * a bounded view of exactly its length. A tag with no codec stays as bytes; a failure inside a sound length
 * becomes an invalid element carrying its error, and the list goes on.
 */
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import { XdrError } from '../xdr/xdr-error.js';
import type { DecodeErrorCode } from './decode-error.js';
import type { InvalidElement, UnknownRecord } from './model.js';
import { tagOf } from './records/define.js';
import type { RegistryEntry } from './registry.js';

/** Smallest encoded element: tag word and length word. */
const ELEMENT_MIN = 8;

export function invalidElement(
  r: XdrReader,
  e: unknown,
  tag: string,
  structure: string,
  start: number,
  len: number,
  path: string,
): InvalidElement {
  if (!(e instanceof XdrError)) throw e;
  return {
    name: 'invalid',
    tag,
    structure,
    bytes: r.view(start, start + len),
    error: { code: e.code as DecodeErrorCode, message: e.message, offset: e.offset, path },
  };
}

export function unknownElement(r: XdrReader, dataFormat: number, start: number, len: number): UnknownRecord {
  return { name: 'unknown', tag: tagOf(dataFormat), bytes: r.view(start, start + len) };
}

type AnyRecord = { name: string; tag: string; value?: unknown; bytes?: Uint8Array; raw?: Uint8Array };

/**
 * Decodes `flow_record<>` or `counter_record<>`. An envelope fault (count or length past the enclosing
 * sample) throws, making the whole sample invalid; `sampleIndex` only serves to name the path of an error.
 */
export function decodeRecords<R>(
  r: XdrReader,
  byFormat: Map<number, RegistryEntry>,
  sampleIndex: number,
): R[] {
  const n = r.count(ELEMENT_MIN);
  const out = new Array<R>(n);
  for (let j = 0; j < n; j++) {
    const dataFormat = r.u32();
    const len = r.length();
    const start = r.pos;
    const outer = r.enter(len);
    const entry = byFormat.get(dataFormat);
    if (entry === undefined) {
      out[j] = unknownElement(r, dataFormat, start, len) as R;
      r.abandon(outer);
      continue;
    }
    try {
      r.inexact = false;
      const value = entry.def.codec.decode(r);
      r.leave(outer);
      out[j] = (
        r.inexact
          ? { name: entry.name, tag: entry.def.tag, value, raw: r.view(start, start + len) }
          : { name: entry.name, tag: entry.def.tag, value }
      ) as R;
    } catch (e) {
      const path = `sample[${sampleIndex}]/record[${j}](${entry.def.tag})`;
      out[j] = invalidElement(r, e, entry.def.tag, entry.name, start, len, path) as R;
      r.abandon(outer);
    }
  }
  // Padding inside records is kept by the records themselves, not by the enclosing sample.
  r.inexact = false;
  return out;
}

export function dataFormatOfTag(tag: string): number {
  const colon = tag.indexOf(':');
  return ((Number(tag.slice(0, colon)) << 12) | Number(tag.slice(colon + 1))) >>> 0;
}

type Element = { name: string; tag: string; bytes?: Uint8Array; raw?: Uint8Array };

/**
 * Writes one tagged, length-prefixed element: the bytes kept by an unknown or invalid element or by one with
 * `raw`, else what `encodeBody` writes for the codec `lookup` finds by name.
 */
export function encodeElement<E extends Element, C extends { dataFormat: number }>(
  w: XdrWriter,
  element: E,
  lookup: (name: string) => C | undefined,
  encodeBody: (w: XdrWriter, codec: C, element: E) => void,
): void {
  if (element.name === 'unknown' || element.name === 'invalid') {
    w.u32(dataFormatOfTag(element.tag));
    w.opaqueUnpadded(element.bytes!);
    return;
  }
  const codec = lookup(element.name);
  if (codec === undefined) throw new RangeError(`no codec for ${element.name}`);
  w.u32(codec.dataFormat);
  if (element.raw !== undefined) {
    w.opaqueUnpadded(element.raw);
    return;
  }
  const mark = w.begin();
  encodeBody(w, codec, element);
  w.finish(mark);
}

export function encodeRecords(
  w: XdrWriter,
  records: readonly AnyRecord[],
  byName: Record<string, RegistryEntry['def']>,
): void {
  w.u32(records.length);
  for (const rec of records)
    encodeElement(
      w,
      rec,
      (n) => byName[n],
      (w, def, r) => def.codec.encode(w, r.value),
    );
}
