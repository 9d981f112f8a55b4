/**
 * Our lossless JSON form of decoded values (docs/json.md): 64-bit integers as exact JSON numbers, opaque bytes
 * as lowercase hex strings, NaN and infinities as strings, undefined fields left out.
 */
export function toJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (v instanceof Uint8Array)
        return `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}"`;
      if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : toJson(x))).join(',')}]`;
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function')
        return toJson((v as { toJSON(): unknown }).toJSON());
      return `{${Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`)
        .join(',')}}`;
    default:
      return 'null';
  }
}
