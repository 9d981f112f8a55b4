/** acl-server's settings: defaults, the config file, flags over the file, secrets from files, cross-checks. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { aclConfigForLog, aclServerHelp, aclSettingsMarkdown, loadAclConfig } from './acl-config.js';

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sfk-acl-config-'));
  try {
    await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("defaults follow the seed: port 8080, cl-acltool, Cumulus' policy directory; a 20 ms batch window", () => {
  const c = loadAclConfig(['--token', 't']);
  assert.equal(c.port, 8080);
  assert.equal(c.backend, 'cl-acltool');
  assert.equal(c.dir, '/etc/cumulus/acl/policy.d');
  assert.equal(c.batchMs, 20);
  assert.equal(c.token, 't');
  assert.equal(c.allowAnonymousWrites, false);
});

test('the config file, then the flags over it; secrets from files, and never logged', () =>
  withDir(async (dir) => {
    const file = join(dir, 'acl.json');
    await writeFile(join(dir, 'token'), 'from-file\n');
    await writeFile(
      file,
      JSON.stringify({
        port: 9000,
        backend: 'iptables',
        dir: '/x',
        tokenFile: join(dir, 'token'),
        batchMs: 0,
      }),
    );
    const c = loadAclConfig(['--config', file, '--port=9001', '--allow-anonymous-writes']);
    assert.deepEqual(
      [c.port, c.backend, c.dir, c.token, c.batchMs, c.allowAnonymousWrites],
      [9001, 'iptables', '/x', 'from-file', 0, true],
    );
    const logged = aclConfigForLog({ ...c, basicPassword: 'pw' });
    assert.equal(logged.token, '(set)');
    assert.equal(logged.basicPassword, '(set)');
  }));

test('refusals name the setting and where it came from', () =>
  withDir(async (dir) => {
    const file = join(dir, 'acl.json');
    await writeFile(file, JSON.stringify({ prot: 1 }));
    const cases: [string[], RegExp][] = [
      [['--config', file], /config file .*: unknown setting 'prot'/],
      [['--port', '80a', '--token', 't'], /port from --port: must be an integer from 0 to 65535, got "80a"/],
      [
        ['--backend', 'nft', '--token', 't'],
        /backend from --backend: must be one of cl-acltool, iptables, dry-run/,
      ],
      [['--frob'], /unknown option --frob/],
      [['--token'], /--token needs a value/],
      [[], /no credentials: give --token .* or --allow-anonymous-writes/],
      [['--token', 't', '--tls-cert', 'c.pem'], /--tls-cert and --tls-key go together/],
      [['--basic-user', 'ops'], /--basic-user needs --basic-password/],
      [['--basic-user', 'a:b', '--basic-password', 'p'], /cannot contain ":"/],
      [['--token', 't', '--token-file', join(dir, 'none')], /give token or tokenFile, not both/],
      [['--token-file', join(dir, 'none')], /cannot read tokenFile/],
    ];
    for (const [argv, re] of cases) assert.throws(() => loadAclConfig(argv), re, argv.join(' '));
  }));

test('--help and the docs table list every flag', () => {
  assert.equal(loadAclConfig(['--help']).help, true, '--help needs no credentials');
  const help = aclServerHelp();
  const md = aclSettingsMarkdown();
  for (const flag of [
    '--port',
    '--backend',
    '--token-file',
    '--basic-password-file',
    '--tls-key',
    '--batch-ms',
    '--allow-anonymous-writes',
  ])
    assert.ok(help.includes(flag) && md.includes(flag), flag);
});
