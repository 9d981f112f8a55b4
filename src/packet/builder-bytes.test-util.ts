/** The byte writer and small helpers the test-side packet builders share. */

export class Bytes {
  private readonly out: number[] = [];
  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }
  u24(v: number): this {
    return this.u8(v >> 16).u16(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v);
  }
  raw(b: Uint8Array | readonly number[]): this {
    for (const v of b) this.out.push(v);
    return this;
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.out.push(0);
    return this;
  }
  get length(): number {
    return this.out.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export const EMPTY = new Uint8Array(0);

export function concat(...parts: Uint8Array[]): Uint8Array {
  const w = new Bytes();
  for (const p of parts) w.raw(p);
  return w.done();
}

/** The first `n` bytes, as an agent samples them. */
export function cut(bytes: Uint8Array, n: number): Uint8Array {
  return bytes.slice(0, n);
}

/** RFC 1071 Internet checksum. */
export function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
