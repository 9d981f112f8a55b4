/**
 * Where the application map puts things: each group a circle with its hosts evenly around it, the groups
 * around one big ellipse (or in a grid when there are too many for it). Positions depend only on the groups,
 * their hosts in order and the width, so the same hosts land on the same spots from one second to the next.
 */

export interface GroupIn {
  name: string;
  /** In the order they go around the circle, clockwise from the top. */
  hosts: string[];
}

export interface GroupPlace {
  name: string;
  x: number;
  y: number;
  r: number;
  /** The group's name goes above its circle, or below it in the lower half of the ellipse and in a grid. */
  labelY: number;
  below: boolean;
}

export interface HostPlace {
  x: number;
  y: number;
  group: string;
  /** Outward from the group's centre, where the host's short name goes; 0, 0 for a host alone in its group. */
  ux: number;
  uy: number;
}

export interface Layout {
  width: number;
  height: number;
  /** Where links between groups bend towards (the middle of the ellipse or grid). */
  cx: number;
  cy: number;
  groups: GroupPlace[];
  hosts: Map<string, HostPlace>;
  /** Whether the hosts are far enough apart to name each one. */
  hostLabels: boolean;
}

/** Room between neighbouring dots on a circle that is not crowded. */
const DOT_GAP = 30;
const MIN_R = 26;
const SINGLE_R = 12;
const MAX_R = 90;
const MARGIN = 10;
/** Beyond a circle: the hosts' short names. */
const PAD = 16;
/** Above or below a circle: the group's name. */
const LABEL = 22;
/** Between neighbouring groups, beyond their PADs. */
const GAP = 16;
/** A ring of more groups than this, or whose circles would shrink below MIN_DOT_GAP, becomes a grid. */
const MAX_RING = 32;
const MIN_DOT_GAP = 10;
const GRID_CELL = 190;
/** The widest ellipse, width to height. */
const ASPECT = 2.6;

/** The radius that spaces a group's hosts DOT_GAP apart; a lone host sits in the middle of a small circle. */
const natural = (g: GroupIn) =>
  g.hosts.length === 1
    ? SINGLE_R
    : Math.min(MAX_R, Math.max(MIN_R, (g.hosts.length * DOT_GAP) / (2 * Math.PI)));

export function layout(groups: GroupIn[], width: number): Layout {
  const height = Math.round(Math.min(620, Math.max(420, width * 0.6)));
  return (groups.length <= MAX_RING && ring(groups, width, height)) || grid(groups, width);
}

function ring(groups: GroupIn[], width: number, height: number): Layout | undefined {
  const n = groups.length;
  const cx = width / 2;
  const cy = height / 2;
  const places: GroupPlace[] = [];
  if (n <= 1) {
    const r = Math.min(...groups.map(natural), height / 2 - MARGIN - PAD - LABEL);
    if (n === 1) places.push(place(groups[0].name, cx, cy + LABEL / 2, r, false));
    return finish(groups, places, width, height, cx, cy);
  }
  // The largest radius (up to each group's natural one) at which the groups, spread along the ellipse that
  // leaves room for them, each as much of it as its width, stay GAP apart; found by bisection, as the ellipse
  // shrinks as r grows.
  const naturals = groups.map(natural);
  const at = (cap: number) => {
    const radii = naturals.map((r) => Math.min(r, cap));
    const points = spread(
      radii.map((r) => 2 * r + 2 * PAD + GAP),
      ellipse(width, height, Math.max(...radii)),
    );
    // Every pair, not only neighbours: across a flat ellipse the top and bottom groups can meet too.
    const apart = points.every((p, i) =>
      points.every(
        (q, j) => j <= i || Math.hypot(p.x - q.x, p.y - q.y) >= radii[i] + radii[j] + 2 * PAD + GAP,
      ),
    );
    return { radii, points, apart };
  };
  let fit = at(Math.max(...naturals));
  if (!fit.apart) {
    let [lo, hi] = [0, Math.max(...naturals)];
    for (let i = 0; i < 20; i++) {
      const mid = (lo + hi) / 2;
      if (at(mid).apart) lo = mid;
      else hi = mid;
    }
    fit = at(lo);
  }
  const { radii, points } = fit;
  if (groups.some((g, i) => (2 * Math.PI * radii[i]) / Math.max(1, g.hosts.length) < MIN_DOT_GAP)) return;
  for (const [i, g] of groups.entries()) {
    const { x, y } = points[i];
    places.push(place(g.name, cx + x, cy + y, radii[i], y > 1));
  }
  return finish(groups, places, width, height, cx, cy);
}

/** The ellipse the groups' centres go on, with room around it for circles of radius r and their names. */
function ellipse(width: number, height: number, r: number): { ax: number; ay: number } {
  const ay = Math.max(0, height / 2 - MARGIN - r - PAD - LABEL);
  // A very flat ellipse sends every link through one thin band; keep it not much wider than twice its height.
  return { ax: Math.max(0, Math.min(width / 2 - MARGIN - r - PAD, ASPECT * ay)), ay };
}

/**
 * Points along the ellipse, each `shares[i]` of its length from the last (by length, not angle, which would
 * crowd the flat sides), clockwise from the left so that with two groups the first is on the left.
 */
function spread(shares: number[], { ax, ay }: { ax: number; ay: number }): { x: number; y: number }[] {
  const steps = 360;
  const point = (i: number) => {
    const t = Math.PI + (2 * Math.PI * i) / steps;
    return { x: ax * Math.cos(t), y: ay * Math.sin(t) };
  };
  const along = [0];
  for (let i = 1; i <= steps; i++) {
    const [p, q] = [point(i - 1), point(i)];
    along.push(along[i - 1] + Math.hypot(q.x - p.x, q.y - p.y));
  }
  const total = along[steps];
  const out: { x: number; y: number }[] = [];
  let i = 0;
  const sum = shares.reduce((a, b) => a + b, 0);
  let before = 0;
  for (const share of shares) {
    const want = (total * (before + share / 2 - shares[0] / 2)) / sum;
    before += share;
    while (i < steps && along[i + 1] < want) i++;
    const f = along[i + 1] > along[i] ? (want - along[i]) / (along[i + 1] - along[i]) : 0;
    const [p, q] = [point(i), point(i + 1)];
    out.push({ x: p.x + f * (q.x - p.x), y: p.y + f * (q.y - p.y) });
  }
  return out;
}

function grid(groups: GroupIn[], width: number): Layout {
  const cols = Math.max(1, Math.min(groups.length, Math.floor(width / GRID_CELL)));
  const rows = Math.ceil(groups.length / cols);
  const cellW = width / cols;
  const cellH = Math.min(cellW, GRID_CELL);
  const height = Math.max(120, rows * cellH + 2 * MARGIN);
  // Groups a little off the grid's lines, so that a link along a row or column does not run through those between.
  const jitter = 0.08 * cellH;
  const cap = Math.min(cellW - 2 * jitter, cellH - LABEL - 2 * jitter) / 2 - PAD - GAP / 2;
  const places = groups.map((g, i) => {
    const x = cellW * ((i % cols) + 0.5) + jitter * Math.cos(1.7 * i);
    const y = MARGIN + cellH * (Math.floor(i / cols) + 0.5) - LABEL / 2 + jitter * Math.sin(2.4 * i);
    return place(g.name, x, y, Math.max(8, Math.min(natural(g), cap)), true);
  });
  return finish(groups, places, width, height, width / 2, height / 2);
}

function place(name: string, x: number, y: number, r: number, below: boolean): GroupPlace {
  return { name, x, y, r, below, labelY: below ? y + r + PAD + 6 : y - r - PAD - 6 };
}

function finish(
  groups: GroupIn[],
  places: GroupPlace[],
  width: number,
  height: number,
  cx: number,
  cy: number,
): Layout {
  const hosts = new Map<string, HostPlace>();
  let hostLabels = true;
  for (const [i, g] of groups.entries()) {
    const p = places[i];
    const n = g.hosts.length;
    // Names of about four characters at 9px need some 18px each, measured along the names' own circle.
    if (n > 1 && (2 * Math.PI * (p.r + 10)) / n < 18) hostLabels = false;
    if (n === 1) {
      // Alone in the middle of its circle, named by its group's label and its tooltip.
      hosts.set(g.hosts[0], { x: p.x, y: p.y, group: g.name, ux: 0, uy: 0 });
      continue;
    }
    for (const [j, host] of g.hosts.entries()) {
      const a = -Math.PI / 2 + (2 * Math.PI * j) / Math.max(1, n);
      const ux = Math.cos(a);
      const uy = Math.sin(a);
      hosts.set(host, { x: p.x + p.r * ux, y: p.y + p.r * uy, group: g.name, ux, uy });
    }
  }
  return { width, height, cx, cy, groups: places, hosts, hostLabels };
}
