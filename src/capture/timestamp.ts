/**
 * Capture timestamps are bigint nanoseconds since 1970-01-01T00:00:00Z: exact for both pcap resolutions and for
 * pcapng's decimal if_tsresol up to 10^-9 (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html).
 */
export const NS_PER_SECOND = 1_000_000_000n;

export type TimestampResolution = 'us' | 'ns';

/** Whole seconds and the fraction in microseconds ('us', as pcap and sflowtool keep it) or nanoseconds ('ns'). */
export interface TimestampParts {
  seconds: number;
  fraction: number;
}

/** Splits a timestamp, rounding down (towards the past, also before 1970) to the resolution asked for. */
export function splitTimestamp(ns: bigint, resolution: TimestampResolution = 'us'): TimestampParts {
  let seconds = ns / NS_PER_SECOND;
  let rest = ns % NS_PER_SECOND;
  if (rest < 0n) {
    seconds -= 1n;
    rest += NS_PER_SECOND;
  }
  const fraction = Number(rest);
  return { seconds: Number(seconds), fraction: resolution === 'us' ? Math.floor(fraction / 1000) : fraction };
}

/** Seconds as a float, for display and arithmetic where a microsecond of rounding does not matter. */
export function timestampSeconds(ns: bigint): number {
  const { seconds, fraction } = splitTimestamp(ns, 'ns');
  return seconds + fraction / 1e9;
}

/** Nanoseconds from seconds and a fraction in units of the resolution. */
export function timestampNs(
  seconds: number,
  fraction: number,
  resolution: TimestampResolution = 'us',
): bigint {
  return BigInt(seconds) * NS_PER_SECOND + BigInt(fraction) * (resolution === 'us' ? 1000n : 1n);
}
