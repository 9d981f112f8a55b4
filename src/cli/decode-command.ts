/**
 * `sflowkit decode`: sFlow from a capture file (-r, pcap or pcapng) or a UDP port (-p, IPv4 and IPv6), printed as
 * NDJSON (--ndjson). Bad input never stops it: a datagram that does not decode prints as an error object.
 */
import { createSocket, type Socket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CaptureError, readCapture, udpPayloads } from '../capture/index.js';
import { ndjsonLine, type Received } from './ndjson-output.js';

const HELP = `usage: sflowkit decode [--ndjson] (-r FILE | -p PORT)

  -r FILE    read sFlow datagrams from a pcap or pcapng file
  -p PORT    listen for sFlow on UDP PORT, IPv4 and IPv6 (default 6343)
  --ndjson   one JSON object per datagram (docs/json.md); the default for now
  -h         this help
`;

export async function decodeCommand(args: string[]): Promise<number> {
  let opts: { r?: string; p?: string; ndjson?: boolean; h?: boolean };
  try {
    opts = parseArgs({
      args,
      options: {
        r: { type: 'string', short: 'r' },
        p: { type: 'string', short: 'p' },
        ndjson: { type: 'boolean' },
        h: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`sflowkit decode: ${(e as Error).message}\n${HELP}`);
    return 2;
  }
  if (opts.h) {
    process.stdout.write(HELP);
    return 0;
  }
  if (opts.r !== undefined && opts.p !== undefined) {
    process.stderr.write('sflowkit decode: -r and -p cannot be used together\n');
    return 2;
  }
  if (opts.r !== undefined) return decodeFile(opts.r);
  const port = Number(opts.p ?? 6343);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`sflowkit decode: bad UDP port '${opts.p}'\n`);
    return 2;
  }
  return listen(port);
}

const write = (line: string) => process.stdout.write(line);

/** Decodes every UDP datagram of a pcap or pcapng file; a damaged file ends with a message, after what it held. */
export async function decodeFile(path: string): Promise<number> {
  const bytes = await readFile(path);
  let bad = 0;
  try {
    for (const u of udpPayloads(readCapture(bytes))) {
      const received = {
        bytes: u.payload,
        address: u.srcAddress,
        port: u.srcPort,
        timestampNs: u.timestampNs,
      };
      const { line, ok } = ndjsonLine(received);
      if (!ok) bad++;
      write(line);
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    process.stderr.write(`sflowkit decode: ${path}: ${e.message}\n`);
    return 1;
  } finally {
    if (bad > 0)
      process.stderr.write(`sflowkit decode: ${bad} datagrams did not decode (see their error objects)\n`);
  }
  return 0;
}

/** Binds one dual-stack socket (IPv6 with IPv4-mapped addresses); falls back to IPv4 where IPv6 is off. */
function bind(port: number): Promise<Socket> {
  const open = (type: 'udp4' | 'udp6') =>
    new Promise<Socket>((resolve, reject) => {
      const s = createSocket({ type, ipv6Only: false, reuseAddr: false });
      s.once('error', reject);
      s.bind(port, () => {
        s.off('error', reject);
        resolve(s);
      });
    });
  return open('udp6').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES') throw e;
    return open('udp4');
  });
}

async function listen(port: number): Promise<number> {
  const socket = await bind(port);
  const { port: bound } = socket.address();
  process.stderr.write(`sflowkit decode: listening on UDP port ${bound}\n`);
  socket.on('message', (msg, rinfo) => {
    const received: Received = {
      bytes: msg,
      address: rinfo.address.startsWith('::ffff:') ? rinfo.address.slice(7) : rinfo.address,
      port: rinfo.port,
      timestampNs: BigInt(Date.now()) * 1_000_000n,
    };
    write(ndjsonLine(received).line);
  });
  socket.on('error', (e) => process.stderr.write(`sflowkit decode: socket error: ${e.message}\n`));
  await new Promise<void>((resolve) => {
    const stop = () => socket.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
