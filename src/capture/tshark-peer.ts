/**
 * Test support: tshark and editcap (Wireshark, https://www.wireshark.org/docs/man-pages/tshark.html) as an
 * independent reader of the captures this module reads and writes, and the corpus of real captures.
 * Tests skip, with the reason these constants give, when a tool or the corpus is absent.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

function missingTool(tool: string): string | false {
  const r = spawnSync(tool, ['--version'], { stdio: 'ignore' });
  return r.error || r.status !== 0 ? `${tool} is not installed (apt-get install -y tshark)` : false;
}

/** A skip reason when tshark is absent, else false. */
export const tsharkMissing = missingTool('tshark');
/** A skip reason when editcap is absent, else false. */
export const editcapMissing = missingTool('editcap');

export const corpusDir = path.resolve(process.env.SFLOWKIT_CORPUS ?? '../shared/corpus');
/** A skip reason when the corpus is absent, else false. */
export const corpusMissing = existsSync(path.join(corpusDir, 'pcap'))
  ? false
  : `corpus not found at ${corpusDir} (set SFLOWKIT_CORPUS)`;

/** The corpus pcaps, by file name. */
export function corpusPcaps(): string[] {
  if (corpusMissing) return [];
  return readdirSync(path.join(corpusDir, 'pcap'))
    .filter((f) => f.endsWith('.pcap'))
    .sort();
}

export function corpusPcap(name: string): string {
  return path.join(corpusDir, 'pcap', name);
}

/** What tshark shows of one frame; the UDP fields are undefined when it found no UDP. */
export interface TsharkFrame {
  frame: number;
  timestampNs: bigint;
  capturedLength: number;
  srcAddress: string | undefined;
  srcPort: number | undefined;
  dstAddress: string | undefined;
  dstPort: number | undefined;
  /** 'Good' (1), 'Bad' (0) or 'Unverified' (2) as tshark reports them, with checksum validation on. */
  ipChecksum: string;
  udpChecksum: string;
  payloadHex: string | undefined;
}

/**
 * The fields of the outermost IP and UDP headers of every frame, sFlow dissection off so that the payload is
 * plain bytes and no sampled header inside it is mistaken for the outer one.
 */
export const TSHARK_FIELDS_ARGS = [
  '-n',
  '--disable-protocol',
  'sflow',
  '-o',
  'ip.check_checksum:TRUE',
  '-o',
  'udp.check_checksum:TRUE',
  '-T',
  'fields',
  '-E',
  'occurrence=f',
  '-E',
  'separator=/t',
  ...[
    'frame.number',
    'frame.time_epoch',
    'frame.cap_len',
    'ip.src',
    'ipv6.src',
    'udp.srcport',
    'ip.dst',
    'ipv6.dst',
    'udp.dstport',
    'ip.checksum.status',
    'udp.checksum.status',
    'udp.payload',
  ].flatMap((f) => ['-e', f]),
];

const CHECKSUM_STATUS: Record<string, string> = { '0': 'Bad', '1': 'Good', '2': 'Unverified', '': '' };

/**
 * `tshark -r FILE` with TSHARK_FIELDS_ARGS, parsed. Runs in parallel when called for several files at once.
 * With `stdin`, the file is `-` and the chunks are written to tshark's standard input one by one, as a
 * program writing pcap to a pipe would.
 */
export function tsharkFrames(file: string, stdin?: readonly Uint8Array[]): Promise<TsharkFrame[]> {
  const args = ['-r', stdin ? '-' : file, ...TSHARK_FIELDS_ARGS];
  // Node gives a child a socket, not a pipe, for standard input, and tshark -r - wants a pipe: cat makes one.
  const [command, commandArgs] = stdin
    ? ['sh', ['-c', 'cat | exec tshark "$@"', 'sh', ...args]]
    : ['tshark', args];
  return new Promise((resolve, reject) => {
    const child = execFile(command, commandArgs, { encoding: 'utf8', maxBuffer: 1 << 28 }, (error, out) => {
      if (error) reject(error);
      else resolve(parseFields(out));
    });
    if (stdin) {
      for (const chunk of stdin) child.stdin?.write(chunk);
      child.stdin?.end();
    }
  });
}

function parseFields(out: string): TsharkFrame[] {
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [frame, epoch, capLen, ip4s, ip6s, sport, ip4d, ip6d, dport, ipSum, udpSum, payload] =
        line.split('\t');
      const udp = sport !== '';
      return {
        frame: Number(frame),
        timestampNs: epochToNs(epoch),
        capturedLength: Number(capLen),
        srcAddress: udp ? ip4s || ip6s : undefined,
        srcPort: udp ? Number(sport) : undefined,
        dstAddress: udp ? ip4d || ip6d : undefined,
        dstPort: udp ? Number(dport) : undefined,
        ipChecksum: CHECKSUM_STATUS[ipSum] ?? ipSum,
        udpChecksum: CHECKSUM_STATUS[udpSum] ?? udpSum,
        payloadHex: udp ? payload : undefined,
      };
    });
}

/** "1599194542.951505000" → 1599194542951505000n, exactly. */
export function epochToNs(epoch: string): bigint {
  const [seconds, fraction = ''] = epoch.split('.');
  return BigInt(seconds) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

function run(tool: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, (error, _out, err) => (error ? reject(new Error(`${tool}: ${err}`)) : resolve()));
  });
}

/** Runs editcap with `args` (input and output files last). */
export function editcap(args: readonly string[]): Promise<void> {
  return run('editcap', args);
}

/** Runs mergecap (shipped with editcap) with `args`. */
export function mergecap(args: readonly string[]): Promise<void> {
  return run('mergecap', args);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
