/**
 * The agents the analyzer hears from (issue 5): found on their first datagram, lost when silent for longer
 * than a multiple of their polling interval; per agent what came in, what did not decode, and what was lost
 * on the way, from gaps in the datagram sequence numbers (an agent that restarted, its uptime going back,
 * starts its numbering again and loses nothing). An optional allowlist drops datagrams from elsewhere.
 */
import type { Datagram } from '../sflow/model.js';
import { type Cidr, contains } from './cidr.js';

export interface AgentTrackerOptions {
  /** An agent is lost when silent for this many of its polling intervals (3)… */
  lostIntervals?: number;
  /** …and never sooner than this, in milliseconds (60 s), which is the limit while its interval is unknown. */
  minLostMs?: number;
  /** Only datagrams from these blocks are taken; the rest are counted and dropped. */
  allow?: readonly Cidr[];
}

export interface AgentStats {
  address: string;
  firstSeen: number;
  lastSeen: number;
  datagrams: number;
  samples: number;
  /** Datagrams that did not decode, by error code. */
  decodeErrors: Record<string, number>;
  /** Datagrams missing from the sequence numbers. */
  lost: number;
  restarts: number;
  /** The counter polling interval seen, in milliseconds (the shortest gap between a data source's polls). */
  pollingMs?: number;
}

export interface AgentEvent {
  type: 'agent_found' | 'agent_lost';
  agent: string;
  time: number;
}

interface SubAgent {
  sequence: number;
  uptime: number;
}

interface Tracked extends AgentStats {
  subAgents: Map<number, SubAgent>;
  /** When each counter data source was last polled. */
  polls: Map<string, number>;
  present: boolean;
}

export class AgentTracker {
  private readonly agents = new Map<string, Tracked>();
  private readonly events: AgentEvent[] = [];
  /** Datagrams dropped because their source is not allowed. */
  refused = 0;

  constructor(private readonly options: AgentTrackerOptions = {}) {}

  /** Whether a datagram from `source` may be taken (the allowlist); a refused one is counted. */
  allowed(source: string): boolean {
    const allow = this.options.allow;
    if (allow === undefined || allow.some((b) => contains(b, source))) return true;
    this.refused++;
    return false;
  }

  /** A datagram that decoded, at `now` (ms). The agent is its agent address; datagrams without one, its sender. */
  datagram(d: Datagram, source: string, now: number): void {
    const a = this.agent(d.agentAddress ?? source, now);
    a.datagrams++;
    a.samples += d.samples.length;
    const sub = a.subAgents.get(d.subAgentId);
    if (sub !== undefined) {
      if (d.uptime < sub.uptime) a.restarts++;
      else if (d.sequenceNumber > sub.sequence + 1) a.lost += d.sequenceNumber - sub.sequence - 1;
    }
    a.subAgents.set(d.subAgentId, { sequence: d.sequenceNumber, uptime: d.uptime });
    for (const s of d.samples) {
      if (s.name !== 'counters_sample' && s.name !== 'counters_sample_expanded') continue;
      const key = `${d.subAgentId}/${s.sourceIdType}:${s.sourceIdIndex}`;
      const last = a.polls.get(key);
      // Polls of one data source a second or more apart: the agent's interval (closer ones are retries).
      if (last !== undefined && now - last >= 1000)
        a.pollingMs = Math.min(a.pollingMs ?? Infinity, now - last);
      a.polls.set(key, now);
    }
  }

  /** A datagram from `source` that did not decode, with its error code. */
  decodeError(source: string, code: string, now: number): void {
    const a = this.agent(source, now);
    a.decodeErrors[code] = (a.decodeErrors[code] ?? 0) + 1;
  }

  private agent(address: string, now: number): Tracked {
    let a = this.agents.get(address);
    if (a === undefined) {
      a = {
        address,
        firstSeen: now,
        lastSeen: now,
        datagrams: 0,
        samples: 0,
        decodeErrors: {},
        lost: 0,
        restarts: 0,
        subAgents: new Map(),
        polls: new Map(),
        present: false,
      };
      this.agents.set(address, a);
    }
    if (!a.present) {
      a.present = true;
      this.events.push({ type: 'agent_found', agent: address, time: now });
    }
    a.lastSeen = now;
    return a;
  }

  /** Looks for agents gone silent at `now`; returns the events since the last call. */
  tick(now: number): AgentEvent[] {
    const multiple = this.options.lostIntervals ?? 3;
    const min = this.options.minLostMs ?? 60_000;
    for (const a of this.agents.values()) {
      if (!a.present) continue;
      const limit = Math.max(min, multiple * (a.pollingMs ?? 0));
      if (now - a.lastSeen > limit) {
        a.present = false;
        this.events.push({ type: 'agent_lost', agent: a.address, time: now });
      }
    }
    return this.events.splice(0);
  }

  /** The agents heard from, present or lost, with their counts. */
  list(): (AgentStats & { present: boolean })[] {
    return [...this.agents.values()].map(({ subAgents: _s, polls: _p, ...stats }) => ({ ...stats }));
  }
}
