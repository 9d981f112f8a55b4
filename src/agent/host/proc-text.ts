/**
 * Reading the kernel's text files (/proc, /sys) for the host counters. A file that is missing or unreadable
 * (a container, a restricted /proc, a NIC that is down) reads as undefined and never throws: each reader then
 * leaves its record out or sends the spec's "unknown" value.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KnownCounterRecord } from '../../sflow/model.js';
import { recordValue } from '../../sflow/record-values.js';
import { COUNTER_RECORDS, type CounterRecordName, type CounterRecordValue } from '../../sflow/registry.js';
import type { Codec } from '../../sflow/schema.js';

/** hsflowd's UNSUPPORTED_SFLOW_COUNTER32: a u32 counter the host cannot supply. */
export const UNKNOWN_U32 = 0xffffffff;

/** The text of `path` under `root`, or undefined. */
export async function readText(root: string, path: string): Promise<string | undefined> {
  try {
    return await readFile(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** A decimal integer, exactly: kernel counters run to 64 bits, past what a Number holds. */
export function integer(text: string | undefined): bigint | undefined {
  const t = text?.trim();
  return t !== undefined && /^-?\d+$/.test(t) ? BigInt(t) : undefined;
}

/** An sFlow u32 counter: the low 32 bits, so it wraps as the agent's 32-bit counter would. */
export function u32(v: bigint): number {
  return Number(BigInt.asUintN(32, v));
}

/** An sFlow u64 counter. */
export function u64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}

/** `name value…` lines (/proc/meminfo's `MemTotal: 123 kB`, /proc/vmstat's `pgpgin 123`): the first number. */
export function keyValues(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    const m = /^([^\s:]+):?\s+(-?\d+)/.exec(line);
    if (m) out.set(m[1], BigInt(m[2]));
  }
  return out;
}

/** A counter record of the registry's structure `name`: zero in every field not given. */
export function counterRecord<N extends CounterRecordName>(
  name: N,
  fields: Partial<CounterRecordValue<N>>,
): KnownCounterRecord {
  const def = COUNTER_RECORDS[name];
  const codec = def.codec as unknown as Codec<CounterRecordValue<N>>;
  return { name, tag: def.tag, value: recordValue(codec, fields) } as KnownCounterRecord;
}
