/**
 * The dashboard's shell: the header's links and time range, and the view the address names (#/cluster,
 * #/host/10.0.0.5). Changing view or range unmounts the view, which stops its polling and frees its charts.
 */
import { h } from './dom.js';
import type { View } from './view.js';
import { VIEWS } from './views/index.js';

const byId = new Map<string, View>(VIEWS.map((v) => [v.id, v]));
const main = document.getElementById('view') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const range = document.getElementById('range') as HTMLSelectElement;
let unmount: (() => void) | undefined;

range.value = localStorage.getItem('sflowkit.minutes') ?? '5';
range.addEventListener('change', () => {
  localStorage.setItem('sflowkit.minutes', range.value);
  show();
});

for (const v of VIEWS) if (v.nav) nav.append(h('a', { href: `#/${v.id}`, 'data-view': v.id }, v.title));

function show(): void {
  const [id = 'overview', ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const view = byId.get(id) ?? (byId.get('overview') as View);
  unmount?.();
  main.replaceChildren();
  main.dataset.view = view.id;
  document.title = `${view.title} · sflowkit`;
  for (const a of nav.querySelectorAll('a'))
    if (a.dataset.view === view.id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  unmount = view.mount(main, {
    minutes: () => Number(range.value),
    params,
    go: (hash) => {
      location.hash = hash;
    },
  });
}

window.addEventListener('hashchange', show);
show();
