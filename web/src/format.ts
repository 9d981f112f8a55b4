/** Numbers as people read them: SI prefixes, bits/s for networks, percentages, durations. */

const PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'];

/** 1234567 → "1.23 M": three significant digits and an SI prefix (powers of 1000). */
export function si(n: number, unit = ''): string {
  if (!Number.isFinite(n)) return '–';
  let i = 0;
  let v = Math.abs(n);
  while (v >= 999.5 && i < PREFIXES.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = (i === 0 && Number.isInteger(v)) || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  const text = `${n < 0 ? '-' : ''}${v.toFixed(digits)}`;
  const suffix = `${PREFIXES[i]}${unit}`;
  return suffix === '' ? text : `${text} ${suffix}`;
}

/** A byte rate as the network speaks it: bits per second. */
export const bitsPerSecond = (bytesPerSecond: number) => si(bytesPerSecond * 8, 'bit/s');
export const bytesPerSecond = (n: number) => si(n, 'B/s');
export const bytes = (n: number) => si(n, 'B');
export const perSecond = (n: number) => `${si(n)}/s`;
export const percent = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n >= 10 ? 0 : 1)}%` : '–');
export const count = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
export const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** Milliseconds ago → "3 s ago", "5 min ago". */
export function ago(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${(ms / 3_600_000).toFixed(1)} h ago`;
}

export const clock = (ms: number) => new Date(ms).toLocaleTimeString();

/** The units a chart or table column can show, of the values it is given (after a chart's scale). */
export type Unit = 'bits' | 'bytes' | 'bytesPerSecond' | 'percent' | 'perSecond' | 'number';

export const FORMATS: Record<Unit, (n: number) => string> = {
  /** Bits per second already (a chart of bytes/s has scale 8). */
  bits: (n) => si(n, 'bit/s'),
  bytes,
  bytesPerSecond,
  percent,
  perSecond,
  number: (n) => si(n),
};
