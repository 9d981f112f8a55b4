/**
 * The ACL server for real: `sflowkit acl-server --backend iptables` inside a network namespace this test
 * creates, a client outside it over a veth pair, and `iptables-save` in the namespace as the judge of what is
 * applied. Covers the seed's API end to end, refusals that leave the kernel untouched (a bad rule; a rule
 * iptables itself rejects, whose files are rolled back), batching of 50 concurrent PUTs, kept-alive
 * connections, authentication, a graceful stop with a change pending, and re-applying at start.
 * Skipped, saying why, without root or without ip/iptables-restore. The namespace is always deleted.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  has,
  KeepAliveClient,
  Netns,
  netnsSkipReason,
  type RunningAclServer,
  startAclServer,
} from './netns.js';

const TOKEN = 'netns-test-token';
const DDOS1 = ['[iptables]', '-A FORWARD --in-interface swp+ -d 10.10.100.10 -p udp --sport 53 -j DROP'];
const MARK = [
  '[iptables]',
  '# mark Elephant',
  '-t mangle -A FORWARD --in-interface swp+ -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 40000 --dport 5001 -j DSCP --set-dscp 10',
];

test('acl-server with the iptables back-end in a network namespace', {
  skip: netnsSkipReason(),
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sfk-acl-netns-'));
  const ns = Netns.create('acl');
  let server: RunningAclServer | undefined;
  const clients: KeepAliveClient[] = [];
  const client = (sockets = 1, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
    const c = new KeepAliveClient(server!.url, sockets, headers);
    clients.push(c);
    return c;
  };
  const args = [
    '--backend',
    'iptables',
    '--dir',
    dir,
    '--token',
    TOKEN,
    '--basic-user',
    'ops',
    '--basic-password',
    'pw',
    '--batch-ms',
    '20',
  ];
  try {
    // A rule that is not sflowkit's: it must survive every commit, rollback and DELETE /acl/.
    ns.exec(['iptables', '-A', 'FORWARD', '-s', '192.0.2.1', '-j', 'ACCEPT']);
    server = await startAclServer(ns, args);
    const api = client();
    const commits = async () => JSON.parse((await api.call('GET', '/status')).body).commits as number;

    await t.test("PUT applies the seed's rules into sflowkit's chains; GET gives them back", async () => {
      assert.equal((await api.call('PUT', '/acl/ddos1', DDOS1)).status, 201);
      assert.equal((await api.call('PUT', '/acl/mark0', MARK)).status, 201);
      const filter = ns.save();
      assert.match(filter, /^-A FORWARD -j sflowkit-FORWARD$/m);
      assert.match(
        filter,
        /^-A FORWARD -s 192\.0\.2\.1\/32 -j ACCEPT$/m,
        'the rule that is not ours is still there',
      );
      assert.match(
        filter,
        /^-A sflowkit-FORWARD -d 10\.10\.100\.10\/32 -i swp\+ -p udp -m udp --sport 53 -j DROP$/m,
      );
      assert.match(
        filter,
        /^\*mangle$[\s\S]*^-A sflowkit-FORWARD -s 10\.0\.0\.1\/32 -d 10\.0\.0\.2\/32 -i swp\+ -p tcp -m tcp --sport 40000 --dport 5001 -j DSCP --set-dscp 0x0a$/m,
      );
      const got = await api.call('GET', '/acl/ddos1');
      assert.deepEqual(JSON.parse(got.body), DDOS1);
      assert.deepEqual(JSON.parse((await api.call('GET', '/acl/')).body), ['ddos1', 'mark0']);
    });

    await t.test('[ip6tables] and [ebtables] sections go to their own restore tools', async (t) => {
      const v6 = ['[ip6tables]', '-A INPUT -s 2001:db8::1 -p tcp --dport 22 -j DROP'];
      assert.equal((await api.call('PUT', '/acl/v6', v6)).status, 201);
      assert.match(
        ns.save('ip6tables-save'),
        /^-A sflowkit-INPUT -s 2001:db8::1\/128 -p tcp -m tcp --dport 22 -j DROP$/m,
      );
      if (!has('ebtables-restore')) return t.skip('ebtables-restore is not installed');
      const eb = ['[ebtables]', '-A FORWARD -s 00:11:22:33:44:55 -j DROP'];
      assert.equal((await api.call('PUT', '/acl/eb', eb)).status, 201);
      const saved = ns.save('ebtables-save');
      assert.match(saved, /^-A FORWARD -j sflowkit-FORWARD$/m);
      assert.match(saved, /^-A sflowkit-FORWARD -s 0?0:11:22:33:44:55 -j DROP$/m);
      for (const name of ['v6', 'eb']) assert.equal((await api.call('DELETE', `/acl/${name}`)).status, 204);
      assert.doesNotMatch(ns.save('ebtables-save'), /^-A sflowkit-FORWARD/m);
    });

    await t.test('a bad rule is refused with 400 BAD_RULE, and nothing applied changes', async () => {
      const before = ns.save();
      const r = await api.call('PUT', '/acl/bad', ['[iptables]', '-A FORWARD -j DROP', '-F FORWARD']);
      assert.equal(r.status, 400);
      const body = JSON.parse(r.body);
      assert.equal(body.error, 'BAD_RULE');
      assert.match(body.message, /^line 3: -F flushes a chain/);
      assert.equal(ns.save(), before);
      assert.equal((await api.call('GET', '/acl/bad')).status, 404);
    });

    await t.test(
      "a rule iptables rejects: 502 COMMIT_FAILED with iptables' message, files rolled back, rules as before",
      async () => {
        const before = ns.save();
        const n = await commits();
        // SETQOS is Cumulus Linux's target: allowed, but plain Linux iptables cannot load it.
        const r = await api.call('PUT', '/acl/qos', [
          '[iptables]',
          '-t mangle -A FORWARD -p tcp -j SETQOS --set-dscp 10 --set-cos 5',
        ]);
        assert.equal(r.status, 502);
        const body = JSON.parse(r.body);
        assert.equal(body.error, 'COMMIT_FAILED');
        assert.match(
          body.message,
          /^iptables refused the change, which was rolled back: iptables-restore \(exit 2\): .*--set-dscp/,
        );
        assert.equal((await api.call('GET', '/acl/qos')).status, 404, 'the file is gone again');
        assert.equal(ns.save(), before);
        // The kernel's refusal, pointed back at the ACL line: DSCP is a mangle target, not a filter one.
        const k = JSON.parse(
          (
            await api.call('PUT', '/acl/dscp', [
              '[iptables]',
              '# wrong table',
              '-A FORWARD -j DSCP --set-dscp 1',
            ])
          ).body,
        );
        assert.equal(k.error, 'COMMIT_FAILED');
        assert.match(k.message, /RULE_APPEND failed \(Invalid argument\).*\[ACL dscp, line 3\]$/);
        assert.equal(ns.save(), before);
        assert.equal(await commits(), n, 'refused commits are not counted as commits');
        assert.equal(JSON.parse((await api.call('GET', '/status')).body).failedCommits, 2);
      },
    );

    await t.test('DELETE removes the rules of one ACL', async () => {
      assert.equal((await api.call('DELETE', '/acl/ddos1')).status, 204);
      assert.doesNotMatch(ns.save(), /10\.10\.100\.10/);
      assert.match(ns.save(), /--set-dscp 0x0a/);
    });

    await t.test('50 concurrent PUTs: far fewer commits, all applied', async () => {
      const n = await commits();
      const many = client(50);
      const names = Array.from({ length: 50 }, (_, i) => `burst${i}`);
      const results = await Promise.all(
        names.map((name, i) =>
          many.call('PUT', `/acl/${name}`, ['[iptables]', `-A FORWARD -s 10.1.0.${i} -j DROP`]),
        ),
      );
      assert.deepEqual(new Set(results.map((r) => r.status)), new Set([201]));
      const used = (await commits()) - n;
      assert.ok(used >= 1 && used <= 10, `${used} commits for 50 PUTs`);
      const applied = ns.save().match(/^-A sflowkit-FORWARD -s 10\.1\.0\.\d+\/32 -j DROP$/gm) ?? [];
      assert.equal(applied.length, 50);
      t.diagnostic(`50 concurrent PUTs → ${used} commits`);
    });

    await t.test('DELETE /acl/ removes every ACL and leaves other rules alone', async () => {
      assert.equal((await api.call('DELETE', '/acl/')).status, 204);
      const saved = ns.save();
      assert.doesNotMatch(saved, /^-A sflowkit-/m);
      assert.match(saved, /^-A FORWARD -s 192\.0\.2\.1\/32 -j ACCEPT$/m);
      assert.deepEqual(JSON.parse((await api.call('GET', '/acl/')).body), []);
    });

    await t.test('requests share one kept-alive connection', async () => {
      const one = client(1);
      const results = [];
      for (let i = 0; i < 5; i++)
        results.push(await one.call('PUT', '/acl/ka', ['[iptables]', `-A INPUT -s 10.2.0.${i} -j DROP`]));
      assert.deepEqual(
        results.map((r) => r.status),
        [201, 201, 201, 201, 201],
      );
      assert.deepEqual(
        results.map((r) => r.reused),
        [false, true, true, true, true],
      );
      assert.equal(results[4].headers.connection, 'keep-alive');
    });

    await t.test('auth: no credentials 401, wrong token 401, basic credentials work', async () => {
      const anon = client(1, {});
      const none = await anon.call('PUT', '/acl/auth', DDOS1);
      assert.equal(none.status, 401);
      assert.equal(JSON.parse(none.body).error, 'UNAUTHORIZED');
      assert.equal(
        (await anon.call('PUT', '/acl/auth', DDOS1, { authorization: 'Bearer nope' })).status,
        401,
      );
      const basic = `Basic ${Buffer.from('ops:pw').toString('base64')}`;
      assert.equal((await anon.call('PUT', '/acl/auth', DDOS1, { authorization: basic })).status, 201);
      assert.equal((await anon.call('GET', '/acl/auth')).status, 200, 'reads need no credentials');
    });

    await t.test('SIGTERM: the pending change is applied and answered, then a clean exit', async () => {
      const slow = await startAclServer(ns, [...args, '--batch-ms', '2000'], 8081);
      try {
        const c = new KeepAliveClient(`http://${ns.address}:8081`, 1, { authorization: `Bearer ${TOKEN}` });
        clients.push(c);
        const pending = c.call('PUT', '/acl/late', ['[iptables]', '-A OUTPUT -d 10.3.0.1 -j DROP']);
        await new Promise((r) => setTimeout(r, 200));
        const code = slow.stop();
        const r = await pending;
        assert.equal(r.status, 201);
        assert.equal(await code, 0, JSON.stringify(slow.logs));
        assert.match(ns.save(), /^-A sflowkit-OUTPUT -d 10\.3\.0\.1\/32 -j DROP$/m);
        assert.ok(slow.logs.some((l) => l.msg === 'stopped'));
      } finally {
        slow.child.kill('SIGKILL');
      }
    });

    await t.test('at start the stored ACLs are applied again (as after a reboot)', async () => {
      assert.equal(await server!.stop(), 0);
      ns.exec(['iptables', '-F', 'sflowkit-INPUT']);
      ns.exec(['iptables', '-D', 'INPUT', '-j', 'sflowkit-INPUT']);
      assert.doesNotMatch(ns.save(), /10\.2\.0\.4/);
      server = await startAclServer(ns, args);
      assert.match(ns.save(), /^-A INPUT -j sflowkit-INPUT$/m);
      assert.match(ns.save(), /^-A sflowkit-INPUT -s 10\.2\.0\.4\/32 -j DROP$/m);
    });
  } finally {
    for (const c of clients) c.close();
    await server?.stop().catch(() => {});
    server?.child.kill('SIGKILL');
    ns.destroy();
    await rm(dir, { recursive: true, force: true });
  }
});
