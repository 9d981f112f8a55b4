/**
 * Output to stdout in large writes (a write per line would dominate a file decode), flushed at the end and
 * after each live datagram. A reader that goes away (`| head`) ends the output quietly, as it ends sflowtool;
 * any other failure to write is said once on stderr.
 */
const LIMIT = 1 << 16;

export class StdoutBuffer {
  private pending = '';
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  /** Set once stdout cannot be written to any more: the caller stops. */
  closed = false;
  private readonly closers: (() => void)[] = [];

  /** sflowtool's formats carry bytes as latin1 characters (strings print as the bytes sent); NDJSON is UTF-8. */
  constructor(private readonly encoding: BufferEncoding = 'latin1') {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (this.closed) return;
      if (e.code !== 'EPIPE') {
        process.stderr.write(`sflowkit: cannot write to stdout: ${e.message}\n`);
        process.exitCode = 1;
      }
      this.closed = true;
      for (const c of this.closers) c();
    });
    // stderr may go to the same closed pipe (2>&1 | head).
    process.stderr.on('error', () => {});
  }

  /** `f` is called when stdout closes. */
  onClose(f: () => void): void {
    this.closers.push(f);
  }

  text(s: string): void {
    this.pending += s;
    if (this.pending.length > LIMIT) this.flush();
  }

  binary(b: Uint8Array): void {
    if (b.length >= LIMIT && this.chunks.length === 0 && !this.pending) {
      this.write(b);
      return;
    }
    this.chunks.push(b);
    this.bytes += b.length;
    if (this.bytes > LIMIT) this.flush();
  }

  flush(): void {
    if (this.pending) {
      this.write(this.pending);
      this.pending = '';
    }
    if (this.chunks.length) {
      this.write(Buffer.concat(this.chunks));
      this.chunks = [];
      this.bytes = 0;
    }
  }

  private write(data: string | Uint8Array): void {
    if (this.closed) return;
    if (typeof data === 'string') process.stdout.write(data, this.encoding);
    else process.stdout.write(data);
  }
}
