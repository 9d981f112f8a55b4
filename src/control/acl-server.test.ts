/**
 * The ACL server's HTTP API through fastify's injection (dry-run and command back-ends, real files): the
 * seed's routes and statuses, every error code it can produce here, authentication, graceful stop, and
 * HTTPS on a real socket. The iptables back-end is tested for real in test/control/acl-server-netns.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { selfSignedCertificate } from '../../test/support/self-signed.js';
import type { AuthOptions } from './acl-auth.js';
import { type AclServer, buildAclServer } from './acl-server.js';
import { AclStore } from './acl-store.js';
import { type Backend, CommandBackend, DryRunBackend } from './backends.js';
import { CommitBatcher } from './commit-batcher.js';

interface Setup {
  server: AclServer;
  store: AclStore;
  dir: string;
}

async function withServer(
  f: (s: Setup) => Promise<void>,
  o: {
    auth?: AuthOptions;
    backend?: (store: AclStore) => Backend;
    maxAcls?: number;
    tls?: { cert: string; key: string };
  } = {},
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sfk-acl-server-'));
  const store = await AclStore.open(join(dir, 'policy.d'));
  const backend = o.backend?.(store) ?? new DryRunBackend();
  const batcher = new CommitBatcher({ store, backend, windowMs: 5, maxAcls: o.maxAcls ?? 100 });
  const server = await buildAclServer({
    store,
    batcher,
    backend: backend.name,
    auth: o.auth ?? { token: 'sekret', allowAnonymousWrites: false },
    bodyLimit: 4096,
    version: '9.9.9',
    ...(o.tls ? { tls: o.tls } : {}),
  });
  try {
    await f({ server, store, dir });
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const BEARER = { authorization: 'Bearer sekret' };
const DDOS1 = ['[iptables]', '-A FORWARD --in-interface swp+ -d 10.10.100.10 -p udp --sport 53 -j DROP'];

test("the seed's API: PUT 201, GET the lines, GET /acl/ the names, DELETE 204, DELETE /acl/ all", () =>
  withServer(async ({ server: { app }, store }) => {
    const put = await app.inject({ method: 'PUT', url: '/acl/ddos1', headers: BEARER, payload: DDOS1 });
    assert.equal(put.statusCode, 201);
    assert.equal(put.body, '');
    assert.equal(await readFile(store.path('ddos1'), 'utf8'), `${DDOS1.join('\n')}\n`);
    const get = await app.inject({ method: 'GET', url: '/acl/ddos1' });
    assert.equal(get.statusCode, 200);
    assert.deepEqual(get.json(), DDOS1);
    assert.equal(
      (await app.inject({ method: 'PUT', url: '/acl/ddos2', headers: BEARER, payload: DDOS1 })).statusCode,
      201,
    );
    assert.deepEqual((await app.inject({ method: 'GET', url: '/acl/' })).json(), ['ddos1', 'ddos2']);
    assert.equal(
      (await app.inject({ method: 'DELETE', url: '/acl/ddos1', headers: BEARER })).statusCode,
      204,
    );
    assert.equal(
      (await app.inject({ method: 'DELETE', url: '/acl/ddos1', headers: BEARER })).statusCode,
      204,
      'as in the seed',
    );
    assert.deepEqual((await app.inject({ method: 'GET', url: '/acl/' })).json(), ['ddos2']);
    assert.equal((await app.inject({ method: 'DELETE', url: '/acl/', headers: BEARER })).statusCode, 204);
    assert.deepEqual((await app.inject({ method: 'GET', url: '/acl/' })).json(), []);
    const status = (await app.inject({ method: 'GET', url: '/status' })).json();
    assert.equal(status.backend, 'dry-run');
    assert.equal(status.version, '9.9.9');
    assert.equal(status.acls, 0);
    assert.equal(status.commits, 4);
    assert.equal(status.batchesWithoutChange, 1);
  }));

test('errors: each a JSON body with a stable code and a message that names the problem', () =>
  withServer(async ({ server: { app } }) => {
    const cases: [InjectOptions, number, string, RegExp][] = [
      [
        {
          method: 'PUT',
          url: '/acl/ddos1',
          headers: { ...BEARER, 'content-type': 'application/json' },
          payload: '[',
        },
        400,
        'BAD_JSON',
        /not valid JSON/,
      ],
      [
        { method: 'PUT', url: '/acl/ddos1', headers: BEARER, payload: { rules: [] } },
        400,
        'BAD_BODY',
        /array of rule lines/,
      ],
      [
        { method: 'PUT', url: '/acl/DDoS', headers: BEARER, payload: DDOS1 },
        400,
        'BAD_NAME',
        /'DDoS' is not an ACL name/,
      ],
      [{ method: 'GET', url: '/acl/a/b' }, 400, 'BAD_NAME', /'a\/b' is not an ACL name/],
      [
        { method: 'PUT', url: '/acl/x', headers: BEARER, payload: ['[iptables]', '-F'] },
        400,
        'BAD_RULE',
        /^line 2: -F flushes a chain/,
      ],
      [{ method: 'PUT', url: '/acl/x', payload: DDOS1 }, 401, 'UNAUTHORIZED', /needs a bearer token/],
      [{ method: 'GET', url: '/nothing' }, 404, 'NOT_FOUND', /no route GET \/nothing/],
      [{ method: 'GET', url: '/acl/none' }, 404, 'UNKNOWN_ACL', /no ACL named 'none'/],
      [
        { method: 'POST', url: '/acl/x', headers: BEARER, payload: DDOS1 },
        405,
        'METHOD_NOT_ALLOWED',
        /takes PUT, GET, DELETE/,
      ],
      [
        {
          method: 'PUT',
          url: '/acl/x',
          headers: BEARER,
          payload: ['[iptables]', ...Array(300).fill('# padding padding')],
        },
        413,
        'BODY_TOO_LARGE',
        /limit of 4096 bytes/,
      ],
      [
        {
          method: 'PUT',
          url: '/acl/x',
          headers: { ...BEARER, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'a=b',
        },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /Content-Type: application\/json/,
      ],
    ];
    for (const [req, status, code, message] of cases) {
      const r = await app.inject(req);
      assert.equal(r.statusCode, status, `${req.method} ${req.url}: ${r.body}`);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(r.json().error, code);
      assert.match(r.json().message, message);
    }
    const bad = await app.inject({
      method: 'PUT',
      url: '/acl/x',
      headers: BEARER,
      payload: ['[iptables]', '-A INPUT -s `id` -j DROP', '*filter'],
    });
    assert.deepEqual(
      bad.json().problems.map((p: { line: number }) => p.line),
      [2, 3],
    );
    assert.deepEqual(
      (await app.inject({ method: 'GET', url: '/acl/' })).json(),
      [],
      'nothing refused was written',
    );
  }));

test('a refused commit: 502 COMMIT_FAILED with the back-end message, and the files as they were', () =>
  withServer(
    async ({ server: { app }, store }) => {
      assert.equal(
        (await app.inject({ method: 'PUT', url: '/acl/good', headers: BEARER, payload: DDOS1 })).statusCode,
        201,
      );
      const r = await app.inject({
        method: 'PUT',
        url: '/acl/bad',
        headers: BEARER,
        payload: ['[iptables]', '-A FORWARD -j SETQOS --set-dscp 10'],
      });
      assert.equal(r.statusCode, 502);
      assert.equal(r.json().error, 'COMMIT_FAILED');
      assert.match(
        r.json().message,
        /^cl-acltool refused the change, which was rolled back: sh \(exit 1\): .*SETQOS: no such target/,
      );
      assert.deepEqual(await store.list(), ['good']);
      assert.equal((await app.inject({ method: 'GET', url: '/status' })).json().failedCommits, 1);
    },
    {
      // Stands in for cl-acltool: refuses a target it does not know, as the real one does on a non-Cumulus host.
      backend: (store) =>
        new CommandBackend('cl-acltool', [
          'sh',
          '-c',
          'if grep -q SETQOS "$1"/*.rules 2>/dev/null; then echo "SETQOS: no such target" >&2; exit 1; fi',
          'sh',
          store.dir,
        ]),
    },
  ));

test('TOO_MANY_ACLS: a new ACL past the limit is refused; replacing one is not', () =>
  withServer(
    async ({ server: { app } }) => {
      assert.equal(
        (await app.inject({ method: 'PUT', url: '/acl/a', headers: BEARER, payload: DDOS1 })).statusCode,
        201,
      );
      const r = await app.inject({ method: 'PUT', url: '/acl/b', headers: BEARER, payload: DDOS1 });
      assert.equal(r.statusCode, 409);
      assert.equal(r.json().error, 'TOO_MANY_ACLS');
      assert.equal(
        (await app.inject({ method: 'PUT', url: '/acl/a', headers: BEARER, payload: [] })).statusCode,
        201,
      );
    },
    { maxAcls: 1 },
  ));

test('auth: reads are open; writes need the token or the basic credentials; wrong ones are refused everywhere', () =>
  withServer(
    async ({ server: { app } }) => {
      const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(s).toString('base64')}` });
      const put = (headers: Record<string, string>) =>
        app.inject({ method: 'PUT', url: '/acl/a', headers, payload: DDOS1 });
      const none = await put({});
      assert.equal(none.statusCode, 401);
      assert.deepEqual(none.headers['www-authenticate'], [
        'Basic realm="sflowkit acl-server", charset="UTF-8"',
        'Bearer realm="sflowkit acl-server"',
      ]);
      assert.match(none.json().message, /needs a bearer token or HTTP basic credentials/);
      assert.equal((await put({ authorization: 'Bearer wrong' })).statusCode, 401);
      assert.equal((await put({ authorization: 'Bearer sekret2' })).statusCode, 401);
      assert.equal((await put(basic('ops:wrong'))).statusCode, 401);
      assert.equal((await put(basic('other:pa:ss'))).statusCode, 401);
      assert.match(
        (await put({ authorization: 'Digest x' })).json().message,
        /scheme 'digest' is not accepted/,
      );
      assert.equal((await put(BEARER)).statusCode, 201);
      assert.equal((await put(basic('ops:pa:ss'))).statusCode, 201, 'a password may hold a colon');
      assert.equal((await app.inject({ method: 'GET', url: '/acl/a' })).statusCode, 200);
      assert.equal(
        (await app.inject({ method: 'GET', url: '/acl/a', headers: { authorization: 'Bearer wrong' } }))
          .statusCode,
        401,
      );
    },
    { auth: { token: 'sekret', basic: { user: 'ops', password: 'pa:ss' }, allowAnonymousWrites: false } },
  ));

test('--allow-anonymous-writes: writes without credentials pass', () =>
  withServer(
    async ({ server: { app } }) => {
      assert.equal((await app.inject({ method: 'PUT', url: '/acl/a', payload: DDOS1 })).statusCode, 201);
    },
    { auth: { allowAnonymousWrites: true } },
  ));

test('stop: a change already taken is applied and answered; later writes get 503 SHUTTING_DOWN', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sfk-acl-stop-'));
  try {
    const store = await AclStore.open(dir);
    const batcher = new CommitBatcher({ store, backend: new DryRunBackend(), windowMs: 10_000, maxAcls: 10 });
    const auth = { allowAnonymousWrites: true };
    const server = await buildAclServer({
      store,
      batcher,
      backend: 'dry-run',
      auth,
      bodyLimit: 4096,
      version: '0',
    });
    const pending = server.app.inject({ method: 'PUT', url: '/acl/late', payload: DDOS1 });
    await new Promise((r) => setTimeout(r, 50));
    const stopped = server.stop();
    const refused = await server.app.inject({ method: 'DELETE', url: '/acl/late' });
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.json().error, 'SHUTTING_DOWN');
    assert.equal((await pending).statusCode, 201, 'answered without waiting out the 10 s window');
    await stopped;
    assert.deepEqual(await store.list(), ['late']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('HTTPS with --tls-cert and --tls-key', {
  skip: !hasOpenssl() && 'openssl is not installed',
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sfk-acl-tls-'));
  const made = selfSignedCertificate(dir, '127.0.0.1');
  assert.ok(made, 'openssl made a certificate');
  const { cert, key } = made;
  try {
    await withServer(
      async ({ server: { app } }) => {
        await app.listen({ port: 0, host: '127.0.0.1' });
        const port = (app.server.address() as { port: number }).port;
        const ca = await readFile(cert);
        const body = await new Promise<string>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, path: '/acl/', ca }, (res) => {
            let text = '';
            res.on('data', (c) => {
              text += c;
            });
            res.on('end', () => resolve(text));
          });
          req.on('error', reject);
          req.end();
        });
        assert.equal(body, '[]');
      },
      { tls: { cert, key } },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version']).status === 0;
}
