/** One NDJSON line per datagram (docs/json.md): the decoded datagram, or the error that rejected it. */
import { decodeDatagram } from '../sflow/datagram.js';
import { SflowDecodeError } from '../sflow/decode-error.js';
import { toJson } from '../sflow/json.js';

export interface Received {
  bytes: Uint8Array;
  /** Sender as address text, or undefined when unknown. */
  address?: string;
  port?: number;
  /** Nanoseconds since the epoch. */
  timestampNs: bigint;
}

/** ISO 8601 UTC with all nine fractional digits, so pcap nanosecond timestamps survive. */
export function isoNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

export function ndjsonLine(r: Received): { line: string; ok: boolean } {
  const head = `{"time":"${isoNs(r.timestampNs)}","source":${toJson(r.address ?? null)},"port":${r.port ?? 'null'},"size":${r.bytes.length}`;
  try {
    return { line: `${head},"datagram":${toJson(decodeDatagram(r.bytes))}}\n`, ok: true };
  } catch (e) {
    if (!(e instanceof SflowDecodeError)) throw e;
    const hex = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength).toString('hex');
    return { line: `${head},"error":${toJson(e.toJSON())},"hex":"${hex}"}\n`, ok: false };
  }
}
