/**
 * The flow sample of one HTTP transaction, written straight into XDR: the bytes the codec makes of
 * transactionSample() with the same fields (a test holds the two equal), without the object graph and the
 * schema walk between. Why (docs/benchmarks.md): a server samples too rarely for the codec's general path to be
 * optimised, and that path, run cold a few hundred times a second, was most of what the instrumentation cost.
 */
import { FLOW_RECORDS } from '../sflow/registry.js';
import { parseIpv4, parseIpv6 } from '../xdr/address-text.js';
import type { XdrWriter } from '../xdr/writer.js';
import type { ClientSocket } from './transaction-sample.js';

/** The http_request record (0:2206) as a sampled request fills it; byte counts as numbers (below 2^53). */
export interface HttpRequestFields {
  method: number;
  protocol: number;
  uri: string;
  host: string;
  referer: string;
  useragent: string;
  xff: string;
  authuser: string;
  mimeType: string;
  reqBytes: number;
  respBytes: number;
  uS: number;
  status: number;
}

/** Where the sample comes from and how it was chosen. */
export interface SampleHead {
  sequenceNumber: number;
  dataSource: number;
  samplingRate: number;
  samplePool: number;
}

const FLOW_SAMPLE = 1;
const SOCKET_IPV4 = FLOW_RECORDS.extended_socket_ipv4.dataFormat;
const SOCKET_IPV6 = FLOW_RECORDS.extended_socket_ipv6.dataFormat;
const HTTP_REQUEST = FLOW_RECORDS.http_request.dataFormat;
/** The output of a transaction the server answered itself. */
const INTERNAL = 0x3fffffff;
const TCP = 6;
const TWO_32 = 2 ** 32;

/** Appends one flow sample (format, length and body) of a transaction on `socket` to `w`. */
export function writeHttpSample(
  w: XdrWriter,
  head: SampleHead,
  socket: ClientSocket,
  f: HttpRequestFields,
): void {
  w.u32(FLOW_SAMPLE);
  const sample = w.begin();
  w.u32(head.sequenceNumber);
  w.u32(((3 << 24) | head.dataSource) >>> 0);
  w.u32(head.samplingRate);
  w.u32(head.samplePool);
  w.u32(0); // drops
  w.u32(0); // input: unknown
  w.u32(INTERNAL);
  w.u32(2); // records
  writeSocket(w, socket);
  w.u32(HTTP_REQUEST);
  const record = w.begin();
  w.u32(f.method);
  w.u32(f.protocol);
  w.string(f.uri);
  w.string(f.host);
  w.string(f.referer);
  w.string(f.useragent);
  w.string(f.xff);
  w.string(f.authuser);
  w.string(f.mimeType);
  hyper(w, f.reqBytes);
  hyper(w, f.respBytes);
  w.u32(f.uS);
  w.i32(f.status);
  w.finish(record);
  w.finish(sample);
}

/** extended_socket_ipv4 or _ipv6, by the local address's family. */
function writeSocket(w: XdrWriter, s: ClientSocket): void {
  const v6 = s.localIp.includes(':');
  w.u32(v6 ? SOCKET_IPV6 : SOCKET_IPV4);
  const record = w.begin();
  w.u32(TCP);
  if (v6) {
    w.fixed(parseIpv6(s.localIp), 16);
    w.fixed(parseIpv6(s.remoteIp), 16);
  } else {
    w.fixed(parseIpv4(s.localIp), 4);
    w.fixed(parseIpv4(s.remoteIp), 4);
  }
  w.u32(s.localPort);
  w.u32(s.remotePort);
  w.finish(record);
}

/** An unsigned hyper from a number: two words, no BigInt. */
function hyper(w: XdrWriter, v: number): void {
  w.u32(Math.floor(v / TWO_32) >>> 0);
  w.u32(v >>> 0);
}
