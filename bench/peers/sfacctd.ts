/**
 * pmacct's sFlow collector, sfacctd (Debian package pmacct), with its memory plugin. Every flow sample it
 * accounts for adds 1 to PACKETS (sfacctd_renormalize is off by default, so counts are not scaled by the
 * sampling rate); the sum of PACKETS over the table, read with the `pmacct` client, is the number of flow
 * samples that went all the way through: socket, core process, the pipe to the plugin, the plugin's table.
 *
 * The queue between core and plugin is set as pmacct's QUICKSTART shows for heavy traffic (plugin_buffer_size
 * 10240, plugin_pipe_size 1024000): with the defaults (no buffering, one element per transfer) sfacctd lost 1%
 * at 10,000 datagrams/s on this machine with no kernel drops, and logged "Missing data detected … Increase
 * values or look for plugin_buffer_size, plugin_pipe_size". The price: a partly filled buffer waits in the core
 * for more, so the count can fall short by up to one buffer (10240 / 344 bytes = 29 flow samples), under
 * 0.014% of a step at 10,000 datagrams/s for 3 s. It stops on SIGINT; on SIGTERM its core process waits for
 * ever for the plugin.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Collector,
  findCommand,
  type Peer,
  settledCount,
  spawnCollector,
  stopCollector,
  versionOf,
  waitForUdpPort,
} from './peer.js';

export const sfacctd: Peer = {
  name: 'sfacctd',
  packages: ['pmacct'],
  unit: 'flow samples',
  counted:
    'memory plugin aggregating on src_host,dst_host; the sum of PACKETS from `pmacct -s -O csv` (1 per flow ' +
    'sample); plugin_buffer_size 10240 and plugin_pipe_size 1024000 as pmacct advises for heavy traffic (up to ' +
    '29 flow samples can stay in a partly filled buffer); receive buffer by sfacctd_pipe_size. Two processes ' +
    '(core and plugin): CPU and RSS are their sums.',

  installed() {
    const daemon = findCommand('sfacctd');
    const client = findCommand('pmacct');
    if (!daemon || !client) return { missing: daemon ? 'pmacct (the client)' : 'sfacctd' };
    return { version: versionOf(daemon, ['-V']) };
  },

  async start(port: number, dir: string, receiveBuffer?: number): Promise<Collector> {
    const pipe = join(dir, 'sfacctd.pipe');
    const config = join(dir, 'sfacctd.conf');
    writeFileSync(
      config,
      [
        'daemonize: false',
        `logfile: ${join(dir, 'sfacctd.log')}`,
        'sfacctd_ip: 127.0.0.1',
        `sfacctd_port: ${port}`,
        'plugins: memory[bench]',
        'aggregate[bench]: src_host, dst_host',
        `imt_path[bench]: ${pipe}`,
        'plugin_buffer_size: 10240',
        'plugin_pipe_size: 1024000',
        ...(receiveBuffer ? [`sfacctd_pipe_size: ${receiveBuffer}`] : []),
        '',
      ].join('\n'),
    );
    const child = spawnCollector(findCommand('sfacctd')!, ['-f', config], dir, 'sfacctd');
    await waitForUdpPort(child, port);
    const client = findCommand('pmacct')!;
    const read = async () => {
      const r = spawnSync(client, ['-p', pipe, '-s', '-O', 'csv'], { encoding: 'utf8', timeout: 10_000 });
      if (r.status !== 0) throw new Error(`pmacct -s: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
      return sumColumn(r.stdout, 'PACKETS');
    };
    return {
      pid: child.pid!,
      count: () => settledCount(read),
      stop: () => stopCollector(child, 'SIGINT'),
    };
  },
};

/** The sum of one column of pmacct's CSV output (a header line, then one line per aggregate). */
function sumColumn(csv: string, column: string): number {
  const lines = csv.trim().split('\n');
  const at = lines[0].split(',').indexOf(column);
  if (at < 0) throw new Error(`pmacct -s: no ${column} column in ${JSON.stringify(lines[0])}`);
  let sum = 0;
  for (const line of lines.slice(1)) if (line) sum += Number(line.split(',')[at]);
  return sum;
}
