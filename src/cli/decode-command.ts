/**
 * `sflowkit decode`: a drop-in for sflowtool. sFlow from a capture file (-r, pcap or pcapng) or UDP (-p),
 * printed in sflowtool's formats (docs/sflowtool-compat.md) or as lossless NDJSON (--ndjson, docs/json.md),
 * and forwarded unchanged (-f). Bad input never stops it: sflowtool's error lines for a bad datagram, then
 * the next one.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CaptureError, extractUdp, readCaptureStream } from '../capture/index.js';
import { Forwarder } from '../collector/forwarder.js';
import { type RawDatagram, UdpListener } from '../collector/udp-listener.js';
import { addressText } from '../sflowtool/format.js';
import { receivedNs } from '../sflowtool/output.js';
import { type Received, SflowtoolPrinter } from '../sflowtool/printer.js';
import { type DecodeOptions, parseDecodeOptions, UsageError } from './decode-options.js';
import { ndjsonLine } from './ndjson-output.js';
import { StdoutBuffer } from './stdout-buffer.js';

const HELP = `usage: sflowkit decode [options]   (sflowtool's options, with the same meanings)

input:
  -r FILE            read sFlow from a pcap or pcapng file (- for stdin, e.g. tcpdump -w - | …)
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
  --verbose          report forwarding counts on exit even when nothing failed
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
    o.file !== undefined
      ? await decodeFile(o.file, toFrameEnd, handle, finish, out)
      : await listen(o, handle, out);
  finish();
  out.flush();
  if (forwarder) {
    await forwarder.close();
    const failed = forwarder.stats().some((s) => s.failed > 0);
    if (failed || o.verbose) process.stderr.write(`${forwarder.summary()}\n`);
  }
  return code;
}

/** A datagram and the UDP port it came from. */
type Handle = (r: Received, port: number) => void;

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
    const handle: Handle = (r, port) => {
      forward(r);
      out.text(
        ndjsonLine({
          bytes: r.bytes,
          address: r.sender,
          port,
          timestampNs: receivedNs(r),
        }).line,
      );
    };
    return { handle, finish: none };
  }
  const printer = new SflowtoolPrinter(format.kind === 'pcap' ? { ...format, redact: o.redact } : format, {
    allStructures: o.allStructures,
    vlans: o.vlans,
  });
  const put = (text: string, binary: Uint8Array[]) => {
    if (text) out.text(text);
    for (const b of binary) out.binary(b);
  };
  const take = (all: boolean) => {
    const output = printer.output;
    if (output.hasErrors) {
      // sflowtool writes stderr at once and stdout when a datagram ends: a datagram's errors come after the
      // datagrams before it and before its own lines.
      const before = output.takeToMark();
      put(before.text, before.binary);
      out.flush();
    }
    const { text, binary, errors } = output.take(all || output.hasErrors);
    if (errors) process.stderr.write(errors);
    put(text, binary);
  };
  take(true);
  const handle: Handle = (r) => {
    forward(r);
    printer.print(r);
    take(live);
  };
  return { handle, finish: () => take(true) };
}

/**
 * Every UDP datagram of a pcap or pcapng file, or of stdin, read as it arrives; a damaged file ends with a
 * message, after what it held. A frame the capture cut short is skipped with sflowtool's message.
 */
async function decodeFile(
  path: string,
  toFrameEnd: boolean,
  handle: Handle,
  finish: () => void,
  out: StdoutBuffer,
): Promise<number> {
  const stream = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 16 << 20 });
  const size =
    path === '-'
      ? undefined
      : await stat(path).then(
          (s) => s.size,
          () => undefined,
        );
  const progress = process.stderr.isTTY ? new Progress(size) : undefined;
  let n = 0;
  try {
    let offset = 0;
    for await (const batch of readCaptureStream(stream)) {
      for (const frame of batch) {
        offset = frame.offset;
        if (toFrameEnd && frame.originalLength > frame.data.length) {
          finish();
          out.flush();
          process.stderr.write('incomplete datagram (pcap snaplen too short)\n');
          continue;
        }
        const u = extractUdp(frame, toFrameEnd);
        if (typeof u === 'string') continue;
        const ns = u.timestampNs;
        handle(
          {
            bytes: u.payload,
            source: '-',
            sender: u.srcAddress,
            readSec: 0,
            readUsec: 0,
            pcapSec: Number(ns / 1_000_000_000n),
            pcapUsec: Number((ns % 1_000_000_000n) / 1000n),
          },
          u.srcPort,
        );
        n++;
      }
      if (out.closed) break;
      progress?.show(n, offset);
    }
  } catch (e) {
    if (!(e instanceof CaptureError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
    finish();
    out.flush();
    process.stderr.write(`sflowkit decode: ${path === '-' ? 'stdin' : path}: ${(e as Error).message}\n`);
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
  constructor(private readonly size: number | undefined) {}
  show(datagrams: number, at: number): void {
    const now = Date.now();
    if (now - this.last < this.every) return;
    this.last = now;
    this.shown = true;
    const share = this.size ? ` (${Math.round((100 * at) / this.size)}%)` : '';
    process.stderr.write(`\rsflowkit decode: ${datagrams} datagrams${share}`);
  }
  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
  }
}

async function listen(o: DecodeOptions, handle: Handle, out: StdoutBuffer): Promise<number> {
  const onDatagram = (d: RawDatagram) => {
    handle(
      {
        bytes: d.bytes,
        source: addressText(d.address),
        sender: d.address,
        readSec: Math.floor(d.receivedAt / 1000),
        readUsec: (d.receivedAt % 1000) * 1000,
        pcapSec: 0,
        pcapUsec: 0,
      },
      d.port,
    );
    out.flush();
  };
  let listener: UdpListener;
  try {
    listener = await UdpListener.open(
      { port: o.port, families: o.listen, address: o.bindAddress },
      onDatagram,
      (e) => process.stderr.write(`sflowkit decode: socket error: ${e.message}\n`),
    );
  } catch (e) {
    process.stderr.write(`sflowkit decode: cannot listen on UDP port ${o.port}: ${(e as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`sflowkit decode: listening on UDP port ${listener.port}\n`);
  // A pcap output's file header goes out now: a reader at the other end of a pipe waits for it.
  out.flush();
  await new Promise<void>((resolve) => {
    const stop = () => {
      listener.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    out.onClose(stop);
  });
  return 0;
}
