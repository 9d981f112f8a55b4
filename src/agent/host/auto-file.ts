/**
 * The agent's effective settings, published for the other agents on the host, as hsflowd publishes
 * /etc/hsflowd.auto for mod-sflow, nginx-sflow-module and memcached: one `key=value` a line between
 * `rev_start=N` and `rev_end=N` (a reader that sees different revisions read a file being rewritten; we write
 * atomically anyway). So one hsflowd.conf, or one DNS-SD zone, drives every agent on the host.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../common/state-file.js';
import type { Collector } from '../exporter.js';

export interface AutoSettings {
  revision: number;
  hostname: string;
  agentAddress: string;
  agentDevice?: string;
  polling: number;
  sampling: number;
  /** sampling.http, sampling.memcache, sampling.app.NAME, … as the config gave them. */
  samplingBy: Record<string, number>;
  headerBytes: number;
  datagramBytes: number;
  collectors: Collector[];
}

export function autoText(s: AutoSettings): string {
  const lines = [
    '# Written by sflowkit agent; do not edit (it is rewritten whenever the configuration changes).',
    `rev_start=${s.revision}`,
    `hostname=${s.hostname}`,
    `sampling=${s.sampling}`,
    ...Object.entries(s.samplingBy).map(([k, v]) => `sampling.${k}=${v}`),
    `header=${s.headerBytes}`,
    `datagram=${s.datagramBytes}`,
    `polling=${s.polling}`,
    `agentIP=${s.agentAddress}`,
    ...(s.agentDevice ? [`agent=${s.agentDevice}`] : []),
    ...s.collectors.map((c) => `collector=${c.address} ${c.port}`),
    `rev_end=${s.revision}`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function writeAutoFile(path: string, s: AutoSettings): Promise<void> {
  await writeFileAtomic(path, autoText(s));
}

/**
 * Reads an auto file (ours or hsflowd's); undefined when it is missing, or caught between revisions. What the
 * HTTP and memcache instrumentation take their sampling, polling and collectors from.
 */
export function readAutoFile(path: string): AutoSettings | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const s: AutoSettings = {
    revision: Number.NaN,
    hostname: '',
    agentAddress: '',
    polling: 0,
    sampling: 0,
    samplingBy: {},
    headerBytes: 128,
    datagramBytes: 1400,
    collectors: [],
  };
  let end = Number.NaN;
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (line.startsWith('#') || eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'rev_start') s.revision = Number(value);
    else if (key === 'rev_end') end = Number(value);
    else if (key === 'hostname') s.hostname = value;
    else if (key === 'sampling') s.sampling = Number(value);
    else if (key.startsWith('sampling.')) s.samplingBy[key.slice('sampling.'.length)] = Number(value);
    else if (key === 'header') s.headerBytes = Number(value);
    else if (key === 'datagram') s.datagramBytes = Number(value);
    else if (key === 'polling') s.polling = Number(value);
    else if (key === 'agentIP') s.agentAddress = value;
    else if (key === 'agent') s.agentDevice = value;
    else if (key === 'collector') {
      const [address, port] = value.split(/\s+/);
      s.collectors.push({ address, port: port === undefined ? 6343 : Number(port) });
    }
  }
  return Number.isFinite(s.revision) && s.revision === end ? s : undefined;
}
