/**
 * What the HTTP and memcache views share: the top keys of a dashboard flow now, as a table with bars, and a
 * flow's history as a chart of one series per key, with a muted line in place of an empty chart.
 */
import { type ActiveFlow, type Columns, getJson } from '../api.js';
import { TimeChart } from '../chart.js';
import { colorOf, PALETTE } from '../colors.js';
import { h } from '../dom.js';
import { percent, perSecond } from '../format.js';
import { DataTable } from '../table.js';

/**
 * The largest keys of a flow now, summed over agents: each web or memcache server reports only its own
 * transactions, so the cluster's rate of a key is the sum of theirs (the default, max, would give the busiest
 * server's share alone).
 */
export const topFlows = (name: string, maxFlows = 20) =>
  getJson<ActiveFlow[]>(`/activeflows/ALL/${encodeURIComponent(name)}/json?maxFlows=${maxFlows}&aggMode=sum`);

export const total = (flows: readonly ActiveFlow[]) => flows.reduce((s, f) => s + f.value, 0);

/** Fixed colours for the common verbs, so GET is the same blue in both views and never shares a colour. */
const VERBS: Record<string, string> = {
  GET: PALETTE[0],
  POST: PALETTE[1],
  SET: PALETTE[1],
  HEAD: PALETTE[3],
  PUT: PALETTE[4],
  ADD: PALETTE[4],
  DELETE: PALETTE[6],
  OPTIONS: PALETTE[5],
  INCR: PALETTE[5],
  DECR: PALETTE[7],
  TOUCH: PALETTE[8],
};

export const verbColor = (name: string) => VERBS[name.toUpperCase()] ?? colorOf(name);

export interface TopRow {
  key: string;
  value: number;
  /** Of the total the view compares with (all requests, all operations); NaN where there is none. */
  share: number;
}

export const topRows = (flows: readonly ActiveFlow[], all: number): TopRow[] =>
  flows.map((f) => ({ key: f.key, value: f.value, share: all > 0 ? f.value / all : Number.NaN }));

export interface TopTableOptions {
  keyLabel: string;
  /** The rate's unit, the column's heading: requests/s, ops/s. */
  rateLabel: string;
  empty: string;
  /** How a key reads (a URL's "host,path" key as host/path); the key itself by default. */
  text?: (key: string) => string;
  share?: boolean;
}

/** A table of top keys, largest first, a bar beside each rate; each row's data-key is the flow key. */
export function topTable(parent: HTMLElement, o: TopTableOptions): DataTable<TopRow> {
  const text = o.text ?? ((k: string) => k);
  return new DataTable<TopRow>(
    parent,
    [
      { label: o.keyLabel, value: (r) => text(r.key) },
      { label: o.rateLabel, value: (r) => r.value, numeric: true, bar: true, format: perSecond },
      ...(o.share === false
        ? []
        : [
            {
              label: 'share',
              value: (r: TopRow) => r.share,
              numeric: true,
              format: (n: number) => percent(100 * n),
            },
          ]),
    ],
    { rowKey: (r) => r.key, sortBy: 1, empty: o.empty },
  );
}

export interface SeriesChartOptions {
  unit: 'perSecond' | 'percent';
  empty: string;
  stacked?: boolean;
  color: (label: string) => string;
}

/** A chart whose series come and go with the data (a flow's top keys), or a muted line while it has none. */
export class SeriesChart {
  private readonly chart: TimeChart;
  private readonly empty: HTMLElement;

  constructor(
    parent: HTMLElement,
    private readonly options: SeriesChartOptions,
  ) {
    this.empty = h('p', { class: 'muted empty' }, options.empty);
    parent.append(this.empty);
    this.chart = new TimeChart(parent, { unit: options.unit, stacked: options.stacked, series: [] });
    this.chart.element.hidden = true;
  }

  /** Series in drawing order (the first at the bottom of a stack); a series of nothing but nulls is left out. */
  set(times: number[], series: [string, (number | null)[]][]): void {
    const shown = series.filter(([, c]) => c.some((v) => v !== null));
    const none = times.length === 0 || shown.length === 0;
    this.empty.hidden = !none;
    this.chart.element.hidden = none;
    if (none) return;
    this.chart.setSeries(shown.map(([label]) => ({ label, color: this.options.color(label) })));
    this.chart.setData(
      times,
      shown.map(([, c]) => c),
    );
  }

  destroy(): void {
    this.chart.destroy();
    this.empty.remove();
  }
}

/** A flow's history as series, largest key first (the order /history gives). */
export const flowSeries = (c: Columns): [string, (number | null)[]][] => Object.entries(c.series);
