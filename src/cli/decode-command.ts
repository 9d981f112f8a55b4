/**
 * `sflowkit decode`: a drop-in for sflowtool. sFlow from a capture file (-r, pcap or pcapng) or UDP (-p),
 * printed in sflowtool's formats (docs/sflowtool-compat.md) or as lossless NDJSON (--ndjson, docs/json.md),
 * and forwarded unchanged (-f). Bad input never stops it: sflowtool's error lines for a bad datagram, then
 * the next one.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { CaptureError, readCapture, udpPayloads } from '../capture/index.js';
import { addressText } from '../sflowtool/format.js';
import { type Received, SflowtoolPrinter } from '../sflowtool/printer.js';
import { type DecodeOptions, parseDecodeOptions, UsageError } from './decode-options.js';
import { Forwarder } from './forwarder.js';
import { ndjsonLine } from './ndjson-output.js';
import { StdoutBuffer } from './stdout-buffer.js';

const HELP = `usage: sflowkit decode [options]   (sflowtool's options, with the same meanings)

input:
  -r FILE            read sFlow from a pcap or pcapng file
  -p PORT            listen for sFlow on UDP PORT (default 6343)
  -4 | -6 | -A       listen on IPv4 only | IPv6 only | both (default: one IPv6 socket that takes IPv4 too)
  -b ADDRESS         listen on this address only
output (default: sflowtool's text):
  -l                 one CSV line per flow sample (FLOW,…) and per counter sample (CNTR,…)
  -L FIELD,FIELD…    the chosen fields as CSV, a line per sample
  -g                 grep-friendly: every line with its datagram and sample context
  -j | -J            JSON, one object per line (valid JSON) | indented (exactly sflowtool's)
  -H                 HTTP requests in combined log format
  -t | -T | -M       pcap on stdout: sampled headers | discarded packets | the datagrams
  -x                 with -t/-T, cut each header where its payload starts
  --ndjson           sflowkit's lossless decode, one JSON object per datagram (docs/json.md)
  --all-structures   print structures sflowtool skips, in its style, not as "skipping unknown"
filters:
  -V VLANS           only samples on these VLANs (e.g. -V 0-20,4091)
  -v VLANS           not samples on these VLANs
forwarding:
  -f HOST/PORT       send every datagram on, unchanged (repeat for more); alone, prints nothing
  --verbose          report forwarding counts every 10 s as well as on exit
  -k, -D             accepted: sflowkit always keeps going, and resolves names
  -h                 this help;  -z  version
`;

export async function decodeCommand(args: string[]): Promise<number> {
  let o: DecodeOptions;
  try {
    o = parseDecodeOptions(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`sflowkit decode: ${e.message}\n(sflowkit decode -h lists the options)\n`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (o.version) {
    process.stdout.write('sflowkit decode (sflowtool 6.11 compatible)\n');
    return 0;
  }
  let forwarder: Forwarder | undefined;
  try {
    forwarder = o.forward.length > 0 ? await Forwarder.open(o.forward) : undefined;
  } catch (e) {
    process.stderr.write(`sflowkit decode: ${(e as Error).message}\n`);
    return 2;
  }
  const out = new StdoutBuffer(o.format?.kind === 'ndjson' ? 'utf8' : 'latin1');
  const { handle, finish } = handler(o, forwarder, out, o.file === undefined);
  // sflowtool takes a datagram to run to the end of its frame; the lossless model takes the UDP payload.
  const toFrameEnd = o.format?.kind !== 'ndjson';
  const code =
    o.file !== undefined ? await decodeFile(o.file, toFrameEnd, handle, out) : await listen(o, handle, out);
  finish();
  out.flush();
  if (forwarder) {
    await forwarder.close();
    const failed = forwarder.stats().some((s) => s.failed > 0);
    if (failed || o.verbose) process.stderr.write(`${forwarder.summary()}\n`);
  }
  return code;
}

/** `peer`: the sender's address as the socket gave it (sflowtool's formats print IPv6 in full instead). */
type Handle = (r: Received, port: number, peer?: string) => void;

/**
 * What happens to each datagram: forwarded, then printed in the chosen format. `live` prints each datagram
 * whole as it comes; reading a file lets output gather into large writes until `finish`.
 */
function handler(
  o: DecodeOptions,
  forwarder: Forwarder | undefined,
  out: StdoutBuffer,
  live: boolean,
): { handle: Handle; finish: () => void } {
  const none = () => {};
  const forward = forwarder ? (r: Received) => forwarder.send(r.bytes) : () => {};
  const format = o.format ?? (forwarder ? undefined : { kind: 'text' as const });
  if (format === undefined) return { handle: forward, finish: none };
  if (format.kind === 'ndjson') {
    const handle: Handle = (r, port, peer) => {
      forward(r);
      const sec = r.pcapSec || r.readSec;
      const usec = r.pcapSec ? r.pcapUsec : r.readUsec;
      out.text(
        ndjsonLine({
          bytes: r.bytes,
          address: peer,
          port,
          timestampNs: BigInt(sec) * 1_000_000_000n + BigInt(usec) * 1000n,
        }).line,
      );
    };
    return { handle, finish: none };
  }
  const printer = new SflowtoolPrinter(format.kind === 'pcap' ? { ...format, redact: o.redact } : format, {
    allStructures: o.allStructures,
    vlans: o.vlans,
  });
  const take = (all: boolean) => {
    // stdout goes out before a datagram's error lines, as sflowtool flushes it.
    const { text, binary, errors } = printer.output.take(all || printer.output.hasErrors);
    if (text) out.text(text);
    for (const b of binary) out.binary(b);
    if (errors) {
      out.flush();
      process.stderr.write(errors);
    }
  };
  take(true);
  const handle: Handle = (r) => {
    forward(r);
    printer.print(r);
    take(live);
  };
  return { handle, finish: () => take(true) };
}

/** Every UDP datagram of a pcap or pcapng file; a damaged file ends with a message, after what it held. */
async function decodeFile(
  path: string,
  toFrameEnd: boolean,
  handle: Handle,
  out: StdoutBuffer,
): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    process.stderr.write(`sflowkit decode: ${(e as Error).message}\n`);
    return 1;
  }
  const progress = process.stderr.isTTY ? new Progress(bytes.length) : undefined;
  let n = 0;
  try {
    for (const u of udpPayloads(readCapture(bytes), { toFrameEnd })) {
      const ns = u.timestampNs;
      handle(
        {
          bytes: u.payload,
          source: '-',
          readSec: 0,
          readUsec: 0,
          pcapSec: Number(ns / 1_000_000_000n),
          pcapUsec: Number((ns % 1_000_000_000n) / 1000n),
        },
        u.srcPort,
      );
      if (progress && (++n & 1023) === 0) progress.show(n, u.payload.byteOffset);
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    out.flush();
    process.stderr.write(`sflowkit decode: ${path}: ${e.message}\n`);
    return 1;
  } finally {
    progress?.done();
  }
  return 0;
}

/** A progress line on a terminal's stderr, at most once a second (SFLOWKIT_PROGRESS_MS changes that). */
class Progress {
  private last = Date.now();
  private shown = false;
  private readonly every = Number(process.env.SFLOWKIT_PROGRESS_MS ?? 1000);
  constructor(private readonly size: number) {}
  show(datagrams: number, at: number): void {
    const now = Date.now();
    if (now - this.last < this.every) return;
    this.last = now;
    this.shown = true;
    process.stderr.write(
      `\rsflowkit decode: ${datagrams} datagrams (${Math.round((100 * at) / this.size)}%)`,
    );
  }
  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
  }
}

function open(
  type: 'udp4' | 'udp6',
  port: number,
  address: string | undefined,
  ipv6Only: boolean,
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const s = createSocket({ type, ipv6Only, reuseAddr: false });
    s.once('error', reject);
    s.bind(port, address, () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

/** sflowtool's default: one IPv6 socket that takes IPv4 too; IPv4 alone where IPv6 is off. */
async function sockets(o: DecodeOptions): Promise<Socket[]> {
  const v4 = () => open('udp4', o.port, o.bindAddress, false);
  switch (o.listen) {
    case 'v4':
      return [await v4()];
    case 'v6':
      return [await open('udp6', o.port, o.bindAddress, true)];
    case 'both': {
      const six = await open('udp6', o.port, o.bindAddress, true);
      return [six, await open('udp4', six.address().port, undefined, false)];
    }
    default:
      if (o.bindAddress?.includes('.')) return [await v4()];
      return [
        await open('udp6', o.port, o.bindAddress, false).catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'EADDRINUSE' || e.code === 'EACCES') throw e;
          return v4();
        }),
      ];
  }
}

async function listen(o: DecodeOptions, handle: Handle, out: StdoutBuffer): Promise<number> {
  let socks: Socket[];
  try {
    socks = await sockets(o);
  } catch (e) {
    process.stderr.write(`sflowkit decode: cannot listen on UDP port ${o.port}: ${(e as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`sflowkit decode: listening on UDP port ${socks[0].address().port}\n`);
  const onMessage = (msg: Buffer, peer: RemoteInfo) => {
    const now = Date.now();
    const source = peer.address.startsWith('::ffff:') ? peer.address.slice(7) : peer.address;
    handle(
      {
        bytes: msg,
        source: addressText(source),
        readSec: Math.floor(now / 1000),
        readUsec: (now % 1000) * 1000,
        pcapSec: 0,
        pcapUsec: 0,
      },
      peer.port,
      source,
    );
    out.flush();
  };
  for (const s of socks) {
    s.on('message', onMessage);
    s.on('error', (e) => process.stderr.write(`sflowkit decode: socket error: ${e.message}\n`));
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      for (const s of socks) s.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
