/**
 * Every switch interface, busiest first (the larger of its in and out utilization), from /table, and a short
 * summary of the busiest port and of the ports dropping or damaging packets.
 */
import { ApiFailure, getJson } from '../api.js';
import { fill, h, stat } from '../dom.js';
import { bitsPerSecond, count, percent, perSecond } from '../format.js';
import { DataTable } from '../table.js';

/** In the order /table is asked for them, which is the order of each row's cells. */
const METRICS = [
  'ifinutilization',
  'ifoututilization',
  'ifinoctets',
  'ifoutoctets',
  'ifinerrors',
  'ifindiscards',
  'ifouterrors',
  'ifoutdiscards',
] as const;
const PATH = `/table/ALL/${METRICS.join(',')}/json`;
/**
 * Rows per second of polling: /table's answer is about 1 kB a row, so 10,000 interfaces read every second
 * would be 10 MB/s for the server to write and the page to parse; bigger networks are read less often.
 */
const ROWS_PER_READ_SECOND = 2500;
/** Ports listed by name in the summary, the worst first. */
const WORST = 5;

interface Cell {
  agent: string;
  dataSource: string;
  metricName: string;
  metricValue: number | string;
}

export interface InterfaceRow {
  agent: string;
  dataSource: string;
  inUtil: number;
  outUtil: number;
  /** Bytes a second, as the metrics are; shown as bits/s. */
  inOctets: number;
  outOctets: number;
  /** Packets a second, in and out together. */
  errors: number;
  discards: number;
  busiest: number;
}

export class Interfaces {
  private readonly summary = h('div', { id: 'interface-summary' });
  private readonly table: DataTable<InterfaceRow>;
  /** /table answers 404 until an agent has reported every metric; /metrics/json says when, without a 404. */
  private reported = false;
  private ticks = 0;
  private stride = 1;

  constructor(parent: HTMLElement) {
    parent.append(this.summary);
    const box = h('div', { id: 'interfaces' });
    parent.append(box);
    this.table = new DataTable<InterfaceRow>(
      box,
      [
        { label: 'agent', value: (r) => r.agent },
        { label: 'ifindex', value: (r) => r.dataSource },
        { label: 'in %', value: (r) => r.inUtil, numeric: true, format: percent, bar: true },
        { label: 'out %', value: (r) => r.outUtil, numeric: true, format: percent, bar: true },
        { label: 'in bits/s', value: (r) => r.inOctets, numeric: true, format: bitsPerSecond },
        { label: 'out bits/s', value: (r) => r.outOctets, numeric: true, format: bitsPerSecond },
        { label: 'errors/s', value: (r) => r.errors, numeric: true, format: perSecond },
        { label: 'discards/s', value: (r) => r.discards, numeric: true, format: perSecond },
      ],
      // No column sorts at first: the rows come sorted by the larger utilization, which no one column holds.
      { rowKey: (r) => `${r.agent} ${r.dataSource}`, sortBy: -1, empty: 'no interface counters yet' },
    );
    this.show([]);
  }

  /** Called every second; reads the table every `stride` seconds. */
  async update(): Promise<void> {
    if (this.ticks++ % this.stride !== 0) return;
    if (!this.reported) {
      const names = await getJson<Record<string, number>>('/metrics/json');
      this.reported = METRICS.every((m) => m in names);
      if (!this.reported) return;
    }
    let table: Cell[][];
    try {
      table = await getJson<Cell[][]>(PATH);
    } catch (e) {
      // The server started again and has heard from no agent yet: no interfaces, as at first.
      if (e instanceof ApiFailure && e.status === 404) {
        this.reported = false;
        table = [];
      } else throw e;
    }
    const rows = table.map(toRow).sort((a, b) => b.busiest - a.busiest);
    this.stride = Math.max(1, Math.ceil(rows.length / ROWS_PER_READ_SECOND));
    this.show(rows);
  }

  private show(rows: InterfaceRow[]): void {
    this.table.setRows(rows);
    const top = rows[0];
    const troubled = rows.filter((r) => r.errors > 0 || r.discards > 0);
    const worst = troubled.sort((a, b) => b.errors + b.discards - (a.errors + a.discards)).slice(0, WORST);
    fill(
      this.summary,
      h(
        'div',
        { class: 'stats' },
        stat('interfaces', count(rows.length)),
        stat('busiest', top ? percent(top.busiest) : '–', top && top.busiest >= 90 ? 'bad' : ''),
        stat('with errors', count(troubled.filter((r) => r.errors > 0).length), bad(troubled, 'errors')),
        stat(
          'with discards',
          count(troubled.filter((r) => r.discards > 0).length),
          bad(troubled, 'discards'),
        ),
      ),
      top && top.busiest > 0
        ? h('p', { class: 'muted' }, `busiest: ${top.agent} ifindex ${top.dataSource}`)
        : null,
      worst.length > 0
        ? h(
            'ul',
            { class: 'bad', id: 'interface-problems' },
            ...worst.map((r) =>
              h(
                'li',
                { 'data-key': `${r.agent} ${r.dataSource}` },
                `${r.agent} ifindex ${r.dataSource}: ${perSecond(r.errors)} errors, ${perSecond(r.discards)} discards`,
              ),
            ),
          )
        : null,
    );
  }
}

const bad = (rows: InterfaceRow[], field: 'errors' | 'discards') =>
  rows.some((r) => r[field] > 0) ? 'bad' : '';

/** One /table row: its cells hold the metrics in METRICS order. */
function toRow(cells: Cell[]): InterfaceRow {
  const v = (i: number) => Number(cells[i]?.metricValue) || 0;
  const inUtil = v(0);
  const outUtil = v(1);
  return {
    agent: cells[0].agent,
    dataSource: cells[0].dataSource,
    inUtil,
    outUtil,
    inOctets: v(2),
    outOctets: v(3),
    errors: v(4) + v(6),
    discards: v(5) + v(7),
    busiest: Math.max(inUtil, outUtil),
  };
}
