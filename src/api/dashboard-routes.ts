/**
 * The web dashboard's files (web/, built into dist/web/js by `npm run build`): the page at `/`, its scripts and
 * style under /ui/, and uPlot from its package under /ui/vendor/. Read once at start, served from memory; only
 * files that exist then can be asked for, so a path cannot reach outside them.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Routes } from './server.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface File {
  body: Buffer;
  type: string;
  etag: string;
}

function file(path: string): File {
  const body = readFileSync(path);
  const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
  return { body, type: TYPES[extname(path)] ?? 'application/octet-stream', etag };
}

/** The dashboard's files by URL path. Throws when the build has not made them (run `npm run build`). */
export function dashboardFiles(): Map<string, File> {
  const files = new Map<string, File>();
  files.set('/', file(join(ROOT, 'web/index.html')));
  files.set('/ui/style.css', file(join(ROOT, 'web/style.css')));
  const js = join(ROOT, 'dist/web/js');
  for (const entry of readdirSync(js, { recursive: true, encoding: 'utf8' }))
    if (entry.endsWith('.js')) files.set(`/ui/js/${entry.split('\\').join('/')}`, file(join(js, entry)));
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot'));
  files.set('/ui/vendor/uPlot.esm.js', file(join(uplot, 'uPlot.esm.js')));
  files.set('/ui/vendor/uPlot.min.css', file(join(uplot, 'uPlot.min.css')));
  return files;
}

export function dashboardRoutes(routes: Routes, files: ReadonlyMap<string, File>): void {
  for (const [path, f] of files)
    routes.add(path, {
      GET: async (req: FastifyRequest, reply: FastifyReply) => {
        reply.header('etag', f.etag).header('cache-control', 'no-cache');
        if (req.headers['if-none-match'] === f.etag) return reply.code(304).send();
        return reply.type(f.type).send(f.body);
      },
    });
}
