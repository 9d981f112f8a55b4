/**
 * `sflowkit generate`: the simulated data center's sFlow (docs/generator.md), to a pcap file as fast as it
 * can be made, or to a collector over UDP (IPv4 or IPv6), in real time or at a set datagram rate; the truth
 * of what happened to a JSON file.
 */
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PcapWriter, wrapUdp } from '../capture/index.js';
import { DataCenter, type GeneratorConfig } from '../generator/data-center.js';
import { type FabricConfig, fabricConfig } from '../generator/fabric.js';
import { SCENARIOS, type ScenarioName } from '../generator/scenarios.js';
import { parseIpv4 } from '../xdr/address-text.js';
import { toUdp, UdpTargetError, udpTarget } from './udp-sender.js';

const HELP = `usage: sflowkit generate --out DEST [options]

  --out DEST         FILE.pcap, or udp://HOST:PORT (udp://[::1]:6343 for IPv6)
  --scenario NAME    ${SCENARIOS.join(', ')} (default steady)
  --duration S       seconds: of simulated time, which UDP sends in real time (default 60); with --rate,
                     of sending, the simulation running as long as it takes to fill them
  --rate N           UDP: send N datagrams/s
  --seed N           the same seed gives the same data center and the same datagrams (default 1)
  --flows N          background flows (default 400)
  --config FILE      fabric settings as JSON (spines, leaves, portsPerLeaf, hosts, hostSpeeds, uplinkSpeed,
                     samplingRate, polling, vlans); see docs/generator.md
  --truth FILE       write what really happened (flows, interface rates, timeline) as JSON
  --start ISO-TIME   the capture's first timestamp (default now)
`;

/** The collector address in the frames of a pcap: agents send to it from their own addresses. */
const COLLECTOR = parseIpv4('10.0.0.254');
class GenerateError extends Error {}

export async function generateCommand(args: string[]): Promise<number> {
  try {
    return await generate(args);
  } catch (e) {
    if (
      !(
        e instanceof GenerateError ||
        e instanceof UdpTargetError ||
        e instanceof RangeError ||
        e instanceof SyntaxError
      )
    )
      throw e;
    process.stderr.write(`sflowkit generate: ${e.message}\n(sflowkit generate -h lists the options)\n`);
    return 2;
  }
}

async function generate(args: string[]): Promise<number> {
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
    throw new GenerateError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const out = values.out as string | undefined;
  if (!out) throw new GenerateError('--out is required');
  const scenario = (values.scenario ?? 'steady') as ScenarioName;
  if (!SCENARIOS.includes(scenario)) throw new GenerateError(`unknown scenario '${scenario}'`);
  const numeric = (name: string, fallback: number, min: number, max: number) => {
    const v = values[name] === undefined ? fallback : Number(values[name]);
    if (!Number.isFinite(v) || v < min || v > max)
      throw new GenerateError(`--${name} must be between ${min} and ${max}`);
    return v;
  };
  const duration = Math.round(numeric('duration', 60, 1, 86400));
  const seed = Math.round(numeric('seed', 1, 0, 2 ** 32 - 1));
  const flows = Math.round(numeric('flows', 400, 0, 100000));
  const rate = values.rate === undefined ? undefined : numeric('rate', 0, 1, 10_000_000);
  const start = values.start === undefined ? Date.now() / 1000 : Date.parse(values.start as string) / 1000;
  if (!Number.isFinite(start)) throw new GenerateError(`--start: cannot read '${values.start}' as a time`);
  let settings: Record<string, unknown> = {};
  if (values.config) {
    const text = await readFile(values.config as string, 'utf8').catch((e: Error) => {
      throw new GenerateError(`--config: ${e.message}`);
    });
    settings = JSON.parse(text);
  }
  const fabric: FabricConfig = fabricConfig(settings);
  // Found unwritable now, not after the run.
  const truthFile = values.truth as string | undefined;
  if (truthFile)
    await writeFile(truthFile, '').catch((e: Error) =>
      Promise.reject(new GenerateError(`--truth: ${e.message}`)),
    );
  const config: GeneratorConfig = { fabric, scenario, seed, duration, flows };
  let dc: DataCenter;
  let sent: number;
  if (out.startsWith('udp://')) {
    const target = await udpTarget(out);
    if (rate !== undefined) config.duration = simulatedSecondsFor(config, rate * duration);
    dc = new DataCenter(config);
    sent = await toUdp(dc, target, rate, rate === undefined ? undefined : Math.round(rate * duration));
  } else {
    dc = new DataCenter(config);
    sent = await toPcap(dc, out, start);
  }
  if (truthFile) await writeFile(truthFile, `${JSON.stringify(dc.truth())}\n`);
  process.stderr.write(
    `sflowkit generate: ${sent} datagrams, ${config.duration} s of ${scenario} simulated (seed ${seed})\n`,
  );
  return 0;
}

/** Simulated seconds that give about `datagrams` datagrams, from the first 20 seconds' yield. */
function simulatedSecondsFor(config: GeneratorConfig, datagrams: number): number {
  const probe = new DataCenter({ ...config, duration: 20 });
  let n = 0;
  for (let s = probe.nextSecond(); s; s = probe.nextSecond()) n += s.length;
  return Math.min(86400, Math.max(config.duration, Math.ceil((1.2 * datagrams * 20) / Math.max(1, n))));
}

async function toPcap(dc: DataCenter, file: string, start: number): Promise<number> {
  const writer = new PcapWriter({ linkType: 1 });
  const stream = createWriteStream(file);
  const failed = new Promise<never>((_, reject) =>
    stream.once('error', (e) => reject(new GenerateError(`--out: ${e.message}`))),
  );
  const write = (chunk: Uint8Array) =>
    stream.write(chunk)
      ? Promise.resolve()
      : Promise.race([new Promise<void>((r) => stream.once('drain', () => r())), failed]);
  await write(writer.fileHeader());
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
    await write(Buffer.concat(chunks));
  }
  await Promise.race([new Promise<void>((resolve) => stream.end(() => resolve())), failed]);
  return n;
}
