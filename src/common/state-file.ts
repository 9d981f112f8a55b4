/**
 * A JSON state file written atomically: to a temporary file beside it, flushed, then renamed over it, so a
 * crash mid-write leaves the old state or the new, never half of one. Saves are coalesced: a burst of
 * changes writes once.
 */
import { open, readFile, rename } from 'node:fs/promises';

export async function readState(path: string): Promise<unknown | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`state file ${path}: ${(e as Error).message}`);
  }
}

export async function writeState(path: string, state: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

/** Writes `text` to a temporary file beside `path`, flushed, then renamed over it. */
export async function writeFileAtomic(path: string, text: string, mode = 0o644): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const f = await open(tmp, 'w', mode);
  try {
    await f.writeFile(text);
    await f.sync();
  } finally {
    await f.close();
  }
  await rename(tmp, path);
}

/** Saves `get()` to `path` after each `changed()`, one write at a time, the last state always written. */
export class StateSaver {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly path: string,
    private readonly get: () => unknown,
    private readonly onError: (e: Error) => void,
  ) {}

  changed(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await writeState(this.path, this.get()).catch(this.onError);
      } while (this.again);
      this.running = undefined;
    })();
  }

  /** Resolves once every change so far is on disk. */
  async flushed(): Promise<void> {
    while (this.running) await this.running;
  }
}
