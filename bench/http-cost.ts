/**
 * `npm run bench:http-cost -- [SAMPLING] [WARM] [COUNT]`: what sFlow costs a Node HTTP server, in instructions,
 * where bench:http's throughput cannot settle differences of 1–2% on a shared machine. The hello-world server of
 * bench/http-server.ts runs under valgrind's callgrind (Debian's valgrind), bare and instrumented sampling 1 in
 * SAMPLING (default 100); WARM requests (default 300,000) go first, uncounted, so that V8 has optimised what it
 * will (it compiles on the main thread here, --no-concurrent-recompilation, so that compiling is not left half
 * done); then COUNT requests (default 10,000) are counted: the server's instructions per request, the part spent
 * compiling, and the extra of sflow over bare. Instructions are not time (cache misses and the kernel are not in
 * them), but the same build gives the same count to about 0.3%.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SAMPLING = Number(process.argv[2] ?? 100);
const WARM = Number(process.argv[3] ?? 300_000);
const COUNT = Number(process.argv[4] ?? 10_000);
const CONNECTIONS = 32;
const SERVER = fileURLToPath(new URL('./http-server.js', import.meta.url));

if (spawnSync('valgrind', ['--version']).error !== undefined) {
  console.error('bench:http-cost needs valgrind (apt-get install valgrind)');
  process.exit(2);
}
if (!(Number.isInteger(SAMPLING) && SAMPLING >= 1 && WARM >= 0 && COUNT >= 1000)) {
  console.error(
    'usage: node dist/bench/http-cost.js [SAMPLING (100)] [WARM (300000)] [COUNT ≥ 1000 (10000)]',
  );
  process.exit(2);
}

/** A sink for the samples, so that the server's sends go somewhere. */
const sink = createSocket('udp4');
sink.on('message', () => {});
await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));

const REQUEST = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n');

/** Keep-alive connections that send one request at a time each, as wrk does; `run(n)` sends n more. */
class Load {
  private sent = 0;
  private done = 0;
  private target = 0;
  private finished: (() => void) | undefined;
  private readonly sockets: Socket[] = [];

  static async open(port: number): Promise<Load> {
    const load = new Load();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, () => {
        const s = connect(port, '127.0.0.1');
        load.sockets.push(s);
        let text = '';
        s.setEncoding('latin1');
        s.on('data', (d: string) => {
          text += d;
          // Every answer ends with the hello-world body.
          for (let i = text.indexOf('hello world\n'); i >= 0; i = text.indexOf('hello world\n')) {
            text = text.slice(i + 12);
            load.answered(s);
          }
        });
        return new Promise((r) => s.once('connect', r));
      }),
    );
    return load;
  }

  private next(s: Socket): void {
    if (this.sent >= this.target) return;
    this.sent++;
    s.write(REQUEST);
  }

  private answered(s: Socket): void {
    if (++this.done >= this.target) this.finished?.();
    this.next(s);
  }

  run(n: number): Promise<void> {
    this.target += n;
    const done = new Promise<void>((r) => (this.finished = r));
    // Each connection has one request out at most: the ones idle since the last run start again.
    const idle = this.sockets.length - (this.sent - this.done);
    for (let i = 0; i < idle; i++) this.next(this.sockets[i]);
    return done;
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
  }
}

interface Cost {
  perRequest: number;
  compiling: number;
}

/** callgrind's totals, and the part in V8's optimising compiler, from `callgrind_annotate`. */
function totals(file: string): { all: number; compiling: number } {
  const out = spawnSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  }).stdout;
  let all = 0;
  let compiling = 0;
  for (const line of out.split('\n')) {
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (!m) continue;
    const n = Number(m[1].replaceAll(',', ''));
    if (m[2].includes('PROGRAM TOTALS')) all = n;
    else if (m[2].includes('compiler::')) compiling += n;
  }
  return { all, compiling };
}

async function measure(mode: 'bare' | 'sflow'): Promise<Cost> {
  const out = join(mkdtempSync(join(tmpdir(), 'sflowkit-cost-')), 'callgrind.out');
  const args = [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${out}`,
    process.execPath,
    '--no-concurrent-recompilation',
    SERVER,
    mode,
    String(SAMPLING),
    String(sink.address().port),
  ];
  const child: ChildProcess = spawn('valgrind', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  const load = await Load.open(port);
  await load.run(WARM);
  spawnSync('callgrind_control', ['-i', 'on', String(child.pid)]);
  await load.run(COUNT);
  spawnSync('callgrind_control', ['-i', 'off', String(child.pid)]);
  load.close();
  child.kill('SIGTERM');
  // callgrind writes its file as the server exits.
  await new Promise((r) => child.once('exit', r));
  const t = totals(out);
  return { perRequest: t.all / COUNT, compiling: t.compiling / COUNT };
}

console.log(
  `hello-world node:http server under callgrind; ${CONNECTIONS} keep-alive connections; ${WARM.toLocaleString('en-US')} ` +
    `requests to warm up, then ${COUNT.toLocaleString('en-US')} counted; sFlow sampling 1 in ${SAMPLING}`,
);
const bare = await measure('bare');
const sflow = await measure('sflow');
for (const [name, c] of [
  ['bare', bare],
  ['sflow', sflow],
] as const)
  console.log(
    `${name.padEnd(5)} ${Math.round(c.perRequest).toLocaleString('en-US').padStart(7)} instructions a request` +
      ` (${Math.round(c.compiling).toLocaleString('en-US')} of them compiling)`,
  );
const extra = sflow.perRequest - bare.perRequest;
console.log(
  `sflow costs ${Math.round(extra).toLocaleString('en-US')} instructions a request more: ` +
    `${((100 * extra) / bare.perRequest).toFixed(1)}%`,
);
sink.close();
