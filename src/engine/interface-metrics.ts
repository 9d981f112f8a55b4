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
  const rate32 = (name: string, a: number, b: number) => {
    const d = delta32(a, b);
    if (d !== undefined) m[name] = d / seconds;
  };
  const rate64 = (name: string, a: bigint, b: bigint) => {
    const d = delta64(a, b);
    if (d !== undefined) m[name] = d / seconds;
  };
  rate64('ifinoctets', before.ifInOctets, now.ifInOctets);
  rate32('ifinucastpkts', before.ifInUcastPkts, now.ifInUcastPkts);
  rate32('ifinmulticastpkts', before.ifInMulticastPkts, now.ifInMulticastPkts);
  rate32('ifinbroadcastpkts', before.ifInBroadcastPkts, now.ifInBroadcastPkts);
  rate32('ifindiscards', before.ifInDiscards, now.ifInDiscards);
  rate32('ifinerrors', before.ifInErrors, now.ifInErrors);
  rate32('ifinunknownprotos', before.ifInUnknownProtos, now.ifInUnknownProtos);
  rate64('ifoutoctets', before.ifOutOctets, now.ifOutOctets);
  rate32('ifoutucastpkts', before.ifOutUcastPkts, now.ifOutUcastPkts);
  rate32('ifoutmulticastpkts', before.ifOutMulticastPkts, now.ifOutMulticastPkts);
  rate32('ifoutbroadcastpkts', before.ifOutBroadcastPkts, now.ifOutBroadcastPkts);
  rate32('ifoutdiscards', before.ifOutDiscards, now.ifOutDiscards);
  rate32('ifouterrors', before.ifOutErrors, now.ifOutErrors);
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
