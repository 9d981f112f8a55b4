/**
 * The REST API server (fastify): sFlow-RT's routes and shapes over the engine, Prometheus exposition, one
 * error table for every 4xx and 5xx, and an optional bearer token in front of every write. Persistent
 * connections are kept (keep-alive), since controllers poll it.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { bodyProblem } from '../common/body-error.js';
import type { Engine } from '../engine/engine.js';
import { SpecError } from '../engine/spec-error.js';
import { ApiError } from './api-errors.js';
import { flowRoutes } from './flow-routes.js';
import { historyRoutes } from './history-routes.js';
import { metricRoutes } from './metric-routes.js';
import { statusRoutes } from './status-routes.js';
import { thresholdRoutes } from './threshold-routes.js';

export interface ApiOptions {
  engine: Engine;
  logger?: Logger;
  /** Writes (PUT, POST, DELETE) need `Authorization: Bearer TOKEN` when set. */
  apiToken?: string;
  /** Counters of the collector in front of the engine (queue and kernel drops), for /analyzer/json. */
  collectorCounts?: () => Record<string, number>;
  /** Called after a flow, threshold or group changed (to save the state file). */
  onChange?: () => void;
  /** Route modules from above the API (the controller apps' routes). */
  extraRoutes?: ((routes: Routes) => void)[];
  version: string;
}

export const BODY_LIMIT = 1024 * 1024;

type Handler = (req: FastifyRequest, reply: FastifyReply) => unknown;

/** The route table a route module fills: a path and its handlers by method; other methods get a 405. */
export interface Routes {
  add(url: string, handlers: Partial<Record<'GET' | 'PUT' | 'POST' | 'DELETE', Handler>>): void;
}

export async function buildApi(o: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(o.logger ? { loggerInstance: o.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    // Metric lists in a path (/metric/ALL/max:a,avg:b…/json) are longer than fastify's default 100 characters.
    routerOptions: { maxParamLength: 2048 },
    keepAliveTimeout: 65_000,
    // Each request is logged only at --log-level debug (or trace).
    logController: new LogController({ disableRequestLogging: () => !o.logger?.isLevelEnabled('debug') }),
  });
  // Bodies are JSON only: a text body is refused (415) rather than read as a string definition.
  app.removeContentTypeParser('text/plain');
  if (o.apiToken !== undefined) {
    const token = Buffer.from(`Bearer ${o.apiToken}`);
    app.addHook('onRequest', async (req) => {
      if (req.method === 'GET' || req.method === 'HEAD') return;
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== token.length || !timingSafeEqual(given, token))
        throw new ApiError('UNAUTHORIZED', 'this write needs the header "Authorization: Bearer <token>"');
    });
  }
  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, req, reply) => {
    const e = toApiError(error);
    if (e.code === 'INTERNAL') req.log.error({ err: error, url: req.url }, 'request failed');
    reply.code(e.status).send({ error: e.code, message: e.message });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
  const routes: Routes = {
    add(url, handlers) {
      const methods = Object.keys(handlers) as (keyof typeof handlers)[];
      for (const m of methods) app.route({ method: m, url, handler: handlers[m] as Handler });
      const others = (['GET', 'PUT', 'POST', 'DELETE'] as const).filter((m) => !methods.includes(m));
      if (others.length > 0)
        app.route({
          method: others,
          url,
          handler: async () => {
            throw new ApiError('METHOD_NOT_ALLOWED', `${url} takes ${methods.join(', ')}`);
          },
        });
    },
  };
  const changed = () => o.onChange?.();
  statusRoutes(routes, o);
  metricRoutes(routes, o.engine);
  flowRoutes(routes, o.engine, changed);
  thresholdRoutes(routes, o.engine, changed);
  historyRoutes(routes, o.engine);
  for (const add of o.extraRoutes ?? []) add(routes);
  await app.ready();
  return app;
}

function toApiError(error: Error & { code?: string; statusCode?: number }): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof SpecError) return new ApiError('BAD_DEFINITION', error.message);
  switch (bodyProblem(error)) {
    case 'TOO_LARGE':
      return new ApiError('BODY_TOO_LARGE');
    case 'MEDIA_TYPE':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', `a body must be application/json: ${error.message}`);
    case 'EMPTY':
      return new ApiError('BAD_JSON', 'the body is empty; it must be JSON');
    case 'NOT_JSON':
      return new ApiError('BAD_JSON', `the body is not valid JSON: ${error.message}`);
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
    return new ApiError('BAD_PARAMETER', error.message);
  return new ApiError('INTERNAL');
}

/** The agents of a path: ALL (every agent: undefined), or one address, or several separated by ';'. */
export function agentSet(text: string): ReadonlySet<string> | undefined {
  if (text === 'ALL') return undefined;
  const list = text.split(';').filter((a) => a !== '');
  if (list.length === 0)
    throw new ApiError('BAD_PARAMETER', `'${text}' names no agent (ALL, an address, or a;b)`);
  return new Set(list);
}

/** A numeric query parameter, with its default; a bad one is a 400 naming it. */
export function numberParam(query: unknown, name: string, fallback: number, min = 0): number {
  const v = (query as Record<string, string | undefined>)[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min)
    throw new ApiError('BAD_PARAMETER', `${name}=${v}: expected a number ≥ ${min}`);
  return n;
}

/** An AbortSignal that aborts when the client goes away (for long polls). */
export function clientGone(reply: FastifyReply): AbortSignal {
  const c = new AbortController();
  reply.raw.on('close', () => c.abort());
  return c.signal;
}
