/**
 * Time-series charts on uPlot (docs/dependencies.md says why): lines, a stacked area, or a line with a
 * min–max band; values formatted in the chart's unit on the axis and in the legend. setData replaces the
 * arrays each update, so an open page holds one window of points per chart however long it runs.
 */
import uPlot from 'uplot';
import { color, themeColor, withAlpha } from './colors.js';
import { FORMATS, type Unit } from './format.js';

export interface SeriesSpec {
  label: string;
  color?: string;
}

export interface ChartOptions {
  unit: Unit;
  series: SeriesSpec[];
  /** Series drawn as a stacked area (each on the sum of those before it). */
  stacked?: boolean;
  /** Two more series, min and max, drawn as a band around the first series. */
  band?: boolean;
  height?: number;
  /** Multiplies every value (8 for bytes/s charted as bits/s). */
  scale?: number;
}

export class TimeChart {
  readonly element: HTMLElement;
  private plot?: uPlot;
  private readonly observer: ResizeObserver;
  /** The values as given (a stacked chart draws running sums; its legend shows these). */
  private raw: (number | null)[][] = [];

  constructor(
    parent: HTMLElement,
    private options: ChartOptions,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    parent.append(this.element);
    this.observer = new ResizeObserver(() => this.plot?.setSize(this.size()));
    this.observer.observe(this.element);
  }

  /** New series (a flow chart's keys change): the plot is made again on the next setData. */
  setSeries(series: SeriesSpec[]): void {
    const same =
      series.length === this.options.series.length &&
      series.every((s, i) => s.label === this.options.series[i].label);
    if (same) return;
    this.options = { ...this.options, series };
    this.plot?.destroy();
    this.plot = undefined;
  }

  /** times in ms since the epoch; one column per series (and min, max after them for a band chart). */
  setData(times: number[], columns: (number | null)[][]): void {
    const scale = this.options.scale ?? 1;
    this.raw = columns.map((c) => c.map((v) => (v === null ? null : v * scale)));
    const drawn = this.options.stacked ? stack(this.raw) : this.raw;
    const data = [times.map((t) => t / 1000), ...drawn] as uPlot.AlignedData;
    if (this.plot === undefined) this.plot = new uPlot(this.plotOptions(), data, this.element);
    else this.plot.setData(data);
    // The legend shows the newest values unless the pointer is over the chart (then, the values under it).
    const last = times.length - 1;
    if (last >= 0 && (this.plot.cursor.left ?? -1) < 0) this.plot.setLegend({ idx: last });
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
    this.element.remove();
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.element.clientWidth), height: this.options.height ?? 220 };
  }

  private plotOptions(): uPlot.Options {
    const format = FORMATS[this.options.unit];
    const fg = themeColor('--muted');
    const grid = { stroke: themeColor('--grid'), width: 1 };
    const series: uPlot.Series[] = [{}];
    const specs = this.options.series;
    for (const [i, s] of specs.entries()) {
      const c = s.color ?? color(i);
      series.push({
        label: s.label,
        stroke: c,
        width: 1.5,
        ...(this.options.stacked ? { fill: withAlpha(c, 0.55) } : {}),
        value: (_u, _v, si, idx) => {
          const v = idx === null ? null : this.raw[si - 1]?.[idx];
          return v === null || v === undefined ? '–' : format(v);
        },
      });
    }
    const bands: uPlot.Band[] = [];
    if (this.options.band) {
      const c = specs[0]?.color ?? color(0);
      series.push({ label: 'min', stroke: withAlpha(c, 0.4), width: 1, dash: [4, 4] });
      series.push({ label: 'max', stroke: withAlpha(c, 0.4), width: 1, dash: [4, 4] });
      bands.push({ series: [specs.length + 2, specs.length + 1], fill: withAlpha(c, 0.15) });
    }
    if (this.options.stacked)
      for (let i = specs.length; i > 1; i--)
        bands.push({ series: [i, i - 1], fill: withAlpha(specs[i - 1].color ?? color(i - 1), 0.55) });
    return {
      ...this.size(),
      series,
      bands,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] } },
      axes: [
        { stroke: fg, grid, ticks: grid, space: 100, values: clockTicks },
        { stroke: fg, grid, ticks: grid, size: 80, values: (_u, ticks) => ticks.map((t) => format(t)) },
      ],
    };
  }
}

/**
 * Running sums of the columns, so that each series sits on the ones before it. A missing value adds nothing;
 * where every series is missing the sum is missing too, a gap rather than a fall to zero.
 */
function stack(columns: (number | null)[][]): (number | null)[][] {
  const out: (number | null)[][] = [];
  for (const [i, c] of columns.entries())
    out.push(
      c.map((v, j) => {
        const below = i === 0 ? null : out[i - 1][j];
        return v === null ? below : (below ?? 0) + v;
      }),
    );
  return out;
}

/** Clock times on the time axis, with seconds only when the ticks are under a minute apart. */
function clockTicks(_u: uPlot, ticks: number[], _axis: number, _space: number, step: number): string[] {
  const options: Intl.DateTimeFormatOptions =
    step < 60
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
      : { hour: '2-digit', minute: '2-digit' };
  return ticks.map((t) => new Date(t * 1000).toLocaleTimeString([], options));
}
