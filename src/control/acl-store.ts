/**
 * The ACLs on disk: one file per ACL in a directory, named as the seed names them (`50rest-NAME.rules`, so
 * that cl-acltool reads them from /etc/cumulus/acl/policy.d in order with the switch's other policy files),
 * holding the rule lines one per line. A file is replaced whole by writing a hidden temporary file beside it
 * and renaming it over, so a reader (cl-acltool, the iptables back-end, a GET) never sees half a file. The
 * store also takes snapshots of a set of ACLs, for the commit batcher to roll back to.
 */
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AclError } from './acl-errors.js';

/** The seed's name pattern (`[a-z0-9]+`), bounded so that a file name stays short. */
export const NAME_PATTERN = /^[a-z0-9]{1,64}$/;

const PRIORITY = '50';
const PREFIX = 'rest-';
const SUFFIX = '.rules';
const FILE_PATTERN = /^50rest-([a-z0-9]{1,64})\.rules$/;

/** What a set of ACLs held at one moment: the lines of each, or undefined for one that did not exist. */
export type Snapshot = ReadonlyMap<string, readonly string[] | undefined>;

/** Throws BAD_NAME unless `name` is an ACL name. */
export function checkName(name: string): void {
  if (!NAME_PATTERN.test(name))
    throw new AclError(
      'BAD_NAME',
      `'${name.slice(0, 80)}' is not an ACL name: 1 to 64 characters of a-z and 0-9`,
    );
}

export class AclStore {
  private constructor(readonly dir: string) {}

  /** A store over `dir`, made if missing. */
  static async open(dir: string): Promise<AclStore> {
    await mkdir(dir, { recursive: true });
    return new AclStore(dir);
  }

  fileName(name: string): string {
    return `${PRIORITY}${PREFIX}${name}${SUFFIX}`;
  }

  path(name: string): string {
    return join(this.dir, this.fileName(name));
  }

  /** The names of the stored ACLs, in file order (the order the back-ends apply them in). */
  async list(): Promise<string[]> {
    const names: string[] = [];
    for (const f of (await readdir(this.dir)).sort()) {
      const m = FILE_PATTERN.exec(f);
      if (m) names.push(m[1]);
    }
    return names;
  }

  /** The lines of an ACL, or undefined if there is none of that name. */
  async read(name: string): Promise<string[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    if (text === '') return [];
    return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  }

  /**
   * Writes an ACL: its lines, each ended by a newline (as the seed writes them). The data reaches the disk
   * before the rename, so that after a crash the file is the old one or the new one, never an empty one.
   */
  async write(name: string, lines: readonly string[]): Promise<void> {
    const path = this.path(name);
    const temp = join(this.dir, `.${this.fileName(name)}.${process.pid}.tmp`);
    const file = await open(temp, 'w', 0o644);
    try {
      await file.writeFile(lines.map((l) => `${l}\n`).join(''));
      await file.datasync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  /** Removes an ACL; true if there was one. */
  async remove(name: string): Promise<boolean> {
    try {
      await unlink(this.path(name));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  async snapshot(names: Iterable<string>): Promise<Snapshot> {
    const s = new Map<string, string[] | undefined>();
    for (const name of names) if (!s.has(name)) s.set(name, await this.read(name));
    return s;
  }

  /** Puts every ACL of a snapshot back as it was: rewritten, or removed if it did not exist. */
  async restore(snapshot: Snapshot): Promise<void> {
    for (const [name, lines] of snapshot) {
      if (lines === undefined) await this.remove(name);
      else await this.write(name, lines);
    }
  }
}
