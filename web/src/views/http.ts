/**
 * Web traffic as the servers' own sFlow reports it (sampled http_request transactions, 0:2206), read the way
 * webalizer reads an access log: requests by method and by status class over time, the top URLs and
 * clients, and how long responses take.
 */
import type { ActiveFlow, Columns } from '../api.js';
import { flowHistory } from '../api.js';
import { fill, h, panel, stat } from '../dom.js';
import { percent, perSecond } from '../format.js';
import { every } from '../poll.js';
import { REFRESH_MS, type View } from '../view.js';
import { flowSeries, SeriesChart, topFlows, topRows, topTable, total, verbColor } from './flow-panels.js';

const EMPTY = 'no HTTP transactions sampled yet';

/** The status classes in stacking order; 5xx on top, in red. */
const CLASSES: [string, string][] = [
  ['2xx', '#59a14f'],
  ['3xx', '#4e79a7'],
  ['1xx', '#bab0ac'],
  ['4xx', '#f28e2b'],
  ['5xx', '#e15759'],
  ['other', '#9c755f'],
];
const CLASS_COLOR = new Map(CLASSES);

const statusClass = (code: string) => (/^[1-5]\d\d$/.test(code) ? `${code[0]}xx` : 'other');

/** sflowkit_http_durations's bins (bucket:duration:…, microseconds), in order, as people say them. */
const BINS: { key: string; label: string; tone?: string }[] = [
  { key: '<1000', label: '< 1 ms' },
  { key: '1000-10000', label: '1–10 ms' },
  { key: '10000-100000', label: '10–100 ms' },
  { key: '100000-1000000', label: '100 ms – 1 s', tone: 'var(--warn)' },
  { key: '>=1000000', label: '≥ 1 s', tone: 'var(--bad)' },
];

/** A URL's flow key is "host,path" (httphost,httpurl); the path may hold commas, the host cannot. */
function urlText(key: string): string {
  const i = key.indexOf(',');
  return i < 0 ? key : `${key.slice(0, i)}${key.slice(i + 1)}`;
}

/** The status codes' history summed per class, one column per class that has any requests. */
function byClass(c: Columns): [string, (number | null)[]][] {
  const sums = new Map<string, (number | null)[]>();
  for (const [code, column] of Object.entries(c.series)) {
    const cls = statusClass(code);
    const acc = sums.get(cls) ?? new Array<number | null>(c.times.length).fill(null);
    for (const [i, v] of column.entries()) if (v !== null) acc[i] = (acc[i] ?? 0) + v;
    sums.set(cls, acc);
  }
  return CLASSES.filter(([cls]) => sums.has(cls)).map(([cls]) => [cls, sums.get(cls) ?? []]);
}

/** Requests a second of each status class now. */
function classRates(status: readonly ActiveFlow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of status) out.set(statusClass(f.key), (out.get(statusClass(f.key)) ?? 0) + f.value);
  return out;
}

function durationList(flows: readonly ActiveFlow[]): HTMLElement {
  const rate = new Map(flows.map((f) => [f.key, f.value]));
  const all = total(flows);
  if (all <= 0) return h('p', { class: 'muted empty' }, 'no response times sampled yet');
  const max = Math.max(...BINS.map((b) => rate.get(b.key) ?? 0));
  const row = (b: (typeof BINS)[number]) => {
    const v = rate.get(b.key) ?? 0;
    const bar =
      v > 0 &&
      h('div', {
        class: 'bar',
        style: `width:${Math.max(1, (120 * v) / max)}px${b.tone ? `;background:${b.tone}` : ''}`,
      });
    return h(
      'tr',
      { 'data-bin': b.key },
      h('td', {}, b.label),
      h('td', { style: 'width:130px' }, bar),
      h('td', { class: 'num' }, perSecond(v)),
      h('td', { class: 'num' }, percent((100 * v) / all)),
    );
  };
  const table = h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'response time'),
        h('th', {}),
        h('th', { class: 'num' }, 'requests/s'),
        h('th', { class: 'num' }, 'share'),
      ),
    ),
    h('tbody', {}, ...BINS.map(row)),
  );
  return h('div', {}, table, h('p', { class: 'muted' }, `of ${perSecond(all)} requests timed`));
}

export const http: View = {
  id: 'http',
  title: 'HTTP',
  nav: true,
  mount(root, ctx) {
    const stats = h('div', { class: 'stats', id: 'http-stats' });
    root.append(h('section', { class: 'panel' }, stats));
    const charts = h('div', { class: 'grid' });
    root.append(charts);
    const methods = new SeriesChart(panel(charts, 'Requests/s by method', 'http-methods'), {
      unit: 'perSecond',
      stacked: true,
      empty: EMPTY,
      color: verbColor,
    });
    const status = new SeriesChart(panel(charts, 'Requests/s by status class', 'http-status'), {
      unit: 'perSecond',
      stacked: true,
      empty: EMPTY,
      color: (cls) => CLASS_COLOR.get(cls) ?? '#9c755f',
    });
    // The histogram is small: beside the charts, so that the URLs and clients have room for their columns.
    const durations = panel(charts, 'Response time', 'http-durations');
    const lower = h('div', { class: 'grid' });
    root.append(lower);
    const urls = topTable(panel(lower, 'Top URLs', 'http-urls'), {
      keyLabel: 'URL',
      rateLabel: 'requests/s',
      empty: EMPTY,
      text: urlText,
    });
    const clients = topTable(panel(lower, 'Top clients', 'http-clients'), {
      keyLabel: 'client',
      rateLabel: 'requests/s',
      empty: EMPTY,
    });

    const stop = every(REFRESH_MS, async () => {
      const minutes = ctx.minutes();
      const [methodHistory, statusHistory, methodsNow, statusNow, urlsNow, clientsNow, durationsNow] =
        await Promise.all([
          flowHistory('sflowkit_http_methods', minutes, 10),
          flowHistory('sflowkit_http_status', minutes, 20),
          topFlows('sflowkit_http_methods', 100),
          topFlows('sflowkit_http_status', 100),
          topFlows('sflowkit_http_urls', 20),
          topFlows('sflowkit_http_clients', 20),
          topFlows('sflowkit_http_durations', 10),
        ]);
      // Every request has one method, so the methods add up to all requests.
      const all = total(methodsNow);
      const classes = classRates(statusNow);
      const answered = total(statusNow);
      const share = (cls: string) => (answered > 0 ? (100 * (classes.get(cls) ?? 0)) / answered : Number.NaN);
      const errors = share('5xx');
      if (all <= 0 && Object.keys(methodHistory.series).length === 0)
        fill(stats, h('p', { class: 'muted empty' }, EMPTY));
      else
        fill(
          stats,
          stat('requests/s', perSecond(all)),
          stat('server errors (5xx)', percent(errors), errors >= 5 ? 'bad' : ''),
          stat('client errors (4xx)', percent(share('4xx'))),
          stat('redirects (3xx)', percent(share('3xx'))),
          stat('methods', String(methodsNow.length)),
        );
      methods.set(methodHistory.times, flowSeries(methodHistory));
      status.set(statusHistory.times, byClass(statusHistory));
      urls.setRows(topRows(urlsNow, all));
      clients.setRows(topRows(clientsNow, all));
      fill(durations, durationList(durationsNow));
    });
    return () => {
      stop();
      methods.destroy();
      status.destroy();
    };
  },
};
