/**
 * For end-to-end tests of `sflowkit serve`: a server on free ports of 127.0.0.1, a small REST client, and the
 * generator's data center sent to it over real UDP in real time.
 */
import { type RunningServer, startServer } from '../../src/cli/serve-command.js';
import { toUdp } from '../../src/cli/udp-sender.js';
import { loadConfig } from '../../src/common/config.js';
import { DataCenter, type GeneratorConfig } from '../../src/generator/data-center.js';
import { DEFAULT_FABRIC } from '../../src/generator/fabric.js';
import type { ScenarioName } from '../../src/generator/scenarios.js';

/** `sflowkit serve` on free ports of 127.0.0.1 only. */
export const LOOPBACK_FLAGS: readonly string[] = [
  '--sflow-port',
  '0',
  '--http-port',
  '0',
  '--http-host',
  '127.0.0.1',
  '--listen',
  'v4',
];

export async function testServer(...flags: string[]): Promise<RunningServer & { url: string }> {
  const config = loadConfig([...LOOPBACK_FLAGS, '--log-level', 'silent', ...flags], {});
  const s = await startServer(config);
  return Object.assign(s, { url: `http://127.0.0.1:${s.httpPort}` });
}

export interface Answer {
  status: number;
  body: unknown;
}

/** A request with a JSON body (or none); the answer's status and its JSON (or text) body. */
export async function call(
  url: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed };
}

/** GET that must succeed; its JSON. */
export async function get<T = unknown>(url: string): Promise<T> {
  const a = await call(url);
  if (a.status !== 200) throw new Error(`GET ${url}: ${a.status} ${JSON.stringify(a.body)}`);
  return a.body as T;
}

/** A data center with fast counter polling, so that rates show within a short test. */
export function dataCenter(
  scenario: ScenarioName,
  duration: number,
  extra: Partial<GeneratorConfig> = {},
): DataCenter {
  return new DataCenter({
    fabric: { ...DEFAULT_FABRIC, polling: [2, 3] },
    scenario,
    seed: 7,
    duration,
    flows: 200,
    ...extra,
  });
}

/** Sends `dc` to the server in real time; resolves when the last datagram is sent. */
export function send(dc: DataCenter, server: RunningServer): Promise<number> {
  return toUdp(dc, { address: '127.0.0.1', port: server.sflowPort, family: 4 });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
