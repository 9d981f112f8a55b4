/** `--collector IP[:PORT]` (repeatable; `[IPv6]:PORT`), as the agent commands take it; a message when one is bad. */
import { isIP } from 'node:net';
import type { Collector } from '../agent/exporter.js';

export function collectorArgs(list: readonly string[] | undefined): Collector[] | string {
  const collectors: Collector[] = [];
  for (const c of list ?? []) {
    const m = /^\[([^\]]+)\](?::(\d+))?$|^([^:]+)(?::(\d+))?$/.exec(c);
    const port = Number(m?.[2] ?? m?.[4] ?? 6343);
    const address = m?.[1] ?? m?.[3] ?? '';
    if (!m || !(port >= 1 && port <= 65535) || isIP(address) === 0)
      return `--collector ${c}: expected IP[:PORT] or [IPv6]:PORT`;
    collectors.push({ address, port });
  }
  return collectors;
}
