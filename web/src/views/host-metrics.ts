/**
 * The charts of a host's (or a cluster's) CPU, load, memory, disk and network, shared by the cluster view
 * (aggregates over its hosts) and the host view (one host's own values): one chart definition, two sources.
 */
import type { Columns } from '../api.js';
import { type ChartOptions, TimeChart } from '../chart.js';
import { panel } from '../dom.js';

export interface HostChart {
  id: string;
  title: string;
  options: ChartOptions;
  /** The metrics it draws, in series order. */
  metrics: string[];
}

/** CPU as a stack of its parts, which sum to 100%: user, system, iowait and idle (Ganglia's CPU chart). */
export const HOST_CHARTS: HostChart[] = [
  {
    id: 'cpu',
    title: 'CPU (%)',
    metrics: ['cpu_user', 'cpu_system', 'cpu_wio', 'cpu_idle'],
    options: {
      unit: 'percent',
      stacked: true,
      series: [
        { label: 'user', color: '#4e79a7' },
        { label: 'system', color: '#e15759' },
        { label: 'iowait', color: '#edc948' },
        { label: 'idle', color: '#bab0ac' },
      ],
    },
  },
  {
    id: 'load',
    title: 'Load (1 min)',
    metrics: ['load_one'],
    options: { unit: 'number', series: [{ label: 'load' }] },
  },
  {
    id: 'memory',
    title: 'Memory used (%)',
    metrics: ['mem_utilization'],
    options: { unit: 'percent', series: [{ label: 'memory', color: '#59a14f' }] },
  },
  {
    id: 'disk',
    title: 'Disk I/O',
    metrics: ['bytes_read', 'bytes_written'],
    options: { unit: 'bytesPerSecond', series: [{ label: 'read' }, { label: 'written', color: '#f28e2b' }] },
  },
  {
    id: 'network',
    title: 'Network',
    metrics: ['bytes_in', 'bytes_out'],
    options: { unit: 'bits', scale: 8, series: [{ label: 'in' }, { label: 'out', color: '#f28e2b' }] },
  },
];

export interface HostCharts {
  /** Draws each chart from columns named as `name(metric)` says. */
  update(data: Columns, name: (chart: HostChart, metric: string) => string[]): void;
  destroy(): void;
}

/**
 * The charts in a grid. `name` gives, for each metric of a chart, the columns to draw: one (a host's value),
 * or three (a cluster's average, then min and max for the band).
 */
export function hostCharts(parent: HTMLElement, band: boolean): HostCharts {
  const charts = HOST_CHARTS.map((c) => {
    const banded = band && c.metrics.length === 1;
    return {
      def: c,
      chart: new TimeChart(panel(parent, c.title, `chart-${c.id}`), { ...c.options, band: banded }),
    };
  });
  return {
    update(data, name) {
      for (const { def, chart } of charts)
        chart.setData(
          data.times,
          def.metrics.flatMap((m) => name(def, m).map((column) => data.series[column] ?? [])),
        );
    },
    destroy() {
      for (const { chart } of charts) chart.destroy();
    },
  };
}
