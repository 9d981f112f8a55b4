/**
 * `sflowkit demo` (what `npm start` runs): writes a small capture of sFlow that sflowkit makes itself — a
 * switch agent's datagrams, 7 flow samples and a counter sample each, in Ethernet/IPv4/UDP frames to port 6343 —
 * and decodes it with `sflowkit decode -r`, which prints it as sflowtool would.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wrapUdp, writePcap } from '../capture/index.js';
import { switchDatagram } from '../generator/switch-datagram.js';
import { parseIpv4 } from '../xdr/address-text.js';
import { decodeCommand } from './decode-command.js';

export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, count: { type: 'string' } } });
  const out = values.out ?? join(tmpdir(), 'sflowkit-demo.pcap');
  const count = Number(values.count ?? 3);
  const start = BigInt(Date.now()) * 1_000_000n;
  const endpoints = {
    srcAddress: parseIpv4('192.0.2.10'),
    srcPort: 50000,
    dstAddress: parseIpv4('192.0.2.1'),
    dstPort: 6343,
  };
  const frames = Array.from({ length: count }, (_, i) => ({
    timestampNs: start + BigInt(i) * 1_000_000_000n,
    data: wrapUdp(switchDatagram(i), endpoints),
  }));
  await writeFile(out, writePcap(frames, { linkType: 1 }));
  process.stderr.write(`sflowkit demo: wrote ${count} sFlow datagrams to ${out}; decoding it:\n`);
  return decodeCommand(['-r', out]);
}
