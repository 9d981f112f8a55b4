/**
 * A flow definition as sFlow-RT takes it (https://sflow-rt.com/define_flow.php): keys, value, filter, t, n, fs,
 * log, flowStart, activeTimeout. `parseFlowDefinition` checks a JSON body field by field and compiles the key,
 * filter and value expressions once, so that a mistake is refused with its reason before any sample is seen.
 */
import type { FlowContext } from './flow-context.js';
import { compileFilter, type FilterFn } from './flow-filter.js';
import { compileKeys, type KeyEnv, type KeyFn } from './flow-keys.js';
import { compileValue, type ValueFn } from './flow-values.js';
import { SpecError } from './spec-error.js';

/** The definition as given and as /flow/{name}/json returns it, defaults filled in. */
export interface FlowSpec {
  keys: string;
  value: string;
  filter?: string;
  /** Smoothing time constant, seconds. */
  t: number;
  /** Top flows kept per data source for the flow's metric. */
  n: number;
  /** Separator of the key values in a flow key. */
  fs: string;
  /** Whether completed flows are recorded for /flows/json. */
  log: boolean;
  /** Whether a record is also made when a flow starts. */
  flowStart: boolean;
  /** Seconds after which a long-lived logged flow is reported and started again. */
  activeTimeout: number;
}

export interface FlowDefinition {
  name: string;
  spec: FlowSpec;
  keys: KeyFn[];
  filter: FilterFn | undefined;
  value: ValueFn;
  /** The flow key of a sample, or undefined when a key is absent. */
  keyOf(ctx: FlowContext): string | undefined;
}

const DEFAULTS = { value: 'frames', t: 2, n: 5, fs: ',', log: false, flowStart: false, activeTimeout: 60 };
const FIELDS = new Set(['keys', 'value', 'filter', 't', 'n', 'fs', 'log', 'flowStart', 'activeTimeout']);

/** The names flows, thresholds and groups may have: a metric name's characters, as sFlow-RT accepts them. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function checkName(kind: string, name: string): void {
  if (!NAME_PATTERN.test(name))
    throw new SpecError(`${kind} name '${name}' must be 1 to 64 letters, digits, '_' or '-'`);
}

function field<T>(body: Record<string, unknown>, name: string, type: string, fallback: T): T {
  const v = body[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== type) throw new SpecError(`'${name}' must be a ${type}, not ${JSON.stringify(v)}`);
  return v as T;
}

function positive(name: string, v: number, integer = false): number {
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))
    throw new SpecError(`'${name}' must be a positive ${integer ? 'integer' : 'number'}, not ${v}`);
  return v;
}

export function parseFlowDefinition(name: string, body: unknown, env: KeyEnv): FlowDefinition {
  checkName('flow', name);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SpecError('a flow definition is a JSON object, like {"keys":"ipsource","value":"bytes"}');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!FIELDS.has(k)) throw new SpecError(`unknown flow option '${k}'`);
  // No keys is a flow too, as sFlow-RT has it: all matching traffic as one flow, keyed ''.
  const keysText = field<string>(b, 'keys', 'string', '');
  const filterText = field<string | undefined>(b, 'filter', 'string', undefined);
  const spec: FlowSpec = {
    keys: keysText,
    value: field(b, 'value', 'string', DEFAULTS.value),
    ...(filterText ? { filter: filterText } : {}),
    t: positive('t', field(b, 't', 'number', DEFAULTS.t)),
    n: positive('n', field(b, 'n', 'number', DEFAULTS.n), true),
    fs: field(b, 'fs', 'string', DEFAULTS.fs),
    log: field(b, 'log', 'boolean', DEFAULTS.log),
    flowStart: field(b, 'flowStart', 'boolean', DEFAULTS.flowStart),
    activeTimeout: positive('activeTimeout', field(b, 'activeTimeout', 'number', DEFAULTS.activeTimeout)),
  };
  if (spec.fs === '') throw new SpecError("'fs' must not be empty");
  const keys = compileKeys(spec.keys, env);
  const filter = spec.filter === undefined ? undefined : compileFilter(spec.filter, env);
  const value = compileValue(spec.value, env);
  return { name, spec, keys, filter, value, keyOf: joinKeys(keys, spec.fs) };
}

/**
 * The flow key function: the key values joined by `fs`. Array.join makes one flat string where `+` would make
 * a rope that the flow table's Map has to flatten before hashing it, on every sample.
 */
function joinKeys(keys: KeyFn[], fs: string): (ctx: FlowContext) => string | undefined {
  if (keys.length === 1) return keys[0];
  const parts: string[] = new Array(keys.length);
  return (ctx) => {
    for (let i = 0; i < keys.length; i++) {
      const v = keys[i](ctx);
      if (v === undefined) return undefined;
      parts[i] = v;
    }
    return parts.join(fs);
  };
}
