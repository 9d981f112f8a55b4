/**
 * Ganglia's cluster view: CPU, load, memory, disk I/O and network of all hosts together (or of one group of a
 * group set), averages with their min–max band and sums; below, the hosts of that scope, each a link to its
 * own charts.
 */

import { groupMatcher } from '../address.js';
import { type Columns, clusterHistory, dump, getJson } from '../api.js';
import { h, panel } from '../dom.js';
import { bitsPerSecond, fixed, percent } from '../format.js';
import { every } from '../poll.js';
import { DataTable } from '../table.js';
import { REFRESH_MS, type View } from '../view.js';
import { HOST_CHARTS, type HostChart, hostCharts } from './host-metrics.js';
import { type HostRow, hostRows } from './host-rows.js';

/** Columns of a chart's metric: the average with its band for one-line charts, the sum for totals. */
function clusterColumns(chart: HostChart, metric: string): string[] {
  if (chart.id === 'cpu') return [`avg:${metric}`];
  if (chart.id === 'disk' || chart.id === 'network') return [`sum:${metric}`];
  return [`avg:${metric}`, `min:${metric}`, `max:${metric}`];
}

const SPECS = HOST_CHARTS.flatMap((c) => c.metrics.flatMap((m) => clusterColumns(c, m)));

export const cluster: View = {
  id: 'cluster',
  title: 'Cluster',
  nav: true,
  mount(root, ctx) {
    const scope = h('select', { id: 'cluster-group' }, h('option', { value: '' }, 'all hosts'));
    const summary = h('span', { class: 'muted', id: 'cluster-summary' });
    root.append(h('div', { class: 'toolbar' }, h('label', {}, 'hosts ', scope), summary));
    const grid = h('div', { class: 'grid' });
    root.append(grid);
    const charts = hostCharts(grid, true);
    const table = new DataTable<HostRow>(
      panel(root, 'Hosts', 'cluster-hosts'),
      [
        { label: 'host', value: (r) => r.name },
        { label: 'address', value: (r) => r.agent },
        { label: 'CPU', value: (r) => r.cpu, numeric: true, format: percent, bar: true },
        { label: 'load', value: (r) => r.load, numeric: true, format: (n) => fixed(n) },
        { label: 'memory', value: (r) => r.mem, numeric: true, format: percent },
        { label: 'network in', value: (r) => r.bytesIn, numeric: true, format: bitsPerSecond },
        { label: 'network out', value: (r) => r.bytesOut, numeric: true, format: bitsPerSecond },
      ],
      { rowKey: (r) => r.agent, sortBy: 2, onClick: (r) => ctx.go(`#/host/${r.agent}`) },
    );
    let sets: Record<string, Record<string, string[]>> = {};
    const chosen = () => {
      const [set, group] = scope.value.split('\u0000');
      return scope.value === '' ? undefined : { set, group };
    };
    scope.addEventListener('change', () => void refresh());

    const refresh = async () => {
      const g = chosen();
      const [data, rows] = await Promise.all([
        clusterHistory(SPECS, ctx.minutes(), g).catch(() => ({ times: [], series: {} }) as Columns),
        dump(['host_name', 'cpu_utilization', 'load_one', 'mem_utilization', 'bytes_in', 'bytes_out']).then(
          hostRows,
        ),
      ]);
      charts.update(data, clusterColumns);
      const match = g === undefined ? undefined : groupMatcher(sets[g.set] ?? {});
      const inScope = match === undefined ? rows : rows.filter((r) => match(r.agent) === g?.group);
      table.setRows(inScope);
      summary.textContent = `${inScope.length} hosts`;
    };
    const stopGroups = every(10_000, async () => {
      sets = await getJson<Record<string, Record<string, string[]>>>('/group/json');
      const options = Object.entries(sets).flatMap(([set, groups]) =>
        Object.keys(groups).map((group) => [`${set}\u0000${group}`, `${set}: ${group}`]),
      );
      const known = new Set([...scope.options].map((o) => o.value));
      for (const [value, label] of options)
        if (!known.has(value)) scope.append(h('option', { value }, label));
    });
    const stop = every(REFRESH_MS, refresh);
    return () => {
      stop();
      stopGroups();
      charts.destroy();
    };
  },
};
