/**
 * The bench's native sender: bench/native/udp-blast.c, compiled once with the machine's C compiler into the
 * temporary directory, sends with sendmmsg. Node's one send call per datagram stops near 150,000 datagrams/s
 * here, below the limits of the collectors being measured; udp-blast offers over 700,000/s on one core.
 * Undefined when there is no compiler (or BENCH_SENDER=js): the JS sender is used instead.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SendPlan, SendResult } from './sender.js';

const SOURCE = fileURLToPath(new URL('../../../bench/native/udp-blast.c', import.meta.url));

let binary: string | null | undefined;

/** The path of the compiled udp-blast, or null when it cannot be built here. */
export function nativeSender(): string | null {
  if (binary !== undefined) return binary;
  binary = null;
  if (process.env.BENCH_SENDER === 'js' || !existsSync(SOURCE)) return binary;
  const dir = join(tmpdir(), `sflowkit-bench-${process.getuid?.() ?? 0}`);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'udp-blast');
  const cc = spawnSync('cc', ['-O2', '-o', out, SOURCE], { encoding: 'utf8' });
  if (cc.status === 0) binary = out;
  else
    console.error(
      `bench: udp-blast not built (${cc.error?.message ?? cc.stderr.trim()}); the JS sender is used`,
    );
  return binary;
}

/** Payload files already written, by the array they hold. */
const files = new WeakMap<readonly Uint8Array[], string>();

function payloadFile(payloads: readonly Uint8Array[]): string {
  let file = files.get(payloads);
  if (file) return file;
  const parts: Uint8Array[] = [];
  for (const p of payloads) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(p.length);
    parts.push(length, p);
  }
  file = join(tmpdir(), `sflowkit-bench-payloads-${process.pid}-${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(file, Buffer.concat(parts));
  files.set(payloads, file);
  const written = file;
  process.once('exit', () => unlinkSync(written));
  return file;
}

export async function sendNative(blast: string, plan: SendPlan): Promise<SendResult> {
  const { port, payloads, rate, seconds } = plan;
  const args = ['send', String(port), String(rate), String(seconds), payloadFile(payloads)];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(blast, args, { timeout: (seconds + 30) * 1000 }, (error, out) =>
      error ? reject(error) : resolve(out),
    ),
  );
  const m = /^sent (\d+) errors (\d+) seconds ([\d.]+) cpu ([\d.]+)/.exec(stdout);
  if (!m) throw new Error(`udp-blast: unexpected output ${JSON.stringify(stdout)}`);
  const sent = Number(m[1]);
  const secs = Number(m[3]);
  return { sent, errors: Number(m[2]), seconds: secs, cpuSeconds: Number(m[4]), achieved: sent / secs };
}
