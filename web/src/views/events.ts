/**
 * Thresholds and their events: the thresholds set, a form to set one, and the events as they happen, newest
 * first, from a long poll of /events/json (sFlow-RT's way: ask for the events after the last one seen, and
 * wait up to 20 s for one). The page keeps the newest 500, so an open page's memory is bounded over hours.
 */
import type { EngineEvent } from '../api.js';
import { fill, h, panel } from '../dom.js';
import { every } from '../poll.js';
import { REFRESH_MS, type View } from '../view.js';
import { eventList, eventText } from './events-feed.js';
import { Thresholds } from './events-thresholds.js';

const KEEP = 500;
const FIRST = 100;
const WAIT_SECONDS = 20;
/**
 * A pause after an answer that brought events: when thresholds fire many times a second each answer would
 * otherwise bring one and redraw the list, so the pause gathers them into a few redraws a second.
 */
const GATHER_MS = 250;
const RETRY_MS = 2000;

export const events: View = {
  id: 'events',
  title: 'Events',
  nav: true,
  mount(root) {
    const upper = h('div', { class: 'grid' });
    root.append(upper);
    let kept: EngineEvent[] = [];
    /** When each threshold last fired, of the events this page has read. */
    const fired = new Map<string, number>();
    const thresholds = new Thresholds(
      panel(upper, 'Thresholds', 'threshold-panel'),
      panel(upper, 'Set a threshold'),
      (id) => fired.get(id),
    );

    const feed = panel(root, 'Events, newest first', 'event-panel');
    const filter = h('input', {
      id: 'event-filter',
      type: 'search',
      placeholder: 'filter: threshold, agent, flow…',
      size: 32,
    });
    const counter = h('span', { id: 'event-count', class: 'muted' });
    const problem = h('p', { id: 'events-error', class: 'error', hidden: true });
    const list = h('div', { id: 'events', class: 'table-scroll' });
    feed.append(h('div', { class: 'toolbar' }, filter, counter), problem, list);

    const draw = () => {
      const needle = filter.value.trim().toLowerCase();
      const shown =
        needle === ''
          ? kept
          : kept.filter((e) => `${e.thresholdID} ${eventText(e)}`.toLowerCase().includes(needle));
      counter.textContent =
        needle === ''
          ? `${kept.length} events (the newest ${KEEP} are kept)`
          : `${shown.length} of ${kept.length} events match`;
      fill(
        list,
        shown.length === 0 && kept.length > 0
          ? h('p', { class: 'muted' }, 'no events match')
          : eventList(shown),
      );
    };
    filter.addEventListener('input', draw);
    const add = (fresh: EngineEvent[]) => {
      if (fresh.length === 0) return;
      kept = [...fresh, ...kept].slice(0, KEEP);
      for (const e of fresh.toReversed()) fired.set(e.thresholdID, e.timestamp);
      draw();
    };

    const abort = new AbortController();
    void follow(abort.signal, add, (message) => {
      problem.textContent = message;
      problem.hidden = message === '';
    });
    draw();
    const stop = every(REFRESH_MS, () => thresholds.update());
    return () => {
      stop();
      abort.abort();
    };
  },
};

/**
 * The first FIRST events, then each new batch as it comes, until `signal` aborts. api.ts's getJson takes no
 * signal, and only an aborted fetch ends a waiting long poll when the view goes.
 */
async function follow(
  signal: AbortSignal,
  add: (events: EngineEvent[]) => void,
  say: (message: string) => void,
): Promise<void> {
  let last: number | undefined;
  while (!signal.aborted) {
    try {
      const query = last === undefined ? `maxEvents=${FIRST}` : `eventID=${last}&timeout=${WAIT_SECONDS}`;
      const res = await fetch(`/events/json?${query}`, { signal });
      if (!res.ok) throw new Error(`events: ${res.status} ${res.statusText}`);
      const fresh = (await res.json()) as EngineEvent[];
      say('');
      last = Math.max(last ?? 0, ...fresh.map((e) => e.eventID));
      add(fresh);
      if (fresh.length > 0) await sleep(GATHER_MS, signal);
    } catch (e) {
      if (signal.aborted) return;
      say(`events: ${e instanceof Error ? e.message : String(e)}; trying again`);
      await sleep(RETRY_MS, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
