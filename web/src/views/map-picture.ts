/**
 * The application map's SVG: group circles at the back, then the links, then the names (haloed so that they read
 * over the links) and the hosts' dots on top.
 * Links and dots are kept by key and updated in place each second, so an element under the pointer (or held by
 * a test) stays the same element while its rate changes.
 */
import { shortName } from '../address.js';
import type { Layout } from './map-layout.js';

/** One flow of sflowkit_hosts, drawn as a line from its source's dot to its destination's. */
export interface Link {
  key: string;
  source: string;
  destination: string;
  service: string;
  /** Bytes per second. */
  value: number;
}

const NS = 'http://www.w3.org/2000/svg';
const MAX_WIDTH = 10;
const MIN_WIDTH = 0.8;

/**
 * The map's own rules, scoped to its id (style.css has none for it yet). They follow the theme through its
 * variables; a link's colour is its service's, set on the element.
 */
const CSS = `
#app-map-svg { display: block; width: 100%; height: auto; user-select: none; }
#app-map-svg .map-group { fill: var(--bg); stroke: var(--muted); stroke-opacity: 0.45; stroke-width: 1.5; }
#app-map-svg text { pointer-events: none; paint-order: stroke; stroke: var(--panel); stroke-linejoin: round; }
#app-map-svg .map-group-label { fill: var(--fg); font-size: 12px; font-weight: 600; text-anchor: middle; stroke-width: 4px; }
#app-map-svg .map-host-label { fill: var(--muted); font-size: 9px; stroke-width: 2.5px; }
#app-map-svg .map-link { stroke-linecap: round; stroke-opacity: 0.75; }
#app-map-svg .map-host { fill: var(--fg); stroke: var(--panel); stroke-width: 1.5; }
#app-map-svg .map-host.idle { fill: var(--panel); stroke: var(--muted); }
#app-map-svg.focus .map-link { stroke-opacity: 0.08; }
#app-map-svg.focus .map-host { opacity: 0.3; }
#app-map-svg.focus .map-link.on { stroke-opacity: 1; }
#app-map-svg.focus .map-host.on { opacity: 1; fill: var(--accent); }
`;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
}

export class MapPicture {
  readonly element: SVGSVGElement;
  private readonly back = svg('g');
  private readonly linkLayer = svg('g');
  private readonly labelLayer = svg('g');
  private readonly hostLayer = svg('g');
  private readonly links = new Map<string, { el: SVGLineElement; link: Link; at: Segment }>();
  private readonly hosts = new Map<string, SVGCircleElement>();
  private drawnLayout?: Layout;

  constructor(parent: Element) {
    this.element = svg('svg', { id: 'app-map-svg', role: 'img', 'aria-label': 'application map' });
    this.element.append(svg('style', {}, CSS), this.back, this.linkLayer, this.labelLayer, this.hostLayer);
    parent.append(this.element);
  }

  /** `colour` gives each service's colour (the view keeps them apart when colorOf gives two the same). */
  draw(layout: Layout, links: Link[], colour: (service: string) => string): void {
    const { width, height } = layout;
    this.element.setAttribute('viewBox', `0 0 ${width} ${height}`);
    if (layout !== this.drawnLayout) this.drawBack(layout);
    this.drawnLayout = layout;
    this.drawLinks(layout, links, colour);
    this.drawHosts(layout, new Set(links.flatMap((l) => [l.source, l.destination])));
  }

  /** The link whose line passes within `tolerance` of a point of the picture (for thin lines hard to hit). */
  linkNear(x: number, y: number, tolerance = 5): Link | undefined {
    let best: Link | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const { link, at } of this.links.values()) {
      const d = distanceToSegment(x, y, at) - at.width / 2;
      if (d < bestDistance && d <= tolerance) [best, bestDistance] = [link, d];
    }
    return best;
  }

  /** A point of the page in the picture's coordinates. */
  toPicture(clientX: number, clientY: number): { x: number; y: number } {
    const m = this.element.getScreenCTM()?.inverse();
    if (m === undefined) return { x: clientX, y: clientY };
    return { x: m.a * clientX + m.c * clientY + m.e, y: m.b * clientX + m.d * clientY + m.f };
  }

  /** Brings forward the links that `on` picks and their hosts, dimming the rest; no argument: all as they were. */
  highlight(on?: (l: Link) => boolean, host?: string): void {
    this.element.classList.toggle('focus', on !== undefined);
    const lit = new Set<string>(host === undefined ? [] : [host]);
    for (const { el, link } of this.links.values()) {
      const yes = on?.(link) ?? false;
      el.classList.toggle('on', yes);
      if (yes) lit.add(link.source).add(link.destination);
    }
    for (const [address, el] of this.hosts) el.classList.toggle('on', lit.has(address));
  }

  /** Group circles and names, and the hosts' short names: only when the groups or their hosts change. */
  private drawBack(layout: Layout): void {
    const circles: SVGElement[] = [];
    const out: SVGElement[] = [];
    for (const g of layout.groups) {
      circles.push(svg('circle', { class: 'map-group', cx: g.x, cy: g.y, r: g.r, 'data-group': g.name }));
      out.push(
        svg(
          'text',
          {
            class: 'map-group-label',
            x: g.x,
            y: g.labelY,
            'dominant-baseline': g.below ? 'hanging' : 'auto',
          },
          g.name,
        ),
      );
    }
    if (layout.hostLabels)
      for (const [address, p] of layout.hosts) {
        if (p.ux === 0 && p.uy === 0) continue;
        const anchor = p.ux > 0.3 ? 'start' : p.ux < -0.3 ? 'end' : 'middle';
        const baseline = p.uy > 0.3 ? 'hanging' : p.uy < -0.3 ? 'auto' : 'middle';
        out.push(
          svg(
            'text',
            {
              class: 'map-host-label',
              x: round(p.x + 8 * p.ux),
              y: round(p.y + 8 * p.uy),
              'text-anchor': anchor,
              'dominant-baseline': baseline,
            },
            shortName(address),
          ),
        );
      }
    this.back.replaceChildren(...circles);
    this.labelLayer.replaceChildren(...out);
  }

  private drawLinks(layout: Layout, links: Link[], colour: (service: string) => string): void {
    const max = Math.max(0, ...links.map((l) => l.value));
    const pairs = new Set(links.map((l) => `${l.source},${l.destination},${l.service}`));
    const keep = new Set<string>();
    // Largest first in the document, so that thin lines are drawn over thick ones and stay visible.
    const sorted = [...links].sort((a, b) => b.value - a.value);
    for (const [i, link] of sorted.entries()) {
      const from = layout.hosts.get(link.source);
      const to = layout.hosts.get(link.destination);
      if (from === undefined || to === undefined) continue;
      // Area-like: a link of a quarter of the largest's rate is half as wide.
      const width = max > 0 ? Math.max(MIN_WIDTH, MAX_WIDTH * Math.sqrt(link.value / max)) : MIN_WIDTH;
      // Both directions of a conversation side by side, each to the right of its own direction of travel.
      const both = pairs.has(`${link.destination},${link.source},${link.service}`);
      const at = offset(from, to, both ? width / 2 + 0.5 : 0, width);
      let entry = this.links.get(link.key);
      if (entry === undefined) {
        const el = svg('line', { class: 'map-link', 'data-flow': link.key });
        entry = { el, link, at };
        this.links.set(link.key, entry);
      }
      Object.assign(entry, { link, at });
      const { el } = entry;
      el.setAttribute('x1', round(at.x1));
      el.setAttribute('y1', round(at.y1));
      el.setAttribute('x2', round(at.x2));
      el.setAttribute('y2', round(at.y2));
      el.setAttribute('stroke', colour(link.service));
      el.setAttribute('stroke-width', round(width));
      if (this.linkLayer.children[i] !== el)
        this.linkLayer.insertBefore(el, this.linkLayer.children[i] ?? null);
      keep.add(link.key);
    }
    for (const [key, { el }] of this.links)
      if (!keep.has(key)) {
        el.remove();
        this.links.delete(key);
      }
  }

  private drawHosts(layout: Layout, active: Set<string>): void {
    const r = layout.hostLabels ? 4.5 : 3.5;
    for (const [address, p] of layout.hosts) {
      let el = this.hosts.get(address);
      if (el === undefined) {
        el = svg('circle', { class: 'map-host', 'data-host': address });
        this.hosts.set(address, el);
        this.hostLayer.append(el);
      }
      el.setAttribute('cx', round(p.x));
      el.setAttribute('cy', round(p.y));
      el.setAttribute('r', String(r));
      el.classList.toggle('idle', !active.has(address));
    }
    for (const [address, el] of this.hosts)
      if (!layout.hosts.has(address)) {
        el.remove();
        this.hosts.delete(address);
      }
  }
}

function offset(
  from: { x: number; y: number },
  to: { x: number; y: number },
  by: number,
  width: number,
): Segment {
  const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
  // The right-hand normal of the direction of travel (y grows downwards).
  const nx = (-(to.y - from.y) / length) * by;
  const ny = ((to.x - from.x) / length) * by;
  return { x1: from.x + nx, y1: from.y + ny, x2: to.x + nx, y2: to.y + ny, width };
}

function distanceToSegment(x: number, y: number, s: Segment): number {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  const t =
    dx === 0 && dy === 0
      ? 0
      : Math.max(0, Math.min(1, ((x - s.x1) * dx + (y - s.y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (s.x1 + t * dx), y - (s.y1 + t * dy));
}

const round = (n: number) => n.toFixed(1);
