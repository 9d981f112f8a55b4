/**
 * The network view's top flows, as sFlow-RT's browse-flows app has them: keys, value and filter typed in a
 * form define the flow `browse_flows`, whose largest flows are listed live beside their history. Any other
 * definition (sflowkit_* or a user's) can be picked to show instead. The API's message for a bad key or filter
 * is shown beside the form.
 */
import { type ActiveFlow, ApiFailure, type Columns, getJson, putJson } from '../api.js';
import { fill, h } from '../dom.js';
import { DataTable } from '../table.js';
import type { ViewContext } from '../view.js';
import { FlowChart, flowUnit } from './flow-chart.js';

/** The definition the form writes, as browse-flows names it. */
export const BROWSE_FLOWS = 'browse_flows';
const MAX_FLOWS = 20;
/** Seconds between re-reads of the definitions (they change only when someone defines one). */
const DEFINITIONS_EVERY = 10;

export interface FlowSpec {
  keys: string;
  value: string;
  filter?: string;
  fs?: string;
}

interface FlowRow extends ActiveFlow {
  /** The key's values, one per key of the definition. */
  parts: string[];
}

/** What is on screen for one definition; made again when another is picked, as its columns differ. */
interface Shown {
  name: string;
  spec: FlowSpec;
  table: DataTable<FlowRow>;
  chart: FlowChart;
}

export class TopFlows {
  private readonly keys = h('input', { id: 'flow-keys', value: 'ipsource,ipdestination', size: 34 });
  private readonly value = h('input', { id: 'flow-value', value: 'bytes', size: 10 });
  private readonly filter = h('input', {
    id: 'flow-filter',
    placeholder: 'optional, e.g. ipprotocol=6',
    size: 26,
  });
  private readonly pick = h('select', { id: 'flow-definition', 'aria-label': 'flow definition to show' });
  private readonly error = h('p', { id: 'flow-error', class: 'error', role: 'alert', hidden: true });
  private readonly about = h('p', { id: 'flow-spec', class: 'muted' });
  private readonly tableBox = h('div', { id: 'top-flows' });
  private readonly chartBox = h('div', { id: 'flow-chart' });
  private readonly panes = h('div', { class: 'grid' }, this.tableBox, this.chartBox);
  private definitions: Record<string, FlowSpec> = {};
  private shown?: Shown;
  private loaded = false;
  private ticks = 0;

  constructor(
    parent: HTMLElement,
    private readonly ctx: ViewContext,
  ) {
    const form = h(
      'form',
      { id: 'flow-form', class: 'toolbar' },
      h('label', {}, 'keys ', this.keys),
      h('label', {}, 'value ', this.value),
      h('label', {}, 'filter ', this.filter),
      h('button', { type: 'submit' }, 'Show top flows'),
      h('span', { class: 'muted', style: 'margin-left:1rem' }, 'or show'),
      this.pick,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.define();
    });
    this.pick.addEventListener('change', () => {
      this.show(this.pick.value);
      void this.update();
    });
    parent.append(form, this.error, this.about, this.panes);
    this.show('');
  }

  /** Called every second: the shown definition's flows and history; the list of definitions now and then. */
  async update(): Promise<void> {
    if (this.ticks++ % DEFINITIONS_EVERY === 0) await this.readDefinitions();
    const shown = this.shown;
    if (shown === undefined) return;
    const name = encodeURIComponent(shown.name);
    let flows: ActiveFlow[];
    let history: Columns;
    try {
      [flows, history] = await Promise.all([
        getJson<ActiveFlow[]>(`/activeflows/ALL/${name}/json?maxFlows=${MAX_FLOWS}&aggMode=max`),
        getJson<Columns>(`/history/flow/${name}/json?minutes=${this.ctx.minutes()}&maxFlows=10`),
      ]);
    } catch (e) {
      // Deleted meanwhile (by another client or an app): say so and stop asking for it.
      if (e instanceof ApiFailure && e.status === 404) {
        this.say(`flow '${shown.name}' is no longer defined`);
        this.show('');
        await this.readDefinitions();
        return;
      }
      throw e;
    }
    if (this.shown !== shown) return;
    const fs = shown.spec.fs || ',';
    const width = Math.max(1, shown.spec.keys === '' ? 1 : shown.spec.keys.split(',').length);
    shown.table.setRows(flows.map((f) => ({ ...f, parts: splitKey(f.key, fs, width) })));
    shown.chart.update(history);
  }

  /** Whether a definition of that name was there when last read. */
  has(name: string): boolean {
    return name in this.definitions;
  }

  destroy(): void {
    this.shown?.chart.destroy();
  }

  private async define(): Promise<void> {
    const spec: Record<string, unknown> = {
      keys: this.keys.value.trim(),
      value: this.value.value.trim(),
      t: 2,
    };
    const filter = this.filter.value.trim();
    if (filter !== '') spec.filter = filter;
    try {
      await putJson(`/flow/${BROWSE_FLOWS}/json`, spec);
    } catch (e) {
      this.say(e instanceof Error ? e.message : String(e));
      return;
    }
    this.say('');
    await this.readDefinitions();
    // Made again even when it was shown: the keys, and so the columns, may have changed.
    this.show(BROWSE_FLOWS, true);
    await this.update();
  }

  private async readDefinitions(): Promise<void> {
    const defs = await getJson<Record<string, FlowSpec>>('/flow/json');
    const first = !this.loaded;
    this.loaded = true;
    this.definitions = defs;
    // The user's definitions first, then the dashboard's own.
    const names = Object.keys(defs).sort(
      (a, b) =>
        Number(a !== BROWSE_FLOWS) - Number(b !== BROWSE_FLOWS) ||
        Number(a.startsWith('sflowkit_')) - Number(b.startsWith('sflowkit_')) ||
        a.localeCompare(b),
    );
    const listed = [...this.pick.options].map((o) => o.value).slice(1);
    // Rebuilt only on change, so that a list the user has open does not close under them.
    if (listed.join('\n') !== names.join('\n'))
      fill(
        this.pick,
        h('option', { value: '' }, '— a definition —'),
        ...names.map((n) => h('option', { value: n }, n)),
      );
    if (first && defs[BROWSE_FLOWS]) this.show(BROWSE_FLOWS);
    else this.pick.value = this.shown?.name ?? '';
  }

  private show(name: string, again = false): void {
    if (!again && name === this.shown?.name) return;
    this.shown?.chart.destroy();
    this.shown = undefined;
    this.tableBox.replaceChildren();
    this.pick.value = name;
    const spec = this.definitions[name];
    if (spec === undefined) {
      this.about.textContent =
        'Define a flow above (keys and value as sFlow-RT takes them), or pick a definition.';
      return;
    }
    if (name === BROWSE_FLOWS) {
      this.keys.value = spec.keys;
      this.value.value = spec.value;
      this.filter.value = spec.filter ?? '';
    }
    this.about.textContent = `${name}: keys ${spec.keys || '(none)'}, value ${spec.value}${
      spec.filter ? `, filter ${spec.filter}` : ''
    }; the ${MAX_FLOWS} largest flows now, each at the switch that saw most of it`;
    const unit = flowUnit(spec.value);
    const labels = spec.keys === '' ? ['flow'] : spec.keys.split(',');
    // Beyond two keys the table needs the panel's width; the chart goes below it.
    this.panes.style.gridTemplateColumns = labels.length > 2 ? '1fr' : '';
    const table = new DataTable<FlowRow>(
      this.tableBox,
      [
        ...labels.map((label, i) => ({ label, value: (r: FlowRow) => r.parts[i] ?? '' })),
        { label: unit.label, value: (r: FlowRow) => r.value, numeric: true, bar: true, format: unit.format },
      ],
      { rowKey: (r) => r.key, sortBy: labels.length, empty: 'no flows yet' },
    );
    this.shown = { name, spec, table, chart: new FlowChart(this.chartBox, unit) };
  }

  private say(message: string): void {
    this.error.textContent = message;
    this.error.hidden = message === '';
  }
}

/** A flow key's values, one per key; the last takes the rest should a value hold the separator itself. */
function splitKey(key: string, fs: string, width: number): string[] {
  const parts = key.split(fs);
  if (parts.length <= width) return parts;
  return [...parts.slice(0, width - 1), parts.slice(width - 1).join(fs)];
}
