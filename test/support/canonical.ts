/** A comparable text form of decoded values: bytes as hex, bigints tagged, -0 kept apart from 0. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (typeof x === 'number' && Object.is(x, -0)) return '-0';
    if (typeof x === 'number' && Number.isNaN(x)) return 'NaN';
    if (x instanceof Uint8Array)
      return `0x${Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex')}`;
    if (x && typeof x === 'object' && (x as { type?: string }).type === 'Buffer') {
      return `0x${Buffer.from((x as { data: number[] }).data).toString('hex')}`;
    }
    return x;
  });
}
