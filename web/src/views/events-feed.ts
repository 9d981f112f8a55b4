/** A list of the newest events (threshold, agent and app events), as the overview and the events view show it. */
import type { EngineEvent } from '../api.js';
import { h } from '../dom.js';
import { clock, fixed } from '../format.js';

export function eventText(e: EngineEvent): string {
  if (e.metric === 'agent')
    return `${e.thresholdID === 'agent_lost' ? 'agent lost' : 'agent found'}: ${e.agent}`;
  if (e.metric === 'app') return `${e.thresholdID}: ${e.message ?? ''}`;
  const where = e.flowKey ? `${e.flowKey} at ${e.agent}` : `${e.agent} ${e.dataSource}`;
  return `${e.thresholdID}: ${e.metric} ${fixed(e.value ?? Number.NaN)} over ${fixed(e.threshold ?? Number.NaN)}, ${where}`;
}

export function eventList(events: readonly EngineEvent[]): HTMLElement {
  if (events.length === 0) return h('p', { class: 'muted' }, 'no events yet');
  return h(
    'ul',
    { class: 'events' },
    ...events.map((e) =>
      h(
        'li',
        { 'data-event': e.thresholdID, class: e.thresholdID === 'agent_lost' ? 'bad' : '' },
        h('span', { class: 'muted' }, `${clock(e.timestamp)} `),
        eventText(e),
      ),
    ),
  );
}
