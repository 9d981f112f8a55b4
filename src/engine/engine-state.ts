/**
 * What of the engine outlives a restart: the flow definitions, thresholds and address groups, as the
 * definitions were given. Restoring re-applies each through the same checks as the API, so a state file
 * edited by hand into something wrong is refused with the reason, not half loaded.
 */
import type { Engine } from './engine.js';
import type { FlowSpec } from './flow-definition.js';
import { SpecError } from './spec-error.js';
import type { ThresholdSpec } from './thresholds.js';

export interface EngineState {
  version: 1;
  flows: Record<string, FlowSpec>;
  thresholds: Record<string, ThresholdSpec>;
  groups: Record<string, Record<string, string[]>>;
}

export function snapshot(engine: Engine): EngineState {
  return {
    version: 1,
    flows: engine.flows.specs(),
    thresholds: engine.thresholds.specs(),
    groups: engine.groups.all(),
  };
}

export function restore(engine: Engine, state: unknown): void {
  const s = state as Partial<EngineState> | null;
  if (typeof s !== 'object' || s === null || s.version !== 1) throw new SpecError('not a version 1 state');
  for (const [name, groups] of Object.entries(s.groups ?? {})) engine.groups.set(name, groups);
  for (const [name, spec] of Object.entries(s.flows ?? {})) engine.flows.set(name, spec);
  for (const [name, spec] of Object.entries(s.thresholds ?? {})) engine.thresholds.set(name, spec);
}
