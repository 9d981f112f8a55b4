/**
 * FastNetMon community edition (Debian package fastnetmon), a DDoS detector that takes sFlow. It turns every
 * flow sample whose header it can parse into a "simple packet" and counts them; its Prometheus endpoint shows
 * that count as fastnetmon_total_simple_packets_processed: flow samples. (Neither that endpoint nor its stats
 * file shows a per-datagram sFlow counter.) The configuration is Debian's /etc/fastnetmon.conf with what a
 * benchmark must change: ports and paths in the temporary directory, no usage report (it phones home), no bans,
 * no API (its port, 50052, is fixed), and networks_list the two /24s the sampled headers use (for 10.0.0.0/8 it
 * would ask for 11.9 GB). It has no setting for its socket's receive buffer: it keeps the system's default.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Collector,
  findCommand,
  freeTcpPort,
  type Peer,
  settledCount,
  sleep,
  spawnCollector,
  stopCollector,
  versionOf,
  waitForUdpPort,
} from './peer.js';

const METRIC = 'fastnetmon_total_simple_packets_processed';

export const fastnetmon: Peer = {
  name: 'fastnetmon',
  packages: ['fastnetmon'],
  unit: 'flow samples',
  counted:
    `${METRIC} from its Prometheus endpoint (flow samples whose header parsed); Debian's configuration ` +
    'otherwise (connection tracking on, 5 s averages), networks 10.0.0.0/24 and 10.1.0.0/22 (the switches and the hosts of 4 leaves). No setting for ' +
    'its receive buffer: it keeps net.core.rmem_default.',

  installed() {
    const daemon = findCommand('fastnetmon');
    if (!daemon) return { missing: 'fastnetmon' };
    return { version: versionOf(daemon, ['--version']) };
  },

  async start(port: number, dir: string): Promise<Collector> {
    const metricsPort = await freeTcpPort();
    const networks = join(dir, 'networks_list');
    const whitelist = join(dir, 'networks_whitelist');
    writeFileSync(networks, '10.0.0.0/24\n10.1.0.0/22\n');
    writeFileSync(whitelist, '');
    const config = join(dir, 'fastnetmon.conf');
    writeFileSync(
      config,
      [
        'logging_level = info',
        'logging_local_syslog_logging = off',
        'logging_remote_syslog_logging = off',
        'disable_usage_report = on',
        'enable_ban = off',
        'enable_ban_ipv6 = off',
        'process_incoming_traffic = on',
        'process_outgoing_traffic = on',
        `networks_list_path = ${networks}`,
        `white_list_path = ${whitelist}`,
        'check_period = 1',
        'enable_connection_tracking = on',
        'average_calculation_time = 5',
        'speed_calculation_delay = 1',
        'mirror_afpacket = off',
        'mirror_afxdp = off',
        'pcap = off',
        'netflow = off',
        'sflow = on',
        `sflow_port = ${port}`,
        'sflow_host = 127.0.0.1',
        'sflow_read_packet_length_from_ip_header = off',
        'monitor_local_ip_addresses = off',
        `pid_path = ${join(dir, 'fastnetmon.pid')}`,
        `cli_stats_file_path = ${join(dir, 'fastnetmon.dat')}`,
        `cli_stats_ipv6_file_path = ${join(dir, 'fastnetmon_ipv6.dat')}`,
        `notify_script_path = ${join(dir, 'notify.sh')}`,
        'enable_api = off',
        'prometheus = on',
        `prometheus_port = ${metricsPort}`,
        'prometheus_host = 127.0.0.1',
        '',
      ].join('\n'),
    );
    const args = [
      '--configuration_file',
      config,
      '--log_file',
      join(dir, 'fastnetmon.log'),
      '--disable_pid_logic',
    ];
    const child = spawnCollector(findCommand('fastnetmon')!, args, dir, 'fastnetmon');
    await waitForUdpPort(child, port);
    const read = async () => {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      const m = new RegExp(`^${METRIC} (\\d+)$`, 'm').exec(await response.text());
      if (!m) throw new Error(`no ${METRIC} at http://127.0.0.1:${metricsPort}/metrics`);
      return Number(m[1]);
    };
    // The endpoint starts just before the sFlow socket; make sure it answers before the traffic begins.
    const until = performance.now() + 10_000;
    for (;;) {
      try {
        await read();
        break;
      } catch (e) {
        if (performance.now() > until) throw e;
        await sleep(100);
      }
    }
    return {
      pid: child.pid!,
      count: () => settledCount(read),
      stop: () => stopCollector(child),
    };
  },
};
