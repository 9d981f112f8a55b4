/**
 * One DNS question to a list of servers: over UDP, again over TCP when the answer is truncated, each server in
 * turn for `tries` rounds. Servers are written as node:dns writes them: `1.2.3.4`, `1.2.3.4:5353`, `::1`,
 * `[::1]:5353`. Throws when no server gives an answer; an answer with an error rcode is still an answer.
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { getServers } from 'node:dns';
import { connect, isIP } from 'node:net';
import { decodeResponse, encodeQuery, type Response } from './dns-sd-wire.js';

export interface QueryOptions {
  /** Defaults to the host's resolvers (node:dns reads them from /etc/resolv.conf). */
  servers?: string[];
  /** Per attempt. */
  timeoutMs?: number;
  /** Rounds over the server list. */
  tries?: number;
}

export interface Server {
  host: string;
  port: number;
}

export function parseServer(text: string): Server {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2] ?? 53) };
  if (isIP(text) !== 0) return { host: text, port: 53 };
  const hostPort = /^([^:]+):(\d+)$/.exec(text);
  if (hostPort && isIP(hostPort[1]!) === 4) return { host: hostPort[1]!, port: Number(hostPort[2]) };
  throw new Error(`not a DNS server address: '${text}'`);
}

export const serverName = (s: Server): string =>
  isIP(s.host) === 6 ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;

export async function query(name: string, type: number, options: QueryOptions = {}): Promise<Response> {
  const servers = (options.servers ?? getServers()).map(parseServer);
  if (servers.length === 0) throw new Error('no DNS servers');
  const timeoutMs = options.timeoutMs ?? 2000;
  const failures: string[] = [];
  for (let round = 0; round < (options.tries ?? 2); round++) {
    for (const server of servers) {
      const id = randomInt(0x10000); // unpredictable, so that a forged answer has to guess it
      const message = encodeQuery(id, name, type);
      try {
        const udp = await viaUdp(server, message, id, timeoutMs);
        return udp.truncated ? await viaTcp(server, message, id, timeoutMs) : udp;
      } catch (e) {
        failures.push(`${serverName(server)}: ${(e as Error).message}`);
      }
    }
  }
  throw new Error(`no answer (${[...new Set(failures)].join('; ')})`);
}

function viaUdp(server: Server, message: Buffer, id: number, timeoutMs: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    let finished = false;
    const done = (err: Error | undefined, response?: Response) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(response!);
    };
    const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (err) => done(err));
    socket.on('message', (msg) => {
      // A connected socket only hears its server; a stale or forged id is dropped, not taken as the answer.
      if (msg.length < 2 || msg.readUInt16BE(0) !== id) return;
      try {
        done(undefined, decodeResponse(msg));
      } catch (e) {
        done(e as Error);
      }
    });
    // Connected, so that a closed port comes back as ECONNREFUSED at once instead of a timeout.
    socket.connect(server.port, server.host, () => socket.send(message));
  });
}

function viaTcp(server: Server, message: Buffer, id: number, timeoutMs: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port });
    const chunks: Buffer[] = [];
    let finished = false;
    const done = (err: Error | undefined, response?: Response) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(response!);
    };
    const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms (TCP)`)), timeoutMs);
    socket.on('error', (err) => done(err));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(message.length);
      socket.write(Buffer.concat([length, message]));
    });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length < 2 || all.length < 2 + all.readUInt16BE(0)) return;
      try {
        const response = decodeResponse(all.subarray(2, 2 + all.readUInt16BE(0)));
        done(response.id === id ? undefined : new Error('answer for another question (TCP)'), response);
      } catch (e) {
        done(e as Error);
      }
    });
    socket.on('end', () => done(new Error('connection closed before the answer (TCP)')));
  });
}
