/**
 * `sflowkit generate`: the simulated data center's sFlow (docs/generator.md), to a pcap file as fast as it
 * can be made, or to a collector over UDP (IPv4 or IPv6), in real time or at a set datagram rate; the truth
 * of what happened to a JSON file.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { parseArgs } from 'node:util';
import { PcapWriter, wrapUdp } from '../capture/index.js';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC, type FabricConfig } from '../generator/fabric.js';
import { SCENARIOS, type ScenarioName } from '../generator/scenarios.js';
import { parseIpv4 } from '../xdr/address-text.js';

const HELP = `usage: sflowkit generate --out DEST [options]

  --out DEST         udp://HOST:PORT (udp://[::1]:6343 for IPv6) or FILE.pcap
  --scenario NAME    ${SCENARIOS.join(', ')} (default steady)
  --duration S       simulated seconds (default 60)
  --rate N           UDP: send N datagrams/s (default: in real time, as the agents would)
  --seed N           the same seed gives the same data center and the same datagrams (default 1)
  --flows N          background flows (default 400)
  --config FILE      fabric settings as JSON (spines, leaves, portsPerLeaf, hosts, hostSpeeds, uplinkSpeed,
                     samplingRate, polling, vlans); see docs/generator.md
  --truth FILE       write what really happened (flows, interface rates, timeline) as JSON
  --start ISO-TIME   the capture's first timestamp (default now)
`;

/** The collector address in the frames of a pcap: agents send to it from their own addresses. */
const COLLECTOR = parseIpv4('10.0.0.254');

export async function generateCommand(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        scenario: { type: 'string' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        seed: { type: 'string' },
        flows: { type: 'string' },
        config: { type: 'string' },
        truth: { type: 'string' },
        start: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const out = values.out as string | undefined;
  if (!out) return usage('--out is required');
  const scenario = (values.scenario ?? 'steady') as ScenarioName;
  if (!SCENARIOS.includes(scenario)) return usage(`unknown scenario '${scenario}'`);
  const number = (name: string, fallback: number, min: number, max: number) => {
    const v = values[name] === undefined ? fallback : Number(values[name]);
    if (!Number.isFinite(v) || v < min || v > max)
      throw new RangeError(`--${name} must be between ${min} and ${max}`);
    return v;
  };
  let duration: number;
  let seed: number;
  let flows: number;
  let rate: number | undefined;
  let start: number;
  let fabric: FabricConfig;
  try {
    duration = Math.round(number('duration', 60, 1, 86400));
    seed = Math.round(number('seed', 1, 0, 2 ** 32 - 1));
    flows = Math.round(number('flows', 400, 0, 100000));
    rate = values.rate === undefined ? undefined : number('rate', 0, 1, 10_000_000);
    start = values.start === undefined ? Date.now() / 1000 : Date.parse(values.start as string) / 1000;
    if (!Number.isFinite(start)) throw new RangeError(`--start: cannot read '${values.start}' as a time`);
    fabric = {
      ...DEFAULT_FABRIC,
      ...(values.config ? JSON.parse(await readFile(values.config as string, 'utf8')) : {}),
    };
  } catch (e) {
    return usage((e as Error).message);
  }
  let dc: DataCenter;
  try {
    dc = new DataCenter({ fabric, scenario, seed, duration, flows });
  } catch (e) {
    return usage((e as Error).message);
  }
  const sent = out.startsWith('udp://') ? await toUdp(dc, out, rate) : await toPcap(dc, out, start);
  if (sent < 0) return 2;
  if (values.truth) await writeFile(values.truth as string, `${JSON.stringify(dc.truth())}\n`);
  process.stderr.write(`sflowkit generate: ${sent} datagrams, ${duration} s of ${scenario} (seed ${seed})\n`);
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`sflowkit generate: ${message}\n(sflowkit generate -h lists the options)\n`);
  return 2;
}

async function toPcap(dc: DataCenter, file: string, start: number): Promise<number> {
  const writer = new PcapWriter({ linkType: 1 });
  const stream = createWriteStream(file);
  stream.write(writer.fileHeader());
  const startNs = BigInt(Math.round(start * 1e6)) * 1000n;
  let n = 0;
  for (let second = dc.nextSecond(); second; second = dc.nextSecond()) {
    const chunks: Uint8Array[] = [];
    for (const e of second) {
      const frame = wrapUdp(e.bytes, {
        srcAddress: parseIpv4(e.agent),
        srcPort: 6343,
        dstAddress: COLLECTOR,
        dstPort: 6343,
      });
      chunks.push(
        writer.record({ timestampNs: startNs + BigInt(Math.round(e.time * 1e6)) * 1000n, data: frame }),
      );
      n++;
    }
    if (!stream.write(Buffer.concat(chunks))) await new Promise<void>((r) => stream.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return n;
}

/** udp://HOST:PORT with HOST an IPv4 address, a name, or [IPv6]. */
function parseUdp(url: string): { host: string; port: number } | undefined {
  const m = /^udp:\/\/(\[([^\]]+)\]|[^:/]+):(\d+)\/?$/.exec(url);
  if (!m) return undefined;
  const port = Number(m[3]);
  return port > 0 && port < 65536 ? { host: m[2] ?? m[1], port } : undefined;
}

async function toUdp(dc: DataCenter, url: string, rate: number | undefined): Promise<number> {
  const target = parseUdp(url);
  if (!target) {
    usage(`bad --out '${url}': expected udp://HOST:PORT or udp://[IPV6]:PORT`);
    return -1;
  }
  const socket: Socket = createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
  socket.on('error', (e) => process.stderr.write(`sflowkit generate: ${e.message}\n`));
  const began = performance.now();
  let n = 0;
  let failed = 0;
  let pending = 0;
  let drained: (() => void) | undefined;
  for (let second = dc.nextSecond(); second; second = dc.nextSecond()) {
    for (const e of second) {
      // Real time: each datagram when its agent sends it; with --rate, the n-th at n / rate seconds.
      const due = rate === undefined ? e.time * 1000 : (n * 1000) / rate;
      const wait = began + due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending++;
      socket.send(e.bytes, target.port, target.host, (err) => {
        if (err) failed++;
        if (--pending === 0) drained?.();
      });
      n++;
    }
  }
  // Closing drops what is still queued: wait for every send first.
  if (pending > 0) await new Promise<void>((r) => (drained = r));
  await new Promise<void>((r) => socket.close(() => r()));
  if (failed) process.stderr.write(`sflowkit generate: ${failed} sends failed\n`);
  return n;
}
