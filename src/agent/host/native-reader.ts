/**
 * The agent's side of a native packet reader (native/nflog-reader, native/packet-reader): spawns it, waits
 * for the line on stderr that says it is reading, and cuts its stdout into records. Both readers frame
 * alike: a u32 length (host order) and that many bytes; a length of 0xFFFFFFFF instead marks a drop report,
 * followed by a fixed number of bytes (none for nflog-reader, the total dropped for packet-reader).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';

export interface NativeReaderOptions {
  /** The built program. */
  reader: string;
  args: string[];
  /** Prepended to the command (tests: `ip netns exec NAME`). */
  prefix?: string[];
  /** What the reader writes to stderr once it reads packets. */
  ready: string;
  /** Bytes after a drop marker. */
  dropReportBytes: number;
  onRecord: (record: Buffer) => void;
  onDrops: (report: Buffer) => void;
  /** The reader exited after it had started. */
  onError?: (message: string) => void;
}

const DROP = 0xffffffff;

export class NativeReader {
  private child?: ChildProcess;
  private pending = Buffer.alloc(0);

  constructor(private readonly o: NativeReaderOptions) {}

  /** Starts the reader; resolves once it says it is ready, rejects if it cannot start. */
  start(): Promise<void> {
    const { reader } = this.o;
    if (!existsSync(reader))
      return Promise.reject(new Error(`${reader} was not built (it needs a C compiler at npm run build)`));
    const [cmd, ...args] = [...(this.o.prefix ?? []), reader, ...this.o.args];
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    return new Promise((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes(this.o.ready)) resolve();
      });
      child.once('error', (e) => reject(e));
      child.once('exit', (code) => {
        const why = `${basename(reader)} exited (${code}): ${stderr.trim()}`;
        reject(new Error(why));
        if (this.child === child) this.o.onError?.(why);
      });
    });
  }

  stop(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill();
  }

  private read(chunk: Buffer): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buf.length >= 4) {
      const length = buf.readUInt32LE(0);
      if (length === DROP) {
        const end = 4 + this.o.dropReportBytes;
        if (buf.length < end) break;
        this.o.onDrops(buf.subarray(4, end));
        buf = buf.subarray(end);
        continue;
      }
      if (buf.length < 4 + length) break;
      this.o.onRecord(buf.subarray(4, 4 + length));
      buf = buf.subarray(4 + length);
    }
    this.pending = Buffer.from(buf);
  }
}
