/**
 * What a newcomer sees first: the agents (present or lost, datagrams/s, loss), the intake and the sampled
 * traffic over time, and the newest events.
 */
import { type AgentInfo, type Columns, type EngineEvent, flowHistory, getJson } from '../api.js';
import { TimeChart } from '../chart.js';
import { fill, h, panel, stat } from '../dom.js';
import { ago, bitsPerSecond, count, percent, perSecond } from '../format.js';
import { every } from '../poll.js';
import { DataTable } from '../table.js';
import { REFRESH_MS, type View } from '../view.js';
import { eventList } from './events-feed.js';

interface AgentRow extends AgentInfo {
  address: string;
  /** Datagrams a second since the previous poll. */
  rate: number;
  lossRatio: number;
}

export const overview: View = {
  id: 'overview',
  title: 'Overview',
  nav: true,
  mount(root, ctx) {
    const stats = h('div', { class: 'stats', id: 'overview-stats' });
    root.append(h('section', { class: 'panel' }, stats));
    const charts = h('div', { class: 'grid' });
    root.append(charts);
    const intake = new TimeChart(panel(charts, 'sFlow intake'), {
      unit: 'perSecond',
      series: [{ label: 'datagrams/s' }, { label: 'flow samples/s' }],
    });
    const traffic = new TimeChart(panel(charts, 'Sampled traffic'), {
      unit: 'bits',
      scale: 8,
      series: [{ label: 'all services' }],
    });
    const lower = h('div', { class: 'grid' });
    root.append(lower);
    const agents = new DataTable<AgentRow>(
      panel(lower, 'Agents', 'agents'),
      [
        { label: 'agent', value: (a) => a.address },
        { label: 'state', value: (a) => (a.present ? 'present' : 'lost') },
        { label: 'datagrams/s', value: (a) => a.rate, numeric: true, format: (n) => n.toFixed(1) },
        { label: 'datagrams', value: (a) => a.sFlowDatagramsReceived, numeric: true, format: count },
        { label: 'lost', value: (a) => a.lossRatio, numeric: true, format: (n) => percent(100 * n) },
        { label: 'last seen', value: (a) => -a.lastSeen, numeric: true, format: (n) => ago(-n) },
      ],
      // Lost agents first: what needs looking at.
      { rowKey: (a) => a.address, sortBy: 1, ascending: true, onClick: (a) => ctx.go(`#/host/${a.address}`) },
    );
    const events = panel(lower, 'Events', 'events-feed');
    let previous = new Map<string, { at: number; datagrams: number }>();

    const stop = every(REFRESH_MS, async () => {
      const minutes = ctx.minutes();
      const [list, analyzer, intakeHistory, protocols, recent] = await Promise.all([
        getJson<Record<string, AgentInfo>>('/agents/json'),
        getJson<Record<string, number>>('/analyzer/json'),
        getJson<Columns>(`/history/analyzer/json?minutes=${minutes}`),
        flowHistory('sflowkit_protocols', minutes, 20).catch(() => ({ times: [], series: {} }) as Columns),
        getJson<EngineEvent[]>('/events/json?maxEvents=15'),
      ]);
      const now = performance.now();
      const rows: AgentRow[] = Object.entries(list).map(([address, a]) => {
        const before = previous.get(address);
        const rate =
          before && now > before.at
            ? ((a.sFlowDatagramsReceived - before.datagrams) * 1000) / (now - before.at)
            : 0;
        const expected = a.sFlowDatagramsReceived + a.sFlowDatagramsLost;
        return { ...a, address, rate, lossRatio: expected > 0 ? a.sFlowDatagramsLost / expected : 0 };
      });
      previous = new Map(rows.map((r) => [r.address, { at: now, datagrams: r.sFlowDatagramsReceived }]));
      agents.setRows(rows);

      const present = rows.filter((r) => r.present).length;
      const lost = rows.length - present;
      const last = (c: Columns, name: string) => c.series[name]?.at(-1) ?? 0;
      const total = protocols.times.map((_, i) =>
        Object.values(protocols.series).reduce((s, col) => s + (col[i] ?? 0), 0),
      );
      fill(
        stats,
        stat('agents present', String(present)),
        stat('agents lost', String(lost), lost > 0 ? 'bad' : ''),
        stat('datagrams/s', perSecond(last(intakeHistory, 'datagrams') ?? 0)),
        stat('flow samples/s', perSecond(last(intakeHistory, 'flowSamples') ?? 0)),
        stat('sampled traffic', bitsPerSecond(total.at(-1) ?? 0)),
        stat('datagrams lost', count(rows.reduce((s, r) => s + r.sFlowDatagramsLost, 0))),
        stat('parse errors', count(analyzer.sFlowParseErrors ?? 0), analyzer.sFlowParseErrors ? 'bad' : ''),
      );
      intake.setData(intakeHistory.times, [intakeHistory.series.datagrams, intakeHistory.series.flowSamples]);
      traffic.setData(protocols.times, [total]);
      fill(events, eventList(recent));
    });
    return () => {
      stop();
      intake.destroy();
      traffic.destroy();
    };
  },
};
