/**
 * The simulated data center, second by second: flows cross the fabric, switches sample them and count them,
 * hosts and applications report, the scenario's events happen; each second gives the datagrams its agents
 * send, in time order. What really happened is kept as the truth (truth.ts).
 */
import type { Emitted } from './agent.js';
import { MemcacheAgent, WebAgent } from './app-agents.js';
import {
  buildFabric,
  type Fabric,
  type FabricConfig,
  type Hop,
  type Host,
  path,
  type Switch,
} from './fabric.js';
import { HostAgent } from './host-agent.js';
import { Random } from './random.js';
import { type Action, plan, type ScenarioName, type TimelineEvent, type World } from './scenarios.js';
import { SwitchAgent } from './switch-agent.js';
import { assignRoles, type Flow, FlowMaker, isActive } from './traffic.js';
import { type Truth, TruthRecorder } from './truth.js';

export interface GeneratorConfig {
  fabric: FabricConfig;
  scenario: ScenarioName;
  seed: number;
  /** Seconds of simulated time. */
  duration: number;
  /** Background flows, active for the whole run. */
  flows: number;
}

export class DataCenter {
  readonly fabric: Fabric;
  readonly flows: Flow[];
  readonly timeline: TimelineEvent[];
  private readonly paths = new Map<Flow, Hop[]>();
  private readonly actions: Action[];
  private readonly switches = new Map<Switch, SwitchAgent>();
  private readonly hosts = new Map<Host, HostAgent>();
  private readonly web = new Map<Host, WebAgent>();
  private readonly memcache = new Map<Host, MemcacheAgent>();
  private memcacheMultiplier = 1;
  private readonly recorder: TruthRecorder;
  private next = 0;

  constructor(readonly config: GeneratorConfig) {
    const rnd = new Random(config.seed);
    this.fabric = buildFabric(config.fabric);
    const roles = assignRoles(this.fabric);
    const maker = new FlowMaker(rnd.fork(1), this.fabric, roles);
    const background = maker.background(config.flows, config.duration);
    const story = plan(config.scenario, maker, rnd.fork(2), config.duration);
    this.flows = [...background, ...story.flows];
    this.timeline = story.timeline;
    this.actions = story.actions;
    for (const f of this.flows) this.paths.set(f, path(this.fabric, f.src, f.dst, f.hash));
    const polling = config.fabric.polling;
    const agents = rnd.fork(3);
    // Each agent its own random source, by kind and index: one kind's count never shifts another's.
    const fork = (kind: number, index: number) => agents.fork(kind * 1_000_000 + index);
    for (const sw of this.fabric.switches)
      this.switches.set(
        sw,
        new SwitchAgent(sw, fork(sw.role === 'spine' ? 0 : 1, sw.index), polling, config.fabric.idlePorts),
      );
    for (const h of this.fabric.hosts) this.hosts.set(h, new HostAgent(h, fork(2, h.index), polling));
    for (const h of roles.web) this.web.set(h, new WebAgent(h, fork(3, h.index), polling));
    for (const h of roles.memcache) this.memcache.set(h, new MemcacheAgent(h, fork(4, h.index), polling));
    this.recorder = new TruthRecorder(this.fabric, config.duration);
  }

  /** The datagrams of the next second, in time order; undefined after the last second. */
  nextSecond(): Emitted[] | undefined {
    const t = this.next;
    if (t >= this.config.duration) return undefined;
    this.next++;
    for (const a of this.actions) if (a.time === t) a.apply(this.world);
    for (const f of this.flows) {
      if (!isActive(f, t)) continue;
      const bytes = f.bytesPerSecond;
      const packets = bytes / f.packetSize;
      const hops = this.paths.get(f) as Hop[];
      hops.forEach((hop, index) => {
        const step = { hop, index, previous: hops[index - 1], next: hops[index + 1] };
        (this.switches.get(hop.sw) as SwitchAgent).carry(t, step, f, packets, bytes);
        this.recorder.carry(t, hop, bytes, packets);
      });
      this.hosts.get(f.src)?.traffic(0, 0, bytes, packets);
      this.hosts.get(f.dst)?.traffic(bytes, packets, 0, 0);
      // The servers see their clients' requests (the answers go the other way).
      if (f.answers === undefined && (f.app === 'http' || f.app === 'https'))
        this.web.get(f.dst)?.requests(t, f, bytes);
      if (f.answers === undefined && f.app === 'memcache')
        this.memcache.get(f.dst)?.operations(t, f, bytes, this.memcacheMultiplier);
    }
    const out: Emitted[] = [];
    for (const a of this.switches.values()) a.endSecond(t, out);
    for (const a of this.hosts.values()) a.endSecond(t, out);
    for (const a of this.web.values()) a.endSecond(t, out);
    for (const a of this.memcache.values()) a.endSecond(t, out);
    return out.sort((a, b) => a.time - b.time);
  }

  truth(): Truth {
    return this.recorder.truth(this.config, this.flows, this.paths, this.timeline);
  }

  private readonly world: World = {
    hostSilent: (host) => {
      const agent = this.hosts.get(host);
      if (agent) agent.silent = true;
      const web = this.web.get(host);
      if (web) web.silent = true;
      (this.switches.get(host.leaf) as SwitchAgent).linkDown(host.port);
      // Its flows stop where it stops.
      const now = this.next - 1;
      for (const f of this.flows)
        if ((f.src === host || f.dst === host) && f.end > now) f.end = Math.max(f.start, now);
    },
    memcache: (s) => {
      if (s.multiplier !== undefined) this.memcacheMultiplier = s.multiplier;
      for (const [host, m] of this.memcache) {
        if (s.hotKeyShare !== undefined) m.hotKeyShare = s.hotKeyShare;
        if (s.missRatio !== undefined) m.missRatio = s.missRatio;
        const h = this.hosts.get(host);
        if (h && s.load !== undefined) h.extraLoad = s.load;
      }
    },
    web: (host, s) => {
      const w = this.web.get(host);
      if (w && s.errorRate !== undefined) w.errorRate = s.errorRate;
      const h = this.hosts.get(host);
      if (h && s.load !== undefined) h.extraLoad = s.load;
    },
  };
}
