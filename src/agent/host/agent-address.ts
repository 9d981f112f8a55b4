/**
 * The address an agent's datagrams carry, chosen as hsflowd chooses it: the `agent` setting (an interface name
 * or an address), else an address within `agent.cidr`, else the first global IPv4 address of an interface that
 * is up, then a global IPv6 one, and loopback only when there is nothing else (a laptop offline).
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { type Cidr, contains, parseCidr } from '../../engine/cidr.js';

export interface AgentAddressChoice {
  address: string;
  /** The interface it belongs to, when one does. */
  device?: string;
}

type Interfaces = ReturnType<typeof networkInterfaces>;

export function chooseAgentAddress(
  agent: string | undefined,
  agentCidr: string | undefined,
  interfaces: Interfaces = networkInterfaces(),
): AgentAddressChoice {
  const all = Object.entries(interfaces).flatMap(([device, addrs]) =>
    (addrs ?? []).map((a) => ({ device, address: a.address, family: a.family, internal: a.internal })),
  );
  if (agent !== undefined) {
    if (isIP(agent)) return { address: agent, device: all.find((a) => a.address === agent)?.device };
    const on = all.filter((a) => a.device === agent);
    const pick =
      on.find((a) => a.family === 'IPv4') ?? on.find((a) => a.family === 'IPv6' && !linkLocal(a.address));
    if (pick) return { address: pick.address, device: agent };
  }
  if (agentCidr !== undefined) {
    const block: Cidr = parseCidr(agentCidr);
    const hit = all.find((a) => contains(block, a.address));
    if (hit) return { address: hit.address, device: hit.device };
  }
  const external = all.filter((a) => !a.internal);
  const pick =
    external.find((a) => a.family === 'IPv4') ??
    external.find((a) => a.family === 'IPv6' && !linkLocal(a.address)) ??
    all.find((a) => a.family === 'IPv4');
  return pick ? { address: pick.address, device: pick.device } : { address: '127.0.0.1' };
}

const linkLocal = (address: string) => address.toLowerCase().startsWith('fe80:');
