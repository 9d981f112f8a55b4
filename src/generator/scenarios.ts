/**
 * The stories a run tells, on top of the background traffic: elephants, a DDoS, a memcache hot key and miss
 * storm (the seeds' memcached and Membase stories) and a host that goes silent. Each is flows, and changes to
 * agents at given times, written down in the truth's timeline. Times are fractions of the run, so any
 * duration tells the whole story.
 */
import type { Host } from './fabric.js';
import type { Random } from './random.js';
import type { Flow, FlowMaker } from './traffic.js';

export const SCENARIOS = ['steady', 'elephants', 'ddos', 'memcache-storm', 'host-loss'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface TimelineEvent {
  time: number;
  kind: string;
  description: string;
  /** The flows, hosts or keys it concerns. */
  flows?: number[];
  host?: string;
  key?: string;
}

/** What a scenario can change in the running data center. */
export interface World {
  hostSilent(host: Host): void;
  memcache(settings: { hotKeyShare?: number; missRatio?: number; multiplier?: number; load?: number }): void;
  web(host: Host, settings: { errorRate?: number; load?: number }): void;
}

export interface Action {
  time: number;
  apply: (world: World) => void;
}

export interface Plan {
  flows: Flow[];
  timeline: TimelineEvent[];
  actions: Action[];
}

const GBIT = 1e9 / 8;

export function plan(name: ScenarioName, maker: FlowMaker, rnd: Random, duration: number): Plan {
  const at = (fraction: number) => Math.floor(duration * fraction);
  const roles = maker.roles;
  const out: Plan = { flows: [], timeline: [], actions: [] };
  switch (name) {
    case 'steady':
      return out;
    case 'elephants': {
      // A run too short for a window has no elephant in it.
      const flows = [
        maker.flow('storage', at(0.2), at(0.7), 4 * GBIT),
        maker.flow('replication', at(0.3), at(0.8), 2.5 * GBIT),
        maker.flow('storage', at(0.5), at(0.9), 6 * GBIT),
      ].filter((f) => f.end > f.start);
      out.flows.push(...flows.flatMap((f) => [f, maker.answer(f)]));
      for (const f of flows) {
        out.timeline.push({
          time: f.start,
          kind: 'elephant_start',
          description: `${f.app} ${f.srcIp} -> ${f.dstIp}:${f.dstPort} at ${((f.bytesPerSecond * 8) / 1e9).toFixed(1)} Gbit/s until ${f.end} s`,
          flows: [f.id],
        });
      }
      return out;
    }
    case 'ddos': {
      const victim = roles.web[0];
      // The flood comes in on other leaves' ports where there are other leaves.
      const others = maker.fabric.hosts.filter((h) => h !== victim);
      const away = others.filter((h) => h.leaf !== victim.leaf);
      const via = (away.length > 0 ? away : others).slice(0, 4);
      const flows = maker.ddos(victim, via, 200, 3 * GBIT, at(0.3), at(0.7));
      out.flows.push(...flows);
      out.timeline.push(
        {
          time: at(0.3),
          kind: 'ddos_start',
          description: `UDP flood to ${victim.ipv4}:53 from 200 spoofed addresses, 3 Gbit/s`,
          flows: flows.map((f) => f.id),
          host: victim.name,
        },
        { time: at(0.7), kind: 'ddos_end', description: `flood to ${victim.ipv4} ends`, host: victim.name },
      );
      out.actions.push(
        { time: at(0.3), apply: (w) => w.web(victim, { errorRate: 0.3, load: 0.8 }) },
        { time: at(0.7), apply: (w) => w.web(victim, { errorRate: 0.01, load: 0 }) },
      );
      return out;
    }
    case 'memcache-storm':
      out.timeline.push(
        { time: at(0.25), kind: 'hot_key', description: 'user:hot takes 60% of gets', key: 'user:hot' },
        { time: at(0.5), kind: 'miss_storm', description: 'gets miss 80% of the time, 3x the operations' },
        { time: at(0.8), kind: 'storm_end', description: 'memcache back to normal' },
      );
      out.actions.push(
        { time: at(0.25), apply: (w) => w.memcache({ hotKeyShare: 0.6 }) },
        { time: at(0.5), apply: (w) => w.memcache({ missRatio: 0.8, multiplier: 3, load: 0.6 }) },
        {
          time: at(0.8),
          apply: (w) => w.memcache({ hotKeyShare: 0, missRatio: 0.05, multiplier: 1, load: 0 }),
        },
      );
      return out;
    case 'host-loss': {
      const servers = new Set(Object.values(roles).flat());
      const host = rnd.pick(maker.fabric.hosts.filter((h) => !servers.has(h)));
      out.timeline.push({
        time: at(0.5),
        kind: 'host_silent',
        description: `${host.name} (${host.ipv4}) stops: no traffic, no counters, link down`,
        host: host.name,
      });
      out.actions.push({ time: at(0.5), apply: (w) => w.hostSilent(host) });
      return out;
    }
  }
}
