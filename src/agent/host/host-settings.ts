/**
 * From the configuration (hsflowd.conf, adjusted by DNS-SD) to what the agent loop runs with and what it
 * publishes for the host's other agents: collectors with host names resolved, the agent address chosen, the
 * sampling of each application.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { Collector } from '../exporter.js';
import { chooseAgentAddress } from './agent-address.js';
import type { AutoSettings } from './auto-file.js';
import type { AgentSettings } from './host-agent.js';
import type { HostAgentConfig } from './hsflowd-conf.js';

export interface Effective {
  agent: AgentSettings;
  auto: Omit<AutoSettings, 'revision'>;
  /** Collectors whose host name did not resolve (left out, and said). */
  unresolved: string[];
}

export async function effectiveSettings(config: HostAgentConfig): Promise<Effective> {
  const unresolved: string[] = [];
  const collectors: Collector[] = [];
  for (const c of config.collectors) {
    if (isIP(c.address)) collectors.push({ address: c.address, port: c.port });
    else
      try {
        collectors.push({ address: (await lookup(c.address)).address, port: c.port });
      } catch {
        unresolved.push(c.address);
      }
  }
  const include = config.agentCidrs.find((c) => !c.exclude);
  const chosen = config.agentIP
    ? { address: config.agentIP, device: config.agent }
    : chooseAgentAddress(config.agent, include && `${include.address}/${include.bits}`);
  const samplingBy: Record<string, number> = {};
  for (const [app, s] of Object.entries(config.apps))
    if (s.sampling !== undefined) samplingBy[app] = s.sampling;
  return {
    agent: {
      agentAddress: chosen.address,
      collectors,
      polling: config.polling,
      datagramBytes: config.datagramBytes,
      containers: {
        docker: config.modules.docker,
        containerd: config.modules.containerd,
        systemd: config.modules.systemd,
      },
    },
    auto: {
      hostname: hostname(),
      agentAddress: chosen.address,
      ...(chosen.device ? { agentDevice: chosen.device } : {}),
      polling: config.polling,
      sampling: config.sampling,
      samplingBy,
      headerBytes: config.headerBytes,
      datagramBytes: config.datagramBytes,
      collectors,
    },
    unresolved,
  };
}
