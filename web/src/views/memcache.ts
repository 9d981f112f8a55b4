/**
 * The memcache servers' sampled operations (memcache_operation, 0:2200) and counters: operations by command,
 * the hit ratio, and the hot and the missed keys of the sFlow blog's topkeys.pl and topmissedkeys.pl
 * (http://blog.sflow.com/2010/10/memcached-hot-keys.html, …/memcached-missed-keys.html). Sampling finds the
 * missed keys without the servers keeping anything about keys they do not hold.
 */
import { clusterHistory, flowHistory } from '../api.js';
import { fill, h, panel, stat } from '../dom.js';
import { percent, perSecond } from '../format.js';
import { every } from '../poll.js';
import { REFRESH_MS, type View } from '../view.js';
import { flowSeries, SeriesChart, topFlows, topRows, topTable, total, verbColor } from './flow-panels.js';

const EMPTY = 'no memcache operations sampled yet';

/** memcache_counters has no cmd_get: gets are hits + misses (docs/metrics.md). */
const COUNTERS = ['sum:memcache_get_hits', 'sum:memcache_get_misses', 'sum:memcache_cmd_set'] as const;
const [HITS, MISSES, SETS] = COUNTERS;

/** Hits as a percentage of gets; null where there were no gets. */
function hitRatio(hits: number | null, misses: number | null): number | null {
  if (hits === null || misses === null || hits + misses <= 0) return null;
  return (100 * hits) / (hits + misses);
}

export const memcache: View = {
  id: 'memcache',
  title: 'Memcache',
  nav: true,
  mount(root, ctx) {
    const stats = h('div', { class: 'stats', id: 'memcache-stats' });
    root.append(h('section', { class: 'panel' }, stats));
    const charts = h('div', { class: 'grid' });
    root.append(charts);
    const ops = new SeriesChart(panel(charts, 'Operations/s by command', 'memcache-ops'), {
      unit: 'perSecond',
      stacked: true,
      empty: EMPTY,
      color: verbColor,
    });
    const ratio = new SeriesChart(panel(charts, 'Get hit ratio (%)', 'memcache-hit-ratio'), {
      unit: 'percent',
      empty: 'no memcache counters received yet',
      color: () => '#59a14f',
    });
    const lower = h('div', { class: 'grid' });
    root.append(lower);
    const hot = topTable(panel(lower, 'Hot keys', 'memcache-hot-keys'), {
      keyLabel: 'key',
      rateLabel: 'ops/s',
      empty: EMPTY,
    });
    const missed = topTable(panel(lower, 'Missed keys (NOT_FOUND)', 'memcache-missed-keys'), {
      keyLabel: 'key',
      rateLabel: 'misses/s',
      empty: 'no misses sampled yet',
      // Of what? The top keys are not all misses, and the counters' misses are not sampled: no share.
      share: false,
    });

    const stop = every(REFRESH_MS, async () => {
      const minutes = ctx.minutes();
      const [opsHistory, counters, opsNow, keysNow, missedNow] = await Promise.all([
        flowHistory('sflowkit_memcache_ops', minutes, 10),
        clusterHistory(COUNTERS, minutes),
        topFlows('sflowkit_memcache_ops', 100),
        topFlows('sflowkit_memcache_keys', 20),
        topFlows('sflowkit_memcache_missed', 20),
      ]);
      const all = total(opsNow);
      const hits = counters.series[HITS] ?? [];
      const misses = counters.series[MISSES] ?? [];
      const ratios = counters.times.map((_, i) => hitRatio(hits[i] ?? null, misses[i] ?? null));
      // The cluster's last point: counters arrive every polling interval, so it is at most that old.
      const last = counters.times.length - 1;
      const nowRatio = ratios.at(-1) ?? null;
      if (all <= 0 && Object.keys(opsHistory.series).length === 0 && last < 0)
        fill(stats, h('p', { class: 'muted empty' }, EMPTY));
      else
        fill(
          stats,
          stat('operations/s', perSecond(all)),
          // Below 80% the database behind the cache takes a fifth of the reads or more: worth a look.
          stat(
            'get hit ratio',
            nowRatio === null ? '–' : percent(nowRatio),
            nowRatio !== null && nowRatio < 80 ? 'bad' : '',
          ),
          stat('get hits/s', last < 0 ? '–' : perSecond(hits[last] ?? 0)),
          stat('get misses/s', last < 0 ? '–' : perSecond(misses[last] ?? 0)),
          stat('sets/s', last < 0 ? '–' : perSecond(counters.series[SETS]?.[last] ?? 0)),
        );
      ops.set(opsHistory.times, flowSeries(opsHistory));
      ratio.set(counters.times, [['hit ratio', ratios]]);
      hot.setRows(topRows(keysNow, all));
      missed.setRows(topRows(missedNow, 0));
    });
    return () => {
      stop();
      ops.destroy();
      ratio.destroy();
    };
  },
};
