/**
 * Datagrams the kernel dropped before the collector could read them, from Linux's /proc/net: the UDP totals of
 * the network namespace (`/proc/net/snmp`, `/proc/net/snmp6`) and the drops of the sockets bound to one port
 * (`/proc/net/udp`, `/proc/net/udp6`). A full receive buffer shows up here and nowhere else, so this is how
 * the engine learns that it reads too slowly. Where a file is absent or unreadable (not Linux, a sandbox) the
 * counts are zero: the engine runs on without them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KernelUdpCounters {
  /** Datagrams dropped because a socket's receive buffer was full (Udp RcvbufErrors + Udp6RcvbufErrors). */
  rcvbufErrors: number;
  /** Datagrams not delivered for any reason but no port listening, full buffers included (InErrors). */
  inErrors: number;
  /** Datagrams delivered to sockets (InDatagrams). */
  inDatagrams: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The `Udp:` counters of /proc/net/snmp, which come as two lines with the same prefix: names, then values
 * (https://www.kernel.org/doc/html/latest/networking/snmp_counter.html).
 */
export function parseSnmpUdp(text: string): Record<string, number> {
  const rows = text.split('\n').filter((l) => l.startsWith('Udp: '));
  if (rows.length < 2) return {};
  const names = rows[0].split(/\s+/).slice(1);
  const values = rows[1].split(/\s+/).slice(1);
  return Object.fromEntries(names.map((n, i) => [n, Number(values[i])]));
}

/** /proc/net/snmp6: one `Name value` pair per line. */
export function parseSnmp6(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [name, value] = line.trim().split(/\s+/);
    if (name && value !== undefined) out[name] = Number(value);
  }
  return out;
}

/** The kernel's UDP counters, IPv4 and IPv6 added together; zeros for what cannot be read. */
export function readKernelUdpCounters(procNet = '/proc/net'): KernelUdpCounters {
  const v4 = parseSnmpUdp(read(join(procNet, 'snmp')) ?? '');
  const v6 = parseSnmp6(read(join(procNet, 'snmp6')) ?? '');
  const sum = (a: number | undefined, b: number | undefined) => (a || 0) + (b || 0);
  return {
    rcvbufErrors: sum(v4.RcvbufErrors, v6.Udp6RcvbufErrors),
    inErrors: sum(v4.InErrors, v6.Udp6InErrors),
    inDatagrams: sum(v4.InDatagrams, v6.Udp6InDatagrams),
  };
}

/**
 * The drops of every socket in a /proc/net/udp or udp6 table whose local port is `port`. Each row reads
 * `sl local_address rem_address st tx_queue:rx_queue … drops`, the local address as hex `ADDRESS:PORT`.
 * The header's names do not line up with the fields (`tx_queue rx_queue` name one field), so drops is taken
 * as the last field, after checking that the header ends with it.
 */
export function parseSocketDrops(text: string, port: number): number {
  const [header, ...rows] = text.split('\n');
  const names = (header ?? '').trim().split(/\s+/);
  if (names[1] !== 'local_address' || names.at(-1) !== 'drops') return 0;
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let drops = 0;
  for (const row of rows) {
    const fields = row.trim().split(/\s+/);
    if (fields.length > 2 && fields[1].endsWith(suffix)) drops += Number(fields.at(-1)) || 0;
  }
  return drops;
}

/** Datagrams dropped by the sockets bound to UDP `port`, IPv4 and IPv6; 0 for what cannot be read. */
export function socketDrops(port: number, procNet = '/proc/net'): number {
  let drops = 0;
  for (const file of ['udp', 'udp6']) drops += parseSocketDrops(read(join(procNet, file)) ?? '', port);
  return drops;
}
