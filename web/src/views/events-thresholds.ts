/**
 * The thresholds (each with its Delete button and when it last fired) and the form that sets one. The metric
 * box offers every metric reported and every flow name. The API's message for a bad threshold is shown.
 */
import { deleteJson, getJson, putJson } from '../api.js';
import { fill, h } from '../dom.js';
import { clock, percent, si } from '../format.js';
import { flowUnit } from './flow-chart.js';

interface ThresholdSpec {
  metric: string;
  value: number;
  byFlow: boolean;
  timeout: number;
  filter?: Record<string, (string | number)[]>;
}

/** Seconds between re-reads of the metric names for the form's list. */
const NAMES_EVERY = 10;

export class Thresholds {
  private readonly box = h('div', { id: 'thresholds', class: 'table-scroll' });
  private readonly name = h('input', {
    id: 'threshold-name',
    required: true,
    placeholder: 'e.g. elephant',
    size: 16,
  });
  private readonly metric = h('input', {
    id: 'threshold-metric',
    list: 'threshold-metrics',
    required: true,
    placeholder: 'metric or flow name',
    size: 22,
  });
  private readonly names = h('datalist', { id: 'threshold-metrics' });
  private readonly value = h('input', {
    id: 'threshold-value',
    type: 'number',
    step: 'any',
    required: true,
    size: 12,
  });
  private readonly byFlow = h('input', { id: 'threshold-byflow', type: 'checkbox' });
  private readonly timeout = h('input', {
    id: 'threshold-timeout',
    type: 'number',
    min: 0,
    placeholder: '60',
    size: 6,
  });
  private readonly error = h('p', { id: 'threshold-error', class: 'error', role: 'alert', hidden: true });
  /** What the table shows, to redraw it only on change (a button redrawn under the pointer loses its click). */
  private drawn = '';
  private listed = '';
  /** Each flow definition's value option, for the unit of a threshold on it. */
  private flowValues = new Map<string, string>();
  private ticks = 0;

  constructor(
    list: HTMLElement,
    form: HTMLElement,
    private readonly lastFired: (id: string) => number | undefined,
  ) {
    list.append(this.box);
    const field = (label: string, input: HTMLElement, hint?: string) => [
      h('label', { for: input.id }, label),
      h('span', {}, input, hint ? h('span', { class: 'muted' }, ` ${hint}`) : null),
    ];
    const el = h(
      'form',
      {
        id: 'threshold-form',
        style: 'display:grid;grid-template-columns:max-content 1fr;gap:0.4rem 0.75rem;align-items:center',
      },
      ...field('name', this.name),
      ...field('metric', this.metric),
      ...field('above', this.value, 'bytes/s for a flow of bytes, % for utilization'),
      ...field('by flow', this.byFlow, 'one event per flow key, not per agent and data source'),
      ...field('timeout', this.timeout, 'seconds before it may fire again (60 if empty)'),
      h('span'),
      h('span', {}, h('button', { type: 'submit' }, 'Set threshold')),
      this.names,
    );
    el.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.set();
    });
    form.append(
      el,
      this.error,
      h(
        'p',
        { class: 'muted' },
        'An event when a value goes above the threshold: a counter metric (docs/metrics.md) at each agent and ' +
          'data source, or the largest flow of a flow definition.',
      ),
    );
  }

  /** Called every second. */
  async update(): Promise<void> {
    const [specs] = await Promise.all([
      getJson<Record<string, ThresholdSpec>>('/threshold/json'),
      this.ticks++ % NAMES_EVERY === 0 ? this.readNames() : undefined,
    ]);
    const rows = Object.entries(specs).sort(([a], [b]) => a.localeCompare(b));
    const fired = rows.map(([id]) => this.lastFired(id));
    const text = JSON.stringify([rows, fired, [...this.flowValues]]);
    if (text === this.drawn) return;
    this.drawn = text;
    this.draw(rows, fired);
  }

  private draw(rows: [string, ThresholdSpec][], fired: (number | undefined)[]): void {
    const head = ['name', 'metric', 'above', 'by flow', 'filter', 'timeout (s)', 'last event', ''];
    const num = new Set([2, 5]);
    fill(
      this.box,
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ...head.map((t, i) => h('th', { class: num.has(i) ? 'num' : '' }, t)))),
        h(
          'tbody',
          {},
          ...(rows.length === 0
            ? [h('tr', {}, h('td', { colspan: head.length, class: 'muted' }, 'no thresholds; set one below'))]
            : rows.map(([id, t], i) =>
                h(
                  'tr',
                  { 'data-key': id },
                  h('td', {}, id),
                  h('td', {}, t.metric),
                  h('td', { class: 'num', title: String(t.value) }, this.level(t)),
                  h('td', {}, t.byFlow ? 'yes' : 'no'),
                  h('td', {}, t.filter ? JSON.stringify(t.filter) : '–'),
                  h('td', { class: 'num' }, String(t.timeout)),
                  h(
                    'td',
                    { class: fired[i] === undefined ? 'muted' : '' },
                    fired[i] ? clock(fired[i]) : 'not yet',
                  ),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      { type: 'button', class: 'danger', onclick: () => void this.remove(id) },
                      'Delete',
                    ),
                  ),
                ),
              )),
        ),
      ),
    );
  }

  /** A threshold's value in its metric's unit, where known: a flow's value, or a percent metric. */
  private level(t: ThresholdSpec): string {
    const flow = this.flowValues.get(t.metric);
    if (flow === 'bytes') return si(t.value, 'B/s');
    if (flow !== undefined) return `${si(t.value)} ${flowUnit(flow).label}`;
    if (t.metric.endsWith('utilization')) return percent(t.value);
    return si(t.value);
  }

  private async set(): Promise<void> {
    const body: Record<string, unknown> = {
      metric: this.metric.value.trim(),
      value: Number(this.value.value),
      byFlow: this.byFlow.checked,
    };
    if (this.timeout.value !== '') body.timeout = Number(this.timeout.value);
    await this.write(() => putJson(`/threshold/${encodeURIComponent(this.name.value.trim())}/json`, body));
  }

  private remove(id: string): Promise<void> {
    return this.write(() => deleteJson(`/threshold/${encodeURIComponent(id)}/json`));
  }

  /** A write, then the table at once; the API's message when it refuses. */
  private async write(request: () => Promise<unknown>): Promise<void> {
    try {
      await request();
      this.say('');
      await this.update();
    } catch (e) {
      this.say(e instanceof Error ? e.message : String(e));
    }
  }

  private async readNames(): Promise<void> {
    const [metrics, flows] = await Promise.all([
      getJson<Record<string, number>>('/metrics/json'),
      getJson<Record<string, { value: string }>>('/flow/json'),
    ]);
    this.flowValues = new Map(Object.entries(flows).map(([n, f]) => [n, f.value]));
    const flowNames = Object.keys(flows).sort();
    const flowSet = new Set(flowNames);
    const metricNames = Object.keys(metrics)
      .filter((n) => !flowSet.has(n))
      .sort();
    const text = JSON.stringify([flowNames, metricNames]);
    if (this.listed === text) return;
    this.listed = text;
    fill(
      this.names,
      ...flowNames.map((n) => h('option', { value: n }, 'flow')),
      ...metricNames.map((n) => h('option', { value: n }, 'metric')),
    );
  }

  private say(message: string): void {
    this.error.textContent = message;
    this.error.hidden = message === '';
  }
}
