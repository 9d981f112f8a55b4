import type { Codec } from '../schema.js';

/** One registry entry: the tag that selects a structure, its codec and the spec document that defines it. */
export interface RecordDef<T = unknown> {
  readonly enterprise: number;
  readonly format: number;
  /** `enterprise:format`, as sflowtool and sFlow-RT print it. */
  readonly tag: string;
  /** The XDR `data_format` word: enterprise in the top 20 bits, format in the low 12. */
  readonly dataFormat: number;
  readonly codec: Codec<T>;
  readonly spec: string;
}

export function record<T>(enterprise: number, format: number, codec: Codec<T>, spec: string): RecordDef<T> {
  return {
    enterprise,
    format,
    tag: `${enterprise}:${format}`,
    dataFormat: dataFormat(enterprise, format),
    codec,
    spec,
  };
}

export function dataFormat(enterprise: number, format: number): number {
  return ((enterprise << 12) | format) >>> 0;
}

export function tagOf(dataFormat: number): string {
  return `${dataFormat >>> 12}:${dataFormat & 0xfff}`;
}
