/** Series colours that stay apart in light and dark themes (Tableau 10), and the theme's own colours. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

export const color = (i: number) => PALETTE[i % PALETTE.length];

/** A CSS variable of the page's theme (style.css), read when a chart is drawn. */
export const themeColor = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** The same colour for the same name across charts and reloads. */
export function colorOf(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  return color(Math.abs(hash));
}

export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
