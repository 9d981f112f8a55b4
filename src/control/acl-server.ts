/**
 * The REST ACL server (fastify), the seed's API made production-ready:
 *   PUT /acl/NAME (a JSON array of rule lines) → 201 once applied; GET /acl/NAME → the lines; GET /acl/ → the
 *   names; DELETE /acl/NAME → 204 (also when there was none, as in the seed); DELETE /acl/ → 204, all gone;
 *   GET /status → the commit counters.
 * Names and rule lines are checked before anything is written (rule-check.ts), writes are batched into commits
 * (commit-batcher.ts), every error is a JSON body from one table (acl-errors.ts), connections are kept alive
 * (the seed's note 5: a controller saves a TCP and TLS handshake per change), and stop() lets the pending
 * batch finish before the server closes.
 */
import { readFileSync } from 'node:fs';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { bodyProblem } from '../common/body-error.js';
import { type AuthOptions, authHook } from './acl-auth.js';
import { AclError } from './acl-errors.js';
import { type AclStore, checkName } from './acl-store.js';
import type { CommitBatcher } from './commit-batcher.js';
import { asLines, parseAcl } from './rule-check.js';

export interface AclServerOptions {
  store: AclStore;
  batcher: CommitBatcher;
  /** The back-end's name, for /status. */
  backend: string;
  auth: AuthOptions;
  bodyLimit: number;
  version: string;
  logger?: Logger;
  /** PEM files; HTTPS when given. */
  tls?: { cert: string; key: string };
}

export interface AclServer {
  app: FastifyInstance;
  /** Refuses new writes, applies the batch under way and those queued, then closes every connection. */
  stop(): Promise<void>;
}

type Handler = (req: FastifyRequest, reply: FastifyReply) => unknown;
type Method = 'GET' | 'PUT' | 'DELETE';

export async function buildAclServer(o: AclServerOptions): Promise<AclServer> {
  const started = Date.now();
  const app = Fastify({
    ...(o.logger ? { loggerInstance: o.logger as FastifyBaseLogger } : { logger: false }),
    ...(o.tls ? { https: { cert: readFileSync(o.tls.cert), key: readFileSync(o.tls.key) } } : {}),
    bodyLimit: o.bodyLimit,
    // Longer than the 60 s idle timeout of common proxies and clients, so that they, not we, close first.
    keepAliveTimeout: 65_000,
    // Fastify's own 503 body is not in our shape; the hook below answers SHUTTING_DOWN instead.
    return503OnClosing: false,
    logController: new LogController({ disableRequestLogging: () => !o.logger?.isLevelEnabled('debug') }),
  }) as unknown as FastifyInstance;
  // Bodies are JSON only: the seed's clients send application/json, and curl's default form type is a mistake.
  app.removeContentTypeParser('text/plain');

  let stopping = false;
  app.addHook('onRequest', async (req, reply) => {
    if (stopping && req.method !== 'GET') {
      reply.header('connection', 'close');
      throw new AclError('SHUTTING_DOWN');
    }
  });
  // A response given while stopping closes its connection: a kept-alive one would hold the close up forever.
  app.addHook('onSend', async (_req, reply) => {
    if (stopping) reply.header('connection', 'close');
  });
  app.addHook('onRequest', authHook(o.auth));
  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, req, reply) => {
    const e = toAclError(error, o.bodyLimit);
    if (e.code === 'INTERNAL') req.log.error({ err: error, url: req.url }, 'request failed');
    else if (e.status >= 500)
      req.log.warn({ url: req.url, error: e.code, message: e.message }, 'request refused');
    reply.code(e.status).send(e.toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const e = path.startsWith('/acl/')
      ? new AclError(
          'BAD_NAME',
          `'${decodeSafely(path.slice(5)).slice(0, 80)}' is not an ACL name: 1 to 64 characters of a-z and 0-9`,
        )
      : new AclError('NOT_FOUND', `no route ${req.method} ${path}`);
    reply.code(e.status).send(e.toJSON());
  });

  const route = (url: string, handlers: Partial<Record<Method, Handler>>) => {
    const methods = Object.keys(handlers) as Method[];
    for (const m of methods) app.route({ method: m, url, handler: handlers[m] as Handler });
    const others = (['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const).filter(
      (m) => !methods.includes(m as Method),
    );
    app.route({
      method: others,
      url,
      handler: async () => {
        throw new AclError('METHOD_NOT_ALLOWED', `${url} takes ${methods.join(', ')}`);
      },
    });
  };

  const nameOf = (req: FastifyRequest) => {
    const name = (req.params as { name: string }).name;
    checkName(name);
    return name;
  };

  route('/acl/:name', {
    PUT: async (req, reply) => {
      const name = nameOf(req);
      const lines = asLines(req.body);
      parseAcl(lines);
      await o.batcher.submit({ kind: 'put', name, lines });
      reply.code(201).send();
    },
    GET: async (req) => {
      const name = nameOf(req);
      const lines = await o.store.read(name);
      if (lines === undefined) throw new AclError('UNKNOWN_ACL', `no ACL named '${name}'`);
      return lines;
    },
    DELETE: async (req, reply) => {
      await o.batcher.submit({ kind: 'delete', name: nameOf(req) });
      reply.code(204).send();
    },
  });
  route('/acl/', {
    GET: async () => o.store.list(),
    DELETE: async (_req, reply) => {
      await o.batcher.submit({ kind: 'deleteAll' });
      reply.code(204).send();
    },
  });
  route('/status', {
    GET: async () => ({
      version: o.version,
      backend: o.backend,
      dir: o.store.dir,
      acls: (await o.store.list()).length,
      uptime: Date.now() - started,
      ...o.batcher.stats(),
    }),
  });
  await app.ready();

  return {
    app,
    async stop() {
      stopping = true;
      const closed = app.close();
      await o.batcher.close();
      // Every answer is out once the batcher is closed; a client that keeps its connection anyway is cut.
      const grace = setTimeout(() => app.server.closeAllConnections(), 2000);
      await closed;
      clearTimeout(grace);
    },
  };
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function toAclError(error: Error & { code?: string; statusCode?: number }, bodyLimit: number): AclError {
  if (error instanceof AclError) return error;
  switch (bodyProblem(error)) {
    case 'TOO_LARGE':
      return new AclError(
        'BODY_TOO_LARGE',
        `the request body is over the limit of ${bodyLimit} bytes (--body-limit)`,
      );
    case 'MEDIA_TYPE':
      return new AclError(
        'UNSUPPORTED_MEDIA_TYPE',
        "a body must be JSON: send the header 'Content-Type: application/json'",
      );
    case 'EMPTY':
      return new AclError('BAD_JSON', 'the body is empty; it must be a JSON array of rule lines');
    case 'NOT_JSON':
      return new AclError('BAD_JSON', `the body is not valid JSON: ${error.message}`);
  }
  return new AclError('INTERNAL');
}
