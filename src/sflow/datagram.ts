/**
 * sample_datagram_v5 (https://sflow.org/sflow_version_5.txt): the envelope. A broken envelope rejects the
 * datagram with an SflowDecodeError; a broken sample inside a sound length becomes an invalid sample.
 */
import { XdrReader } from '../xdr/reader.js';
import { XdrWriter } from '../xdr/writer.js';
import { SflowDecodeError } from './decode-error.js';
import type { Datagram, KnownSample, Sample } from './model.js';
import { encodeElement, invalidElement, unknownElement } from './record-list.js';
import { SAMPLE_BY_FORMAT, SAMPLE_BY_NAME } from './samples.js';
import { address } from './schema.js';

const reader = new XdrReader();
const SAMPLE_MIN = 8;

/** Decodes one UDP payload. The result holds views into `bytes` (opaque fields), not copies. */
export function decodeDatagram(bytes: Uint8Array): Datagram {
  const r = reader.reset(bytes);
  let path = 'datagram';
  try {
    const version = r.u32();
    if (version !== 5) {
      const detail =
        version === 2 || version === 4
          ? `sFlow version ${version} is not supported; only version 5 is`
          : `not an sFlow v5 datagram (version word ${version})`;
      throw new SflowDecodeError('UNSUPPORTED_VERSION', 0, path, detail);
    }
    const addressAt = r.pos;
    const addressType = r.u32();
    if (addressType !== 1 && addressType !== 2) {
      throw new SflowDecodeError('BAD_ADDRESS_TYPE', addressAt, path, `agent address type ${addressType}`);
    }
    r.pos = addressAt;
    const agentAddress = address.decode(r) as string;
    const subAgentId = r.u32();
    const sequenceNumber = r.u32();
    const uptime = r.u32();
    path = 'datagram/samples';
    const n = r.count(SAMPLE_MIN);
    const samples = new Array<Sample>(n);
    for (let i = 0; i < n; i++) {
      path = `sample[${i}]`;
      const dataFormat = r.u32();
      const len = r.length();
      const start = r.pos;
      const outer = r.enter(len);
      const codec = SAMPLE_BY_FORMAT.get(dataFormat);
      if (codec === undefined) {
        samples[i] = unknownElement(r, dataFormat, start, len);
        r.abandon(outer);
        continue;
      }
      try {
        r.inexact = false;
        const sample = codec.decode(r, i);
        r.leave(outer);
        if (r.inexact) sample.raw = r.view(start, start + len);
        samples[i] = sample;
      } catch (e) {
        samples[i] = invalidElement(r, e, codec.tag, codec.name, start, len, `${path}(${codec.tag})`);
        r.abandon(outer);
      }
    }
    const d: Datagram = { version: 5, agentAddress, subAgentId, sequenceNumber, uptime, samples };
    // Bytes after the last sample are ignored by sflowtool and kept here, so the datagram re-encodes exactly.
    if (r.remaining > 0) d.trailing = r.view(r.pos, r.end);
    return d;
  } catch (e) {
    throw SflowDecodeError.from(e, path);
  }
}

const writer = new XdrWriter(2048);

/** The header fields of a datagram, and its sample count. */
function encodeHeader(w: XdrWriter, d: Omit<Datagram, 'samples'>, count: number): void {
  w.u32(5);
  address.encode(w, d.agentAddress);
  w.u32(d.subAgentId);
  w.u32(d.sequenceNumber);
  w.u32(d.uptime);
  w.u32(count);
}

function encodeSampleTo(w: XdrWriter, s: Sample): void {
  encodeElement(
    w,
    s,
    (n) => SAMPLE_BY_NAME.get(n),
    (w, codec, sample) => codec.encode(w, sample as KnownSample),
  );
}

/** Encodes a datagram; returns a fresh copy of the bytes. */
export function encodeDatagram(d: Datagram): Uint8Array {
  const w = writer.reset();
  encodeHeader(w, d, d.samples.length);
  for (const s of d.samples) encodeSampleTo(w, s);
  if (d.trailing !== undefined) w.raw(d.trailing);
  return w.toBytes();
}

/**
 * One sample as it stands in a datagram (its format, length and body), appended to `w`: for an agent that packs
 * datagrams itself (src/agent/exporter.ts), with assembleDatagram.
 */
export function encodeSampleInto(w: XdrWriter, s: Sample): void {
  encodeSampleTo(w, s);
}

/** A datagram of `count` samples already encoded, back to back, in `samples`. */
export function assembleDatagram(
  header: Omit<Datagram, 'samples'>,
  samples: Uint8Array,
  count: number,
): Uint8Array {
  const w = writer.reset();
  encodeHeader(w, header, count);
  w.raw(samples);
  return w.toBytes();
}
