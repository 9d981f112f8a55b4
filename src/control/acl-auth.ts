/**
 * Who may change the ACLs (the seed's note 1): a bearer token, HTTP basic credentials, or both, as configured.
 * Reads need no credentials; writes need valid ones unless anonymous writes were explicitly allowed. Wrong
 * credentials are refused on any request, so a client with a stale token finds out on its first call. Secrets
 * are compared by their SHA-256 digests with timingSafeEqual, so that neither their content nor their length
 * leaks through response times.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AclError } from './acl-errors.js';

export interface AuthOptions {
  token?: string;
  basic?: { user: string; password: string };
  allowAnonymousWrites: boolean;
}

const REALM = 'sflowkit acl-server';

const digest = (s: string | Buffer) => createHash('sha256').update(s).digest();
const same = (a: Buffer, b: Buffer) => timingSafeEqual(a, b);

/** An onRequest hook enforcing `o`; throws UNAUTHORIZED (with WWW-Authenticate challenges) when it refuses. */
export function authHook(o: AuthOptions): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const token = o.token === undefined ? undefined : digest(o.token);
  const basic = o.basic === undefined ? undefined : digest(`${o.basic.user}:${o.basic.password}`);
  const challenges = [
    ...(basic ? [`Basic realm="${REALM}", charset="UTF-8"`] : []),
    ...(token ? [`Bearer realm="${REALM}"`] : []),
  ];
  const refuse = (reply: FastifyReply, message: string) => {
    if (challenges.length > 0) reply.header('www-authenticate', challenges);
    return new AclError('UNAUTHORIZED', message);
  };
  const accepted = [token && 'a bearer token', basic && 'HTTP basic credentials']
    .filter(Boolean)
    .join(' or ');

  return async (req, reply) => {
    // With no credentials configured (so anonymous writes were allowed), a header has nothing to be checked against.
    if (!token && !basic) return;
    const header = req.headers.authorization;
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if (header === undefined || header === '') {
      if (!write || o.allowAnonymousWrites) return;
      throw refuse(reply, `this write needs ${accepted} in the Authorization header`);
    }
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer' && token) {
      if (same(digest(value), token)) return;
      throw refuse(reply, 'the bearer token is not the one configured');
    }
    if (scheme === 'basic' && basic) {
      if (same(digest(Buffer.from(value, 'base64')), basic)) return;
      throw refuse(reply, 'the basic user or password is wrong');
    }
    throw refuse(reply, `the Authorization scheme '${scheme}' is not accepted here; use ${accepted}`);
  };
}
