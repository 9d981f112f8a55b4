/**
 * A sortable table that renders only the rows in view (plus a margin), with spacer rows above and below, so
 * that 10,000 interfaces scroll as smoothly as 10. Click a header to sort by it; click a row to drill down.
 */
import { h } from './dom.js';

export interface Column<R> {
  label: string;
  value: (r: R) => number | string;
  format?: (v: number) => string;
  numeric?: boolean;
  /** Draw a bar beside the number, its length against the column's largest. */
  bar?: boolean;
}

export interface TableOptions<R> {
  rowKey: (r: R) => string;
  onClick?: (r: R) => void;
  /** The column sorted by at first, and its direction (descending by default). */
  sortBy?: number;
  ascending?: boolean;
  /** Shown when there are no rows. */
  empty?: string;
}

/** Every row is this tall (style.css keeps cells on one line), so the rows in view follow from scrollTop. */
const ROW_PX = 29;
const MARGIN_ROWS = 10;

export class DataTable<R> {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly head: HTMLTableRowElement;
  private rows: R[] = [];
  private sortBy: number;
  private ascending: boolean;

  constructor(
    parent: HTMLElement,
    private readonly columns: Column<R>[],
    private readonly options: TableOptions<R>,
  ) {
    this.sortBy = options.sortBy ?? columns.findIndex((c) => c.numeric);
    this.ascending = options.ascending ?? false;
    this.head = h('tr');
    for (const [i, c] of columns.entries()) {
      const th = h('th', { class: c.numeric ? 'num' : '', 'data-sort': String(i) }, c.label);
      th.addEventListener('click', () => {
        if (this.sortBy === i) this.ascending = !this.ascending;
        else {
          this.sortBy = i;
          this.ascending = !c.numeric;
        }
        this.render(true);
      });
      this.head.append(th);
    }
    this.body = h('tbody');
    this.element = h('div', { class: 'table-scroll' }, h('table', {}, h('thead', {}, this.head), this.body));
    this.element.addEventListener('scroll', () => this.render(false), { passive: true });
    parent.append(this.element);
  }

  setRows(rows: R[]): void {
    this.rows = rows;
    this.render(true);
  }

  /** The rows in their sorted order (what a test or a caller sees first). */
  sorted(): R[] {
    return this.rows;
  }

  private render(resort: boolean): void {
    if (resort) this.sort();
    const { rows, columns } = this;
    for (const [i, th] of [...this.head.children].entries())
      th.setAttribute(
        'aria-sort',
        i === this.sortBy ? (this.ascending ? 'ascending' : 'descending') : 'none',
      );
    if (rows.length === 0) {
      this.body.replaceChildren(
        h(
          'tr',
          {},
          h('td', { colspan: columns.length, class: 'muted' }, this.options.empty ?? 'no data yet'),
        ),
      );
      return;
    }
    const view = this.element.clientHeight || 420;
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_PX) - MARGIN_ROWS);
    const last = Math.min(rows.length, first + Math.ceil(view / ROW_PX) + 2 * MARGIN_ROWS);
    const max = columns.map((c) => (c.bar ? Math.max(0, ...rows.map((r) => Number(c.value(r)) || 0)) : 0));
    const out: HTMLTableRowElement[] = [];
    if (first > 0) out.push(spacer(first, columns.length));
    for (let i = first; i < last; i++) out.push(this.row(rows[i], max));
    if (last < rows.length) out.push(spacer(rows.length - last, columns.length));
    this.body.replaceChildren(...out);
  }

  private row(r: R, max: number[]): HTMLTableRowElement {
    const tr = h('tr', {
      'data-key': this.options.rowKey(r),
      class: this.options.onClick ? 'clickable' : '',
    });
    for (const [i, c] of this.columns.entries()) {
      const v = c.value(r);
      const text = typeof v === 'number' ? (c.format ? c.format(v) : String(v)) : v;
      const td = h('td', { class: c.numeric ? 'num' : '' }, text);
      if (c.bar && typeof v === 'number' && max[i] > 0)
        td.prepend(
          h('div', {
            class: 'bar',
            style: `width:${Math.max(1, (60 * v) / max[i])}px;display:inline-block;margin-right:6px`,
          }),
        );
      tr.append(td);
    }
    const click = this.options.onClick;
    if (click) tr.addEventListener('click', () => click(r));
    return tr;
  }

  private sort(): void {
    const c = this.columns[this.sortBy];
    if (c === undefined) return;
    const dir = this.ascending ? 1 : -1;
    this.rows = [...this.rows].sort((a, b) => {
      const x = c.value(a);
      const y = c.value(b);
      if (typeof x === 'number' && typeof y === 'number') return dir * (x - y);
      return dir * String(x).localeCompare(String(y), undefined, { numeric: true });
    });
  }
}

function spacer(rows: number, columns: number): HTMLTableRowElement {
  return h(
    'tr',
    { class: 'spacer', 'aria-hidden': 'true' },
    h('td', { colspan: columns, style: `height:${rows * ROW_PX}px;padding:0;border:0` }),
  );
}
