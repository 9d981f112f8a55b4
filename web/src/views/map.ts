/**
 * The application map (sFlowTrend's circles chart): hosts as dots around circles, one circle per subnet or per
 * group of a group set, and the busiest host-to-host flows now (sflowkit_hosts) as lines between them, as wide
 * as the square root of their rate and coloured by service. The table under it lists the same links.
 */

import { compareAddresses, compareGroups, groupMatcher, subnetOf } from '../address.js';
import { type ActiveFlow, ApiFailure, getJson } from '../api.js';
import { colorOf, PALETTE } from '../colors.js';
import { fill, h, panel } from '../dom.js';
import { bitsPerSecond } from '../format.js';
import { every } from '../poll.js';
import { DataTable } from '../table.js';
import { REFRESH_MS, type View } from '../view.js';
import { type Layout, layout } from './map-layout.js';
import { type Link, MapPicture } from './map-picture.js';
import { serviceName } from './services.js';

type GroupSets = Record<string, Record<string, string[]>>;

const FLOWS = '/activeflows/ALL/sflowkit_hosts/json?maxFlows=200&aggMode=max';
/** A host stays in its place this long after its last flow, so that the picture does not jump as flows come and go. */
const HOLD_MS = 60_000;
/** Group sets change rarely; the list is read again this often (and when the view opens). */
const GROUPS_EVERY_MS = 30_000;
const SAVED = 'sflowkit.mapGroupSet';

export const map: View = {
  id: 'map',
  title: 'Application map',
  nav: true,
  mount(root) {
    const select = h(
      'select',
      { id: 'map-group-set' },
      h('option', { value: '' }, 'by /24 subnet (/64 for IPv6)'),
    );
    const summary = h('span', { class: 'muted', id: 'map-summary' });
    const frame = h('div', { style: 'position:relative' });
    const picture = new MapPicture(frame);
    const empty = h('p', { class: 'muted', id: 'map-empty', hidden: true }, 'no flows yet');
    const tip = h('div', { class: 'tooltip', id: 'map-tooltip', hidden: true });
    frame.append(empty, tip);
    const legend = h('div', {
      id: 'map-legend',
      style: 'display:flex;flex-wrap:wrap;gap:0.3rem 1.2rem;font-size:0.85rem;margin-top:0.5rem',
    });
    root.append(
      h(
        'section',
        { class: 'panel', id: 'app-map' },
        h('h2', {}, 'Application map'),
        h('div', { class: 'toolbar' }, h('label', {}, 'hosts grouped ', select), summary),
        frame,
        legend,
      ),
    );
    const table = new DataTable<Link>(
      panel(root, 'Links', 'map-links'),
      [
        { label: 'source', value: (l) => l.source },
        { label: 'destination', value: (l) => l.destination },
        { label: 'service', value: (l) => serviceLabel(l.service) },
        { label: 'rate', value: (l) => l.value, numeric: true, format: bitsPerSecond, bar: true },
      ],
      { rowKey: (l) => l.key, sortBy: 3, empty: 'no flows yet' },
    );

    let sets: GroupSets = {};
    let groupOf: (address: string) => string = subnetOf;
    let links: Link[] = [];
    let note = '';
    /** Each host's last flow (ms), for HOLD_MS. */
    const seen = new Map<string, number>();
    let drawn: { key: string; layout: Layout } | undefined;
    /** What the pointer is on: a link or host of the map, a service of the legend, a row of the table. */
    let hovered: { link?: string; host?: string; service?: string; row?: string } = {};
    let pointer = { x: 0, y: 0 };
    let groupsRead = 0;
    let colours = new Map<string, string>();
    const colour = (service: string) => colours.get(service) ?? colorOf(service);

    const regroup = () => {
      const groups = sets[select.value];
      groupOf = groups ? groupMatcher(groups) : subnetOf;
      drawn = undefined;
    };
    select.addEventListener('change', () => {
      localStorage.setItem(SAVED, select.value);
      regroup();
      render();
    });

    const readGroups = async () => {
      groupsRead = Date.now();
      sets = await getJson<GroupSets>('/group/json');
      const wanted = select.value || localStorage.getItem(SAVED) || '';
      const names = Object.keys(sets).sort();
      const options = [...select.options].slice(1).map((o) => o.value);
      if (names.join('\n') !== options.join('\n'))
        fill(
          select,
          select.options[0],
          ...names.map((n) => h('option', { value: n }, `by group set “${n}”`)),
        );
      select.value = wanted in sets ? wanted : '';
      regroup();
    };

    function render(): void {
      const now = Date.now();
      for (const [address, at] of seen) if (now - at > HOLD_MS) seen.delete(address);
      const byGroup = new Map<string, string[]>();
      for (const address of seen.keys()) {
        const g = groupOf(address);
        byGroup.set(g, [...(byGroup.get(g) ?? []), address]);
      }
      const groups = [...byGroup]
        .sort(([a], [b]) => compareGroups(a, b))
        .map(([name, hosts]) => ({ name, hosts: hosts.sort(compareAddresses) }));
      const width = Math.max(320, Math.round(frame.clientWidth));
      // The same groups, hosts and width give the same layout object, which the picture draws only once.
      const key = `${width}|${groups.map((g) => `${g.name}:${g.hosts.join(' ')}`).join('|')}`;
      if (drawn?.key !== key) drawn = { key, layout: layout(groups, width) };
      colours = serviceColours(links, colours);
      picture.draw(drawn.layout, links, colour);
      picture.element.style.display = seen.size === 0 ? 'none' : '';
      empty.hidden = links.length > 0;
      empty.textContent = note || 'no flows yet';
      table.setRows(links);
      const total = links.reduce((s, l) => s + l.value, 0);
      summary.textContent =
        seen.size === 0
          ? ''
          : `${seen.size} hosts in ${groups.length} groups · ${links.length} links · ${bitsPerSecond(total)}`;
      drawLegend();
      showTip();
    }

    function drawLegend(): void {
      const byService = new Map<string, number>();
      for (const l of links) byService.set(l.service, (byService.get(l.service) ?? 0) + l.value);
      fill(
        legend,
        ...[...byService]
          .sort(([, a], [, b]) => b - a)
          .map(([service, value]) =>
            h(
              'span',
              {
                class: 'map-legend-item',
                'data-service': service,
                style: 'display:inline-flex;align-items:center;gap:0.35rem;cursor:default',
              },
              h('span', {
                style: `display:inline-block;width:16px;height:4px;border-radius:2px;background:${colour(service)}`,
              }),
              serviceLabel(service),
              h('span', { class: 'muted' }, bitsPerSecond(value)),
            ),
          ),
      );
    }

    /** The tooltip and highlight of what is under the pointer, again after each update (rates change). */
    function showTip(): void {
      const link = hovered.link === undefined ? undefined : links.find((l) => l.key === hovered.link);
      const host = hovered.host !== undefined && seen.has(hovered.host) ? hovered.host : undefined;
      if (link) {
        picture.highlight((l) => l === link);
        fill(
          tip,
          h('strong', {}, `${link.source} → ${link.destination}`),
          h('div', {}, swatch(colour(link.service)), serviceLabel(link.service)),
          h('div', {}, bitsPerSecond(link.value)),
        );
      } else if (host) {
        const into = links.filter((l) => l.destination === host);
        const out = links.filter((l) => l.source === host);
        const sum = (ls: Link[]) => bitsPerSecond(ls.reduce((s, l) => s + l.value, 0));
        const peers = new Set([...into.map((l) => l.source), ...out.map((l) => l.destination)]);
        picture.highlight((l) => l.source === host || l.destination === host, host);
        fill(
          tip,
          h('strong', {}, host),
          h('div', { class: 'muted' }, groupOf(host)),
          h('div', {}, `in ${sum(into)} · out ${sum(out)}`),
          h('div', { class: 'muted' }, `${peers.size} ${peers.size === 1 ? 'peer' : 'peers'}`),
        );
      } else {
        const { service, row } = hovered;
        picture.highlight(
          service !== undefined
            ? (l) => l.service === service
            : row !== undefined
              ? (l) => l.key === row
              : undefined,
        );
        tip.hidden = true;
        return;
      }
      tip.hidden = false;
      // Beside the pointer, on its left near the right edge so that it stays inside the panel.
      const left =
        pointer.x + 14 + tip.offsetWidth > frame.clientWidth
          ? pointer.x - 14 - tip.offsetWidth
          : pointer.x + 14;
      tip.style.left = `${Math.max(0, left)}px`;
      tip.style.top = `${pointer.y + 14}px`;
    }

    const onPointer = (e: MouseEvent) => {
      const box = frame.getBoundingClientRect();
      pointer = { x: e.clientX - box.left, y: e.clientY - box.top };
      const target = e.target instanceof Element ? e.target : undefined;
      const host = target?.closest<SVGElement>('.map-host')?.dataset.host;
      let link = target?.closest<SVGElement>('.map-link')?.dataset.flow;
      if (host === undefined && link === undefined) {
        const at = picture.toPicture(e.clientX, e.clientY);
        link = picture.linkNear(at.x, at.y)?.key;
      }
      hovered = host !== undefined ? { host } : link !== undefined ? { link } : {};
      showTip();
    };
    const onLeave = () => {
      hovered = {};
      showTip();
    };
    picture.element.addEventListener('mousemove', onPointer);
    picture.element.addEventListener('mouseover', onPointer);
    picture.element.addEventListener('mouseleave', onLeave);
    const onLegend = (e: Event) => {
      const item = e.target instanceof Element ? e.target.closest<HTMLElement>('.map-legend-item') : null;
      hovered = item?.dataset.service ? { service: item.dataset.service } : {};
      showTip();
    };
    legend.addEventListener('mouseover', onLegend);
    legend.addEventListener('mouseleave', onLeave);
    // A row of the table lights its link up on the map (no tooltip: the row already says it all).
    const onRow = (e: Event) => {
      const row = e.target instanceof Element ? e.target.closest<HTMLElement>('tr[data-key]') : null;
      hovered = row?.dataset.key ? { row: row.dataset.key } : {};
      showTip();
    };
    table.element.addEventListener('mouseover', onRow);
    table.element.addEventListener('mouseleave', onLeave);

    let width = 0;
    const observer = new ResizeObserver(() => {
      if (frame.clientWidth === width) return;
      width = frame.clientWidth;
      render();
    });
    observer.observe(frame);

    const stop = every(REFRESH_MS, async () => {
      if (Date.now() - groupsRead > GROUPS_EVERY_MS) await readGroups();
      let flows: ActiveFlow[] = [];
      note = '';
      try {
        flows = await getJson<ActiveFlow[]>(FLOWS);
      } catch (e) {
        // With sflowkit_hosts deleted through the API there is nothing to draw: say so in place, not as a fault.
        if (!(e instanceof ApiFailure && e.status === 404)) throw e;
        note = `no flows: ${e.message}`;
      }
      links = flows.flatMap(toLink);
      const now = Date.now();
      for (const l of links) seen.set(l.source, now).set(l.destination, now);
      render();
    });
    return () => {
      stop();
      observer.disconnect();
      picture.element.removeEventListener('mousemove', onPointer);
      picture.element.removeEventListener('mouseover', onPointer);
      picture.element.removeEventListener('mouseleave', onLeave);
      legend.removeEventListener('mouseover', onLegend);
      legend.removeEventListener('mouseleave', onLeave);
      table.element.removeEventListener('mouseover', onRow);
      table.element.removeEventListener('mouseleave', onLeave);
    };
  },
};

/** `https (tcp/443)`: the name the network view gives a service, and the key it stands for. */
function serviceLabel(service: string): string {
  const name = serviceName(service);
  return name === service ? service : `${name} (${service})`;
}

/** A flow key is source,destination,service (the keys of sflowkit_hosts); anything else is not drawn. */
function toLink(f: ActiveFlow): Link[] {
  const parts = f.key.split(',');
  if (parts.length !== 3 || parts.some((p) => p === '') || !(f.value > 0)) return [];
  const [source, destination, service] = parts;
  return [{ key: f.key, source, destination, service, value: f.value }];
}

function swatch(colour: string): HTMLElement {
  return h('span', {
    style: `display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:0.35rem;background:${colour}`,
  });
}

/**
 * Each service's colour: colorOf's, as on the other views, unless another service shown already has it (ten
 * colours, so two of six services often share one); then the next free one of the palette. A service keeps the
 * colour it had while it stays on the map.
 */
function serviceColours(links: Link[], before: Map<string, string>): Map<string, string> {
  const services = [...new Set(links.map((l) => l.service))].sort();
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const s of services) {
    const kept = before.get(s);
    if (kept !== undefined && !taken.has(kept)) {
      out.set(s, kept);
      taken.add(kept);
    }
  }
  for (const s of services) {
    if (out.has(s)) continue;
    const first = PALETTE.indexOf(colorOf(s));
    const free = PALETTE.map((_, i) => PALETTE[(first + i) % PALETTE.length]).find((c) => !taken.has(c));
    const c = free ?? colorOf(s);
    out.set(s, c);
    taken.add(c);
  }
  return out;
}
