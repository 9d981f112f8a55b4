/** A little DOM building, so that views read as the markup they make. */

type Child = Node | string | number | null | undefined | false;

/** h('div', {class: 'panel'}, child…): an element with attributes (on* handlers as functions) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((e: Event) => void) | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A titled panel; its body is returned for the view to fill. */
export function panel(parent: Element, title: string, id?: string): HTMLElement {
  const body = h('div', { class: 'panel-body' });
  parent.append(h('section', { class: 'panel', ...(id ? { id } : {}) }, h('h2', {}, title), body));
  return body;
}

/** A labelled figure (the overview's numbers). */
export function stat(label: string, value: string, cls = ''): HTMLElement {
  return h(
    'div',
    { class: 'stat' },
    h('div', { class: `value ${cls}` }, value),
    h('div', { class: 'label' }, label),
  );
}
