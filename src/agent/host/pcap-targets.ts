/**
 * Which devices hsflowd.conf's `pcap { }` blocks sample, and at what rate: as hsflowd's mod_pcap, a block's
 * own `sampling` if it has one, else the rate for the link's speed (samplingFor: `sampling.<speed>`, else
 * ifSpeed / 1,000,000 and at least 100, else `sampling` where the speed is unknown). A device that does not
 * exist is skipped with a warning, as hsflowd skips it.
 */
import { type HostAgentConfig, samplingFor } from './hsflowd-conf.js';
import type { Nic } from './proc-net.js';

export interface PcapTarget {
  dev: string;
  ifIndex: number;
  samplingRate: number;
  promisc: boolean;
}

/** The devices to sample; `nics` as readNics gives them (speed in Mb/s, as /sys/class/net/NAME/speed). */
export function pcapTargets(
  config: HostAgentConfig,
  nics: readonly Pick<Nic, 'name' | 'ifIndex' | 'speed'>[],
): { targets: PcapTarget[]; warnings: string[] } {
  const targets: PcapTarget[] = [];
  const warnings: string[] = [];
  for (const block of config.modules.pcap) {
    const dev = block.dev;
    if (dev === undefined) {
      warnings.push('pcap: only `dev =` selects devices here; a block by dev.pattern or speed is skipped');
      continue;
    }
    const nic = nics.find((n) => n.name === dev);
    if (nic === undefined) {
      warnings.push(`pcap: device ${dev} not found`);
      continue;
    }
    if (targets.some((t) => t.dev === dev)) {
      warnings.push(`pcap: device ${dev} is in two blocks; the first is used`);
      continue;
    }
    const samplingRate = block.sampling ?? samplingFor(config, BigInt(nic.speed ?? 0) * 1_000_000n);
    // hsflowd reads 0 as "sampling off" on this device.
    if (!(samplingRate >= 1)) {
      warnings.push(`pcap: sampling is 0 on ${dev}, so it is not sampled`);
      continue;
    }
    targets.push({ dev, ifIndex: nic.ifIndex, samplingRate, promisc: block.promisc ?? false });
  }
  return { targets, warnings };
}
