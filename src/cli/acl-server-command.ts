/**
 * `sflowkit acl-server`: the REST ACL server of the seed "RESTful control of Cumulus Linux ACLs", as a daemon.
 * Wires the settings, the log, the ACL store, the back-end, the commit batcher and the HTTP server; applies
 * the stored ACLs once at start (after a reboot the iptables back-end's chains are empty until then), and
 * stops gracefully on SIGTERM or SIGINT: the pending batch is applied and answered before the process exits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../common/logger.js';
import {
  AclConfigError,
  type AclServerConfig,
  aclConfigForLog,
  aclServerHelp,
  loadAclConfig,
} from '../control/acl-config.js';
import { buildAclServer } from '../control/acl-server.js';
import { AclStore } from '../control/acl-store.js';
import { createBackend } from '../control/backends.js';
import { CommitBatcher } from '../control/commit-batcher.js';

/** How long a stop may take (the pending batch's commit included) before the process exits anyway. */
const STOP_TIMEOUT_MS = 30_000;

export async function aclServerCommand(args: string[]): Promise<number> {
  let config: AclServerConfig;
  try {
    config = loadAclConfig(args);
  } catch (e) {
    if (!(e instanceof AclConfigError)) throw e;
    process.stderr.write(
      `sflowkit acl-server: ${e.message}\n(sflowkit acl-server --help lists the settings)\n`,
    );
    return 2;
  }
  if (config.help) {
    process.stdout.write(aclServerHelp());
    return 0;
  }
  const log = createLogger(config.logLevel);
  const version = packageVersion();
  const store = await AclStore.open(config.dir);
  const backend = createBackend(config.backend, store);
  try {
    await backend.commit();
  } catch (e) {
    log.fatal(
      { backend: backend.name, dir: config.dir, error: (e as Error).message },
      'cannot apply the stored ACLs',
    );
    return 1;
  }
  const batcher = new CommitBatcher({
    store,
    backend,
    windowMs: config.batchMs,
    maxAcls: config.maxAcls,
    log,
  });
  const server = await buildAclServer({
    store,
    batcher,
    backend: backend.name,
    auth: {
      ...(config.token !== undefined ? { token: config.token } : {}),
      ...(config.basicUser !== undefined
        ? { basic: { user: config.basicUser, password: config.basicPassword! } }
        : {}),
      allowAnonymousWrites: config.allowAnonymousWrites,
    },
    bodyLimit: config.bodyLimit,
    version,
    logger: log,
    ...(config.tlsCert !== undefined ? { tls: { cert: config.tlsCert, key: config.tlsKey! } } : {}),
  });
  try {
    await server.app.listen({ port: config.port, host: config.host });
  } catch (e) {
    log.fatal({ error: (e as Error).message }, 'cannot listen');
    await batcher.close();
    return 1;
  }
  const port = (server.app.server.address() as { port: number }).port;
  const scheme = config.tlsCert !== undefined ? 'https' : 'http';
  log.info(
    { port, version, config: aclConfigForLog(config) },
    `sflowkit acl-server: ${scheme} on port ${port}, ${backend.name} back-end, ACLs in ${config.dir}`,
  );

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info({ signal, pending: batcher.stats().pending }, 'stopping: applying the pending changes');
  const timeout = setTimeout(() => {
    log.error({ ms: STOP_TIMEOUT_MS }, 'stopping took too long; exiting');
    process.exit(1);
  }, STOP_TIMEOUT_MS);
  timeout.unref();
  await server.stop();
  clearTimeout(timeout);
  log.info(batcher.stats(), 'stopped');
  return 0;
}

/** The version in the package.json above this file (dist/src/cli/ in the package, or a build elsewhere). */
function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return String(JSON.parse(readFileSync(file, 'utf8')).version ?? 'unknown');
  }
  return 'unknown';
}
