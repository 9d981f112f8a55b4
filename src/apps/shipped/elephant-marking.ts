/**
 * The elephant-flow marking controller (`--app builtin:elephant-marking`): the typed equivalent of the seed's
 * clmark.js. A TCP flow over a share of its access port's speed (10%) for about a second is an elephant; the
 * app PUTs an ACL that marks it (DSCP) on the switch it entered by, through that switch's REST ACL server
 * (`sflowkit acl-server`), and DELETEs the ACL once the flow has ended. A budget of actions per window (per
 * switch and overall) keeps it from running away: over budget it enters safe mode, raises an event, and acts
 * no more until an operator resets it (POST /app/elephant-marking/reset); it leaves or removes its ACLs, as
 * configured. Options come from --app-config (docs/apps.md).
 */
import { ActionBudget, type BudgetLimits } from '../action-budget.js';
import type { AppApi, AppEvent } from '../app-api.js';

export interface MarkingOptions {
  /** The ACL server of a switch: {agent} is the switch's agent address. */
  aclUrl: string;
  /** What a rule matches: a TCP connection (addresses and ports), or all IP traffic between two addresses. */
  match: 'tcp' | 'ip';
  /** Bearer token of the ACL servers. */
  token?: string;
  /** Port speeds (bit/s) that make a port an access port; faster ones are uplinks. */
  accessSpeeds: number[];
  /** An elephant carries more than this share of its port's speed… */
  fraction: number;
  /** …for about this long: the flow's smoothing time constant, seconds. */
  seconds: number;
  /** A marked flow has ended when its rate falls below this share of its threshold. */
  endFraction: number;
  /** Seconds between looks at the marked flows. */
  checkSeconds: number;
  dscp: number;
  /** iptables target: DSCP (plain Linux) or SETQOS (Cumulus Linux, as clmark.js). */
  target: 'DSCP' | 'SETQOS';
  /** Interfaces the mark applies on (Cumulus switch ports: swp+). */
  inInterface: string;
  budget: BudgetLimits;
  /** In safe mode: leave the ACLs in place, or remove them. */
  onSafeMode: 'keep' | 'rollback';
}

export const DEFAULTS: MarkingOptions = {
  aclUrl: 'http://{agent}:8080/acl/',
  match: 'tcp',
  accessSpeeds: [1e9, 10e9, 25e9],
  fraction: 0.1,
  seconds: 1,
  endFraction: 0.01,
  checkSeconds: 1,
  dscp: 10,
  target: 'DSCP',
  inInterface: 'swp+',
  budget: { windowSeconds: 10, perTarget: 20, overall: 50 },
  onSafeMode: 'keep',
};

const FLOW = 'marking';
/** IPv4 or IPv6 addresses (sFlow-RT keeps them in separate keys), and for TCP the ports (TCP samples only). */
const ADDRESSES = 'or:ipsource:ip6source,or:ipdestination:ip6destination';
const FLOWS = {
  tcp: { keys: `${ADDRESSES},tcpsourceport,tcpdestinationport` },
  ip: { keys: ADDRESSES },
};
/** How many actions' timings /app/elephant-marking/timings keeps. */
const TIMINGS = 1000;

/** When each stage of one action happened (ms since the epoch): for `npm run bench:control`. */
export interface ActionTiming {
  flowKey: string;
  agent: string;
  /** The threshold event's timestamp (the sample that crossed it). */
  event: number;
  /** When the app sent its PUT. */
  request: number;
  /** When the ACL server answered: the ACL is applied. */
  applied?: number;
}

interface Control {
  agent: string;
  dataSource: string;
  rule: string;
  /** The threshold it crossed, bytes/s. */
  threshold: number;
  since: number;
}

export default function elephantMarking(api: AppApi, options: Partial<MarkingOptions> = {}): void {
  const o: MarkingOptions = { ...DEFAULTS, ...options, budget: { ...DEFAULTS.budget, ...options.budget } };
  const controls = new Map<string, Control>();
  const budget = new ActionBudget(o.budget);
  const counts = { marked: 0, removed: 0, failed: 0 };
  let next = 0;
  const publish = () =>
    api.setState({
      ...budget.state(),
      controls: controls.size,
      ...counts,
      options: { ...o, token: undefined },
    });

  api.setFlow(FLOW, { keys: FLOWS[o.match].keys, value: 'bytes', t: o.seconds });
  const timings: ActionTiming[] = [];
  // One threshold per access speed: a share of that speed, on ports of that speed only.
  const thresholds = o.accessSpeeds.map((speed) => `${FLOW}_${speed}`);
  for (const [i, speed] of o.accessSpeeds.entries())
    api.setThreshold(thresholds[i], {
      metric: FLOW,
      value: (speed / 8) * o.fraction,
      byFlow: true,
      timeout: 4,
      filter: { ifspeed: [speed] },
    });

  const acl = (agent: string, rule: string) => `${o.aclUrl.replace('{agent}', agent)}${rule}`;
  const send = (method: 'PUT' | 'DELETE', url: string, body?: string) =>
    fetch(url, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    }).then(async (res) => {
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    });

  // Each control's PUT, resolved true once its ACL is in place. A DELETE waits for it: sent on another
  // connection, it could reach the ACL server before the PUT and leave the ACL behind for good.
  const placed = new WeakMap<Control, Promise<boolean>>();
  const remove = (c: Control, why: string) =>
    (placed.get(c) ?? Promise.resolve(true)).then((inPlace) => {
      if (!inPlace) return;
      return send('DELETE', acl(c.agent, c.rule)).then(
        () => {
          counts.removed++;
          publish();
        },
        (e: Error) => api.logWarning(`${why} of ${c.rule}: ${e.message}`),
      );
    });

  const rollback = () => {
    for (const [key, c] of controls) {
      controls.delete(key);
      remove(c, 'rollback');
    }
  };

  api.setEventHandler((e: AppEvent) => {
    if (!('flowKey' in e) || e.flowKey === undefined || controls.has(e.flowKey)) return;
    const allowed = budget.take(e.agent, Date.now(), (reason) => {
      api.raiseEvent('safe_mode', `elephant-marking stops acting: ${reason}`, e.agent);
      if (o.onSafeMode === 'rollback') rollback();
    });
    if (!allowed) {
      publish();
      return;
    }
    const [src, dst, sport, dport] = e.flowKey.split(',');
    const rule = `mark${next++}`;
    const what =
      o.match === 'tcp'
        ? `-s ${src} -d ${dst} -p tcp --sport ${sport} --dport ${dport}`
        : `-s ${src} -d ${dst}`;
    const lines = [
      src.includes(':') ? '[ip6tables]' : '[iptables]',
      '# mark an elephant',
      `-t mangle -A FORWARD -i ${o.inInterface} ${what} -j ` +
        (o.target === 'DSCP' ? `DSCP --set-dscp ${o.dscp}` : `SETQOS --set-dscp ${o.dscp} --set-cos 5`),
    ];
    const control = {
      agent: e.agent,
      dataSource: e.dataSource,
      rule,
      threshold: e.threshold,
      since: Date.now(),
    };
    controls.set(e.flowKey, control);
    const timing: ActionTiming = {
      flowKey: e.flowKey,
      agent: e.agent,
      event: e.timestamp,
      request: Date.now(),
    };
    timings.push(timing);
    if (timings.length > TIMINGS) timings.shift();
    placed.set(
      control,
      send('PUT', acl(e.agent, rule), JSON.stringify(lines)).then(
        () => {
          timing.applied = Date.now();
          counts.marked++;
          publish();
          return true;
        },
        (err: Error) => {
          // Not marked: forget it, so that the flow's next event tries again.
          counts.failed++;
          if (controls.get(e.flowKey as string) === control) controls.delete(e.flowKey as string);
          api.logWarning(err.message);
          publish();
          return false;
        },
      ),
    );
  }, thresholds);

  api.setIntervalHandler(() => {
    for (const [key, c] of controls) {
      const value = api.flowValue(c.agent, `${c.dataSource}.${FLOW}`, key);
      if (value >= c.threshold * o.endFraction) continue;
      controls.delete(key);
      remove(c, 'removal');
    }
  }, o.checkSeconds);

  api.setHttpHandler((req) => {
    if (req.path[0] === 'timings') return timings;
    if (req.method === 'POST' && req.path[0] === 'reset') {
      budget.reset();
      api.logInfo('safe mode reset by the operator');
      publish();
    }
    return {
      ...budget.state(),
      controls: [...controls].map(([flowKey, c]) => ({ flowKey, ...c })),
      ...counts,
    };
  });
  publish();
}
