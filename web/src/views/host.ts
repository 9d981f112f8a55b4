/**
 * One host (reached from the cluster, the top servers or the agents list): its own CPU, load, memory, disk and
 * network charts over the chosen range, whether it is still heard from, and every metric it reports now.
 */
import { type AgentInfo, agentHistory, type Columns, getJson } from '../api.js';
import { fill, h, panel, stat } from '../dom.js';
import { ago, count } from '../format.js';
import { every } from '../poll.js';
import { DataTable } from '../table.js';
import { REFRESH_MS, type View } from '../view.js';
import { HOST_CHARTS, hostCharts } from './host-metrics.js';

const METRICS = HOST_CHARTS.flatMap((c) => c.metrics);

export const host: View = {
  id: 'host',
  title: 'Host',
  nav: false,
  mount(root, ctx) {
    const agent = ctx.params[0] ?? '';
    const title = h('h2', { id: 'host-title' }, agent);
    const state = h('div', { class: 'stats', id: 'host-state' });
    root.append(h('section', { class: 'panel' }, title, state));
    const grid = h('div', { class: 'grid' });
    root.append(grid);
    const charts = hostCharts(grid, false);
    const metrics = new DataTable<[string, number | string]>(
      panel(root, 'Metrics now', 'host-metrics'),
      [
        { label: 'data source . metric', value: (r) => r[0] },
        {
          label: 'value',
          value: (r) => (typeof r[1] === 'number' ? Number(r[1].toPrecision(6)) : r[1]),
          numeric: true,
        },
      ],
      { rowKey: (r) => r[0], sortBy: 0, ascending: true },
    );
    const stop = every(REFRESH_MS, async () => {
      const [agents, history, now] = await Promise.all([
        getJson<Record<string, AgentInfo>>('/agents/json'),
        agentHistory(agent, METRICS, ctx.minutes()),
        getJson<Record<string, number | string>>(`/metric/${encodeURIComponent(agent)}/json`).catch(
          () => ({}),
        ),
      ]);
      const info = agents[agent];
      const name = Object.entries(now).find(([k]) => k.endsWith('.host_name'))?.[1];
      title.textContent = name ? `${name} (${agent})` : agent;
      fill(
        state,
        info === undefined
          ? stat('state', 'never heard from', 'bad')
          : stat('state', info.present ? 'present' : 'lost', info.present ? 'good' : 'bad'),
        info && stat('last seen', ago(info.lastSeen)),
        info && stat('datagrams', count(info.sFlowDatagramsReceived)),
        info && stat('datagrams lost', count(info.sFlowDatagramsLost)),
      );
      charts.update(history as Columns, (_c, m) => [m]);
      metrics.setRows(Object.entries(now));
    });
    return () => {
      stop();
      charts.destroy();
    };
  },
};
