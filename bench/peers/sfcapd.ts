/**
 * nfdump's sFlow collector, sfcapd (Debian package nfdump-sflow), read back with nfdump (package nfdump).
 * sfcapd stores one flow record per IPv4/IPv6 flow sample, unaggregated, in nfcapd files; it writes the file
 * when it rotates it (every 300 s) or exits. So count() stops it (SIGTERM) and adds up the Flows line that
 * `nfdump -r FILE -I` prints for every file it wrote: flow samples.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Collector,
  findCommand,
  type Peer,
  spawnCollector,
  stopCollector,
  versionOf,
  waitForUdpPort,
} from './peer.js';

export const sfcapd: Peer = {
  name: 'sfcapd',
  packages: ['nfdump-sflow', 'nfdump'],
  unit: 'flow samples',
  counted:
    'stopped with SIGTERM, which writes its nfcapd file; the sum of `Flows:` from `nfdump -r FILE -I` (one ' +
    'record per flow sample, packets and bytes scaled by the sampling rate); receive buffer by -B. Defaults ' +
    'otherwise.',

  installed() {
    const daemon = findCommand('sfcapd');
    const reader = findCommand('nfdump');
    if (!daemon || !reader) return { missing: daemon ? 'nfdump' : 'sfcapd' };
    return { version: versionOf(daemon, ['-V']) };
  },

  async start(port: number, dir: string, receiveBuffer?: number): Promise<Collector> {
    const flows = join(dir, 'flows');
    mkdirSync(flows);
    const args = ['-b', '127.0.0.1', '-p', String(port), '-w', flows, '-I', 'bench'];
    if (receiveBuffer) args.push('-B', String(receiveBuffer));
    const child = spawnCollector(findCommand('sfcapd')!, args, dir, 'sfcapd');
    await waitForUdpPort(child, port);
    const stop = () => stopCollector(child, 'SIGTERM', 10_000);
    return {
      pid: child.pid!,
      async count() {
        await stop();
        const nfdump = findCommand('nfdump')!;
        // While it runs the file is nfcapd.current.<pid>; on exit it is renamed to nfcapd.<time>.
        const files = readdirSync(flows).filter((f) => /^nfcapd\.\d+$/.test(f));
        if (files.length === 0) throw new Error(`sfcapd left no nfcapd file in ${flows}`);
        let sum = 0;
        for (const f of files) {
          const r = spawnSync(nfdump, ['-r', join(flows, f), '-I'], { encoding: 'utf8', timeout: 30_000 });
          const m = /^Flows: (\d+)$/m.exec(r.stdout ?? '');
          if (r.status !== 0 || !m) throw new Error(`nfdump -r ${f} -I: ${(r.stderr || r.stdout).trim()}`);
          sum += Number(m[1]);
        }
        return sum;
      },
      stop,
    };
  },
};
