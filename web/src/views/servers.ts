/**
 * Traffic Sentinel's top servers: every host, live, sortable by CPU, load, memory, network in and out, and
 * disk; a click opens the host's charts.
 */
import { dump } from '../api.js';
import { h, panel } from '../dom.js';
import { bitsPerSecond, bytesPerSecond, fixed, percent } from '../format.js';
import { every } from '../poll.js';
import { DataTable } from '../table.js';
import { REFRESH_MS, type View } from '../view.js';
import { type HostRow, hostRows } from './host-rows.js';

const METRICS = [
  'host_name',
  'cpu_utilization',
  'load_one',
  'mem_utilization',
  'bytes_in',
  'bytes_out',
  'bytes_read',
  'bytes_written',
];

export const servers: View = {
  id: 'servers',
  title: 'Top servers',
  nav: true,
  mount(root, ctx) {
    const body = panel(root, 'Top servers', 'top-servers');
    const count = h('p', { class: 'muted' });
    body.append(count);
    const table = new DataTable<HostRow>(
      body,
      [
        { label: 'host', value: (r) => r.name },
        { label: 'address', value: (r) => r.agent },
        { label: 'CPU', value: (r) => r.cpu, numeric: true, format: percent, bar: true },
        { label: 'load (1 min)', value: (r) => r.load, numeric: true, format: (n) => fixed(n) },
        { label: 'memory', value: (r) => r.mem, numeric: true, format: percent, bar: true },
        { label: 'network in', value: (r) => r.bytesIn, numeric: true, format: bitsPerSecond, bar: true },
        { label: 'network out', value: (r) => r.bytesOut, numeric: true, format: bitsPerSecond, bar: true },
        { label: 'disk I/O', value: (r) => r.disk, numeric: true, format: bytesPerSecond, bar: true },
      ],
      {
        rowKey: (r) => r.agent,
        sortBy: 2,
        onClick: (r) => ctx.go(`#/host/${r.agent}`),
        empty: 'no host counters yet',
      },
    );
    const stop = every(REFRESH_MS, async () => {
      const rows = hostRows(await dump(METRICS));
      count.textContent = `${rows.length} hosts reporting; click a column to sort, a row for its charts`;
      table.setRows(rows);
    });
    return stop;
  },
};
