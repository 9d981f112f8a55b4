/**
 * An interface's metrics from its if_counters (0:1), with sFlow-RT's names
 * (https://sflow-rt.com/metrics.php, "Generic Interface Metrics"): the gauges as they are, and the counters as
 * rates per second over the interval between two polls; utilization in percent of ifSpeed.
 */
import type { CounterRecordValue } from '../sflow/registry.js';
import { delta32, delta64 } from './counter-delta.js';

export type IfCounters = CounterRecordValue<'if_counters'>;
export type Metrics = Record<string, number | string>;

const DIRECTIONS = ['unknown', 'full-duplex', 'half-duplex', 'in', 'out'];

/** The counters that become rates: sFlow-RT's name, and the if_counters field (32 or 64 bits). */
const RATES: readonly [string, keyof IfCounters][] = [
  ['ifinoctets', 'ifInOctets'],
  ['ifinucastpkts', 'ifInUcastPkts'],
  ['ifinmulticastpkts', 'ifInMulticastPkts'],
  ['ifinbroadcastpkts', 'ifInBroadcastPkts'],
  ['ifindiscards', 'ifInDiscards'],
  ['ifinerrors', 'ifInErrors'],
  ['ifinunknownprotos', 'ifInUnknownProtos'],
  ['ifoutoctets', 'ifOutOctets'],
  ['ifoutucastpkts', 'ifOutUcastPkts'],
  ['ifoutmulticastpkts', 'ifOutMulticastPkts'],
  ['ifoutbroadcastpkts', 'ifOutBroadcastPkts'],
  ['ifoutdiscards', 'ifOutDiscards'],
  ['ifouterrors', 'ifOutErrors'],
];

/**
 * The metrics of `now`, with rates from `before` taken `seconds` earlier (none on the first poll, or where a
 * counter was reset).
 */
export function interfaceMetrics(now: IfCounters, before?: IfCounters, seconds?: number): Metrics {
  const m: Metrics = {
    ifindex: now.ifIndex,
    iftype: now.ifType === 6 ? 'ethernetCsmacd' : String(now.ifType),
    ifspeed: Number(now.ifSpeed),
    ifdirection: DIRECTIONS[now.ifDirection] ?? 'unknown',
    ifadminstatus: now.ifStatus & 1 ? 'up' : 'down',
    ifoperstatus: now.ifStatus & 2 ? 'up' : 'down',
  };
  if (before === undefined || !seconds || seconds <= 0) return m;
  for (const [name, field] of RATES) {
    const [a, b] = [before[field], now[field]];
    const d = typeof a === 'bigint' ? delta64(a, b as bigint) : delta32(a as number, b as number);
    if (d !== undefined) m[name] = d / seconds;
  }
  const sum = (...names: string[]) =>
    names.every((n) => typeof m[n] === 'number')
      ? names.reduce((s, n) => s + (m[n] as number), 0)
      : undefined;
  const inPkts = sum('ifinucastpkts', 'ifinmulticastpkts', 'ifinbroadcastpkts');
  const outPkts = sum('ifoutucastpkts', 'ifoutmulticastpkts', 'ifoutbroadcastpkts');
  if (inPkts !== undefined) m.ifinpkts = inPkts;
  if (outPkts !== undefined) m.ifoutpkts = outPkts;
  const speed = Number(now.ifSpeed);
  // sFlow-RT's definition: octets * 800 / ifspeed, a percentage.
  if (speed > 0 && typeof m.ifinoctets === 'number')
    m.ifinutilization = ((m.ifinoctets as number) * 800) / speed;
  if (speed > 0 && typeof m.ifoutoctets === 'number')
    m.ifoututilization = ((m.ifoutoctets as number) * 800) / speed;
  return m;
}
