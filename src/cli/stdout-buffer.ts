/**
 * Output to stdout in large writes (a write per line would dominate a file decode), flushed at the end and
 * after each live datagram. A reader that goes away (`| head`) ends the process quietly, as it does sflowtool.
 */
const LIMIT = 1 << 16;

export class StdoutBuffer {
  private pending = '';

  /** sflowtool's formats carry bytes as latin1 characters (strings print as the bytes sent); NDJSON is UTF-8. */
  constructor(private readonly encoding: BufferEncoding = 'latin1') {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }

  private chunks: Uint8Array[] = [];
  private bytes = 0;

  text(s: string): void {
    this.pending += s;
    if (this.pending.length > LIMIT) this.flush();
  }

  binary(b: Uint8Array): void {
    if (b.length >= LIMIT && this.chunks.length === 0) {
      process.stdout.write(b);
      return;
    }
    this.chunks.push(b);
    this.bytes += b.length;
    if (this.bytes > LIMIT) this.flush();
  }

  flush(): void {
    if (this.pending) {
      process.stdout.write(this.pending, this.encoding);
      this.pending = '';
    }
    if (this.chunks.length) {
      process.stdout.write(Buffer.concat(this.chunks));
      this.chunks = [];
      this.bytes = 0;
    }
  }
}
