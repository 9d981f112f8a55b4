/**
 * Just enough of the DNS message format (RFC 1035 §4, SRV RFC 2782, TXT RFC 1035 §3.3.14) to ask for the
 * SRV and TXT records of `_sflow._udp.<domain>` and read them with their TTLs — node:dns returns SRV and TXT
 * records without TTLs, and the TTL is what tells the agent when to ask again.
 */

export const TYPE = { A: 1, CNAME: 5, TXT: 16, AAAA: 28, SRV: 33, OPT: 41 } as const;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const CLASS_IN = 1;
/** The UDP payload we offer in EDNS(0) (RFC 6891): big enough for a long TXT record, small enough not to fragment. */
const EDNS_UDP_SIZE = 1232;

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface Answer {
  name: string;
  type: number;
  ttl: number;
  /** SRV: SrvData; TXT: its character-strings, decoded as UTF-8; anything else: undefined. */
  data?: SrvData | string[];
}

export interface Response {
  id: number;
  rcode: number;
  truncated: boolean;
  answers: Answer[];
}

export class DnsWireError extends Error {
  override readonly name = 'DnsWireError';
}

/** A recursive query for one name and type, with an EDNS(0) OPT record. */
export function encodeQuery(id: number, name: string, type: number): Buffer {
  const labels = name
    .replace(/\.$/, '')
    .split('.')
    .filter((l) => l.length > 0);
  const qname = Buffer.concat([
    ...labels.map((l) => {
      const b = Buffer.from(l, 'utf8');
      if (b.length > 63) throw new DnsWireError(`label longer than 63 bytes in ${name}`);
      return Buffer.concat([Buffer.from([b.length]), b]);
    }),
    Buffer.from([0]),
  ]);
  if (qname.length > 255) throw new DnsWireError(`name longer than 255 bytes: ${name}`);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD: ask the server to recurse
  header.writeUInt16BE(1, 4); // QDCOUNT
  header.writeUInt16BE(1, 10); // ARCOUNT: the OPT record
  const question = Buffer.alloc(4);
  question.writeUInt16BE(type, 0);
  question.writeUInt16BE(CLASS_IN, 2);
  const opt = Buffer.alloc(11);
  opt.writeUInt16BE(TYPE.OPT, 1); // root name (0), then TYPE
  opt.writeUInt16BE(EDNS_UDP_SIZE, 3);
  return Buffer.concat([header, qname, question, opt]);
}

/** Reads a possibly compressed name at `offset`; returns it and the offset after it in the message. */
function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let p = offset;
  let end = -1;
  // A pointer must point backwards, so a loop of pointers cannot go on for ever.
  let limit = offset;
  for (;;) {
    if (p >= msg.length) throw new DnsWireError('name runs past the end of the message');
    const len = msg[p]!;
    if (len === 0) {
      if (end < 0) end = p + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= msg.length) throw new DnsWireError('name pointer runs past the end of the message');
      const target = ((len & 0x3f) << 8) | msg[p + 1]!;
      if (target >= limit) throw new DnsWireError('name pointer does not point backwards');
      if (end < 0) end = p + 2;
      limit = target;
      p = target;
      continue;
    }
    if (len & 0xc0) throw new DnsWireError(`unknown label type 0x${len.toString(16)}`);
    if (p + 1 + len > msg.length) throw new DnsWireError('label runs past the end of the message');
    labels.push(msg.toString('utf8', p + 1, p + 1 + len));
    p += 1 + len;
  }
  return { name: labels.join('.'), end };
}

function decodeData(msg: Buffer, type: number, start: number, end: number): SrvData | string[] | undefined {
  if (type === TYPE.SRV) {
    if (end - start < 7) throw new DnsWireError('SRV record too short');
    const target = readName(msg, start + 6);
    if (target.end !== end) throw new DnsWireError('SRV target does not fill its record');
    return {
      priority: msg.readUInt16BE(start),
      weight: msg.readUInt16BE(start + 2),
      port: msg.readUInt16BE(start + 4),
      target: target.name,
    };
  }
  if (type === TYPE.TXT) {
    const strings: string[] = [];
    for (let p = start; p < end; ) {
      const len = msg[p]!;
      if (p + 1 + len > end) throw new DnsWireError('TXT string runs past its record');
      strings.push(msg.toString('utf8', p + 1, p + 1 + len));
      p += 1 + len;
    }
    return strings;
  }
  return undefined;
}

export function decodeResponse(msg: Buffer): Response {
  if (msg.length < 12) throw new DnsWireError(`message of ${msg.length} bytes is shorter than a header`);
  const flags = msg.readUInt16BE(2);
  if (!(flags & 0x8000)) throw new DnsWireError('not a response');
  const qdcount = msg.readUInt16BE(4);
  const ancount = msg.readUInt16BE(6);
  let p = 12;
  for (let i = 0; i < qdcount; i++) p = readName(msg, p).end + 4;
  const answers: Answer[] = [];
  for (let i = 0; i < ancount; i++) {
    const { name, end } = readName(msg, p);
    if (end + 10 > msg.length) throw new DnsWireError(`answer ${i + 1} of ${ancount} runs past the end`);
    const type = msg.readUInt16BE(end);
    const ttl = msg.readUInt32BE(end + 4);
    const rdlength = msg.readUInt16BE(end + 8);
    const start = end + 10;
    if (start + rdlength > msg.length)
      throw new DnsWireError(`answer ${i + 1} of ${ancount} runs past the end`);
    const data = decodeData(msg, type, start, start + rdlength);
    answers.push(data === undefined ? { name, type, ttl } : { name, type, ttl, data });
    p = start + rdlength;
  }
  return { id: msg.readUInt16BE(0), rcode: flags & 0x0f, truncated: (flags & 0x0200) !== 0, answers };
}
