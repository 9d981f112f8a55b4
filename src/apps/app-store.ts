/**
 * storeGet/storeSet for controller apps: values kept per app, saved to a JSON file (written atomically, a
 * burst of sets saved once) so they outlive a restart; in memory only when no file is configured.
 */
import { readFileSync } from 'node:fs';
import { StateSaver } from '../common/state-file.js';

export class AppStore {
  private readonly values: Record<string, Record<string, unknown>>;
  private readonly saver: StateSaver | undefined;

  constructor(path: string | undefined, onError: (e: Error) => void = () => {}) {
    this.values = path === undefined ? {} : load(path);
    this.saver = path === undefined ? undefined : new StateSaver(path, () => this.values, onError);
  }

  get(app: string, key: string): unknown {
    return this.values[app]?.[key];
  }

  set(app: string, key: string, value: unknown): void {
    // Only what JSON keeps is kept, as it will be after a restart.
    const kept = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    this.values[app] ??= {};
    if (kept === undefined) delete this.values[app][key];
    else this.values[app][key] = kept;
    this.saver?.changed();
  }

  async flushed(): Promise<void> {
    await this.saver?.flushed();
  }
}

function load(path: string): Record<string, Record<string, unknown>> {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`app store ${path}: ${(e as Error).message}`);
  }
}
