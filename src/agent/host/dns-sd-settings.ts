/**
 * The settings a DNS-SD TXT record may carry, checked as hsflowd.conf's are. hsflowd's dynamic_config_line
 * reads txtvers, sampling, sampling.<x>, polling, polling.<x>, agentIP, agent, agent.cidr, headerBytes (capped
 * at 256 rather than refused) and dropLimit; datagramBytes is a hsflowd TODO that we take as well. Keys match
 * without regard to case, as in hsflowd.
 * https://github.com/sflow/host-sflow/blob/master/src/Linux/hsflowconfig.c (dynamic_config_line)
 */
import { applyWildcard } from './hsflowd-conf.js';
import { DATAGRAM_BYTES, POLLING, SAMPLING } from './hsflowd-conf-schema.js';
import type { HostAgentConfig } from './hsflowd-conf-types.js';
import { type AgentCidr, describe, type Kind, parseValue, type Value } from './hsflowd-conf-values.js';

type Apply = (config: HostAgentConfig) => void;

interface Rule {
  kind: Kind;
  set: (config: HostAgentConfig, value: Value, key: string) => void;
}

const RULES: Record<string, Rule> = {
  sampling: { kind: SAMPLING, set: (c, v) => (c.sampling = v as number) },
  polling: { kind: POLLING, set: (c, v) => (c.polling = v as number) },
  headerbytes: {
    kind: { t: 'int', min: 0, max: 0xffffffff },
    set: (c, v) => (c.headerBytes = Math.min(v as number, 256)),
  },
  datagrambytes: { kind: DATAGRAM_BYTES, set: (c, v) => (c.datagramBytes = v as number) },
  agentip: { kind: { t: 'address' }, set: (c, v) => (c.agentIP = v as string) },
  agent: { kind: { t: 'string' }, set: (c, v) => (c.agent = v as string) },
  // Prefixes from DNS-SD replace the file's rather than add to them, as in hsflowd (agentAddressPriority).
  'agent.cidr': { kind: { t: 'cidr' }, set: (c, v) => (c.agentCidrs = [v as AgentCidr]) },
};

const SAMPLING_X: Rule = { kind: SAMPLING, set: (c, v, key) => applyWildcard(c, key, v as number) };
const POLLING_X: Rule = { kind: POLLING, set: (c, v, key) => applyWildcard(c, key, v as number) };

/** How to apply one TXT setting, or why it is not applied. */
export function txtSetting(key: string, text: string): Apply | string {
  const lower = key.toLowerCase();
  if (lower === 'txtvers') return () => {};
  const rule =
    RULES[lower] ??
    (/^sampling\../.test(lower) ? SAMPLING_X : /^polling\../.test(lower) ? POLLING_X : undefined);
  if (!rule)
    return lower === 'droplimit'
      ? `'${key}' is not used by this agent (ignored)`
      : `unknown setting '${key}' (ignored)`;
  const value = parseValue(rule.kind, text);
  if (value === undefined) return `'${key}' ${describe(rule.kind)}, not '${text}' (ignored)`;
  return (config) => rule.set(config, value, key);
}
