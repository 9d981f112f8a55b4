/**
 * sFlow for applications on Express, Koa and Fastify: each adapter hands the framework's underlying Node request
 * and response to one HttpSflow, so their samples and counters are exactly instrumentHttp's. Put the Express and
 * Koa middleware first, so that every request is counted. The frameworks' types are described structurally:
 * sflowkit depends on none of them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpSflow, type HttpSflowOptions } from './http-sflow.js';

function sflowOf(options: HttpSflowOptions | HttpSflow): HttpSflow {
  return options instanceof HttpSflow ? options : new HttpSflow(options);
}

export type ExpressMiddleware = ((
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void) & { sflow: HttpSflow };

/** Express (or Connect) middleware: `app.use(sflowExpress({ … }))`. */
export function sflowExpress(options: HttpSflowOptions | HttpSflow = {}): ExpressMiddleware {
  const sflow = sflowOf(options);
  const middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    if (!sflow.handle(req, res)) next();
  };
  return Object.assign(middleware, { sflow });
}

/** What the Koa middleware uses of Koa's context. */
interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  respond?: boolean;
}

export type KoaMiddleware = ((ctx: KoaContext, next: () => Promise<unknown>) => Promise<unknown>) & {
  sflow: HttpSflow;
};

/** Koa middleware: `app.use(sflowKoa({ … }))`. */
export function sflowKoa(options: HttpSflowOptions | HttpSflow = {}): KoaMiddleware {
  const sflow = sflowOf(options);
  const middleware = async (ctx: KoaContext, next: () => Promise<unknown>) => {
    if (!sflow.handle(ctx.req, ctx.res)) return next();
    // The page has been written to the Node response: Koa must not answer as well.
    ctx.respond = false;
  };
  return Object.assign(middleware, { sflow });
}

/** What the Fastify adapter uses of a Fastify instance. */
interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (
      request: { raw: IncomingMessage },
      reply: { raw: ServerResponse; hijack(): unknown },
      done: () => void,
    ) => void,
  ): unknown;
}

/** Fastify: `sflowFastify(app, { … })` before app.listen(); returns the HttpSflow. */
export function sflowFastify(app: FastifyLike, options: HttpSflowOptions | HttpSflow = {}): HttpSflow {
  const sflow = sflowOf(options);
  app.addHook('onRequest', (request, reply, done) => {
    // The page is answered on the Node response: Fastify is told to leave that reply alone.
    if (sflow.handle(request.raw, reply.raw)) reply.hijack();
    done();
  });
  return sflow;
}
