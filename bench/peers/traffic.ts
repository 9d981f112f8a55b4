/**
 * The sFlow traffic that `npm run bench:peers` offers to each collector: the switches' datagrams of the
 * generator's data center (src/generator, `steady`), which the sender cycles through. Only the switches'
 * (flow samples with sampled headers, extended_switch and extended_router, interface counters): every peer
 * accounts for those, where application samples without a packet header some collectors drop by design. The
 * interfaces sample 1 in 1,000 so that a short simulation gives enough datagrams.
 */
import { DataCenter } from '../../src/generator/data-center.js';
import { DEFAULT_FABRIC } from '../../src/generator/fabric.js';

/** `count` datagrams from the generator's switches, in the order the agents sent them. */
export function benchTraffic(count: number): Uint8Array[] {
  const dc = new DataCenter({
    fabric: { ...DEFAULT_FABRIC, samplingRate: 1000 },
    scenario: 'steady',
    seed: 1,
    duration: 3600,
    flows: 400,
  });
  const out: Uint8Array[] = [];
  for (let second = dc.nextSecond(); second && out.length < count; second = dc.nextSecond()) {
    for (const e of second) if (e.agent.startsWith('10.0.0.') && out.length < count) out.push(e.bytes);
  }
  return out;
}
