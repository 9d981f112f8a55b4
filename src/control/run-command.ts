/**
 * Runs a back-end's program: no shell (the arguments go to the program as they are), its input on stdin, its
 * stdout and stderr together in the order they came (the seed merges them too: tools such as cl-acltool say
 * what went wrong on either), and a time limit after which it is killed. The output is what a failed commit
 * reports to its clients, so it is kept whole up to a bound.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** The exit code; null if a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved, cut to maxOutput bytes (64 KiB unless said). */
  output: string;
}

const MAX_OUTPUT = 64 * 1024;

export class CommandError extends Error {
  override name = 'CommandError';
}

/** Runs `argv`; resolves with how it ended, or rejects with CommandError if it could not be started. */
export function runCommand(
  argv: readonly string[],
  options: { input?: string; timeoutMs?: number; maxOutput?: number } = {},
): Promise<CommandResult> {
  const [program, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 30_000,
      killSignal: 'SIGKILL',
    });
    const chunks: Buffer[] = [];
    const max = options.maxOutput ?? MAX_OUTPUT;
    let size = 0;
    const keep = (b: Buffer) => {
      if (size < max) chunks.push(b.subarray(0, max - size));
      size += b.length;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        new CommandError(e.code === 'ENOENT' ? `${program} is not installed (not found on PATH)` : e.message),
      );
    });
    // A program that exits without reading all its input closes the pipe early: that is its exit status's
    // business, not an error of ours.
    child.stdin.on('error', () => {});
    child.on('close', (code, signal) => {
      resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8') });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** How a command ended, in words: `exit 2`, or `killed by SIGKILL (the time limit?)`. */
export function howItEnded(r: CommandResult): string {
  return r.signal !== null ? `killed by ${r.signal}` : `exit ${r.code}`;
}
