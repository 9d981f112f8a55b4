/**
 * A flow definition's top keys over time (/history/flow/NAME/json) as a stacked area, in the unit of the
 * definition's value: bytes as bits/s, counts per second, avg:/min:/max: forms as plain numbers.
 */
import type { Columns } from '../api.js';
import { TimeChart } from '../chart.js';
import { bitsPerSecond, perSecond, si, type Unit } from '../format.js';
import { SeriesColors } from './series-colors.js';

export interface FlowUnit {
  /** The chart's unit and scale (bytes/s charted as bits/s). */
  unit: Unit;
  scale: number;
  /** A table column's heading and cell format, of the value as the API gives it. */
  label: string;
  format: (n: number) => string;
}

/** The unit of a flow definition's `value` option (docs/api.md, Flows). */
export function flowUnit(value: string): FlowUnit {
  if (value === 'bytes') return { unit: 'bits', scale: 8, label: 'bits/s', format: bitsPerSecond };
  // An average, least or largest of a key is a level, not a rate.
  if (/^(avg|min|max):/.test(value)) return { unit: 'number', scale: 1, label: value, format: (n) => si(n) };
  return { unit: 'perSecond', scale: 1, label: `${value.replace(/^count:/, '')}/s`, format: perSecond };
}

export class FlowChart {
  private readonly chart: TimeChart;
  private readonly colors = new SeriesColors();

  constructor(
    parent: HTMLElement,
    unit: FlowUnit,
    private readonly label: (key: string) => string = (k) => k,
    height = 240,
  ) {
    this.chart = new TimeChart(parent, {
      unit: unit.unit,
      scale: unit.scale,
      stacked: true,
      series: [],
      height,
    });
  }

  update(history: Columns): void {
    const keys = Object.keys(history.series);
    const colors = this.colors.assign(keys);
    this.chart.setSeries(keys.map((k, i) => ({ label: this.label(k) || '(all traffic)', color: colors[i] })));
    this.chart.setData(
      history.times,
      keys.map((k) => history.series[k]),
    );
  }

  destroy(): void {
    this.chart.destroy();
  }
}
