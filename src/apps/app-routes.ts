/**
 * The apps' HTTP surface: /app/json lists the apps, /app/{name}/json gives one's status (errors, handlers,
 * fail-safe state), and every other /app/{name}/… request goes to the app's own HTTP handler.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../api/api-errors.js';
import type { Routes } from '../api/server.js';
import { AppError, type AppHost } from './app-host.js';

export function appRoutes(routes: Routes, host: AppHost): void {
  routes.add('/app/json', { GET: async () => host.list() });
  routes.add('/app/:name/json', {
    GET: async (req) => {
      const { name } = req.params as { name: string };
      const status = host.status(name);
      if (status === undefined) throw new ApiError('UNKNOWN_APP', `no app '${name}'`);
      return status;
    },
  });
  const handle = async (req: FastifyRequest) => {
    const { name, '*': rest } = req.params as { name: string; '*': string };
    if (host.status(name) === undefined) throw new ApiError('UNKNOWN_APP', `no app '${name}'`);
    const { handled, result } = await host
      .request(name, {
        method: req.method,
        path: rest.split('/').filter((p) => p !== ''),
        query: req.query as Record<string, string | string[]>,
        body: req.body,
      })
      .catch((e) => {
        throw e instanceof AppError ? new ApiError('APP_ERROR', e.message) : e;
      });
    if (!handled) throw new ApiError('NOT_FOUND', `app '${name}' has no HTTP handler`);
    return result ?? {};
  };
  routes.add('/app/:name/*', { GET: handle, PUT: handle, POST: handle, DELETE: handle });
}
