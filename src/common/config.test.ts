/**
 * The serve configuration: defaults, the order of the sources, every setting through every source it allows,
 * errors that name the setting and the source, the help and the docs derived from the table.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ConfigError,
  configForLog,
  configurationMarkdown,
  loadConfig,
  SETTINGS,
  type Setting,
  serveHelp,
} from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'sflowkit-config-'));
let files = 0;
function configFile(content: unknown): string {
  const path = join(dir, `config-${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Runs loadConfig expecting a ConfigError; returns it. */
function failure(argv: string[], env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    loadConfig(argv, env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e;
  }
  assert.fail(`loadConfig(${JSON.stringify(argv)}, ${JSON.stringify(env)}) did not throw`);
}

test('the defaults the brief asks for', () => {
  assert.deepEqual(loadConfig([], {}), {
    config: undefined,
    sflowPort: 6343,
    sflowListen: 'dual',
    httpPort: 8008,
    httpHost: '::',
    logLevel: 'info',
    demo: false,
    agent: false,
    dashboard: true,
    apiToken: undefined,
    stateFile: undefined,
    allow: [],
    agentLostIntervals: 3,
    agentLostMinSeconds: 60,
    maxFlows: 10000,
    queueSize: 65536,
    apps: [],
    appConfig: undefined,
    help: false,
  });
});

test('a list default is not shared between loads', () => {
  loadConfig([], {}).allow.push('10.0.0.0/8');
  assert.deepEqual(loadConfig([], {}).allow, []);
});

test('environment variable names: SFLOWKIT_ and the setting name in upper snake case', () => {
  const env = Object.fromEntries(SETTINGS.map((s) => [s.name, s.env]));
  assert.equal(env.sflowPort, 'SFLOWKIT_SFLOW_PORT');
  assert.equal(env.httpPort, 'SFLOWKIT_HTTP_PORT');
  assert.equal(env.agentLostMinSeconds, 'SFLOWKIT_AGENT_LOST_MIN_SECONDS');
  assert.equal(env.config, 'SFLOWKIT_CONFIG');
  assert.equal(env.help, undefined);
});

test('each source overrides the one before: default, file, environment, flag', () => {
  const file = configFile({ sflowPort: 1001, httpPort: 1002, maxFlows: 1003 });
  const env = { SFLOWKIT_CONFIG: file, SFLOWKIT_HTTP_PORT: '2002', SFLOWKIT_MAX_FLOWS: '2003' };
  const c = loadConfig(['--max-flows', '3003'], env);
  assert.equal(c.queueSize, 65536);
  assert.equal(c.sflowPort, 1001);
  assert.equal(c.httpPort, 2002);
  assert.equal(c.maxFlows, 3003);
  assert.equal(c.config, file);
});

test('--config takes precedence over SFLOWKIT_CONFIG', () => {
  const a = configFile({ sflowPort: 1 });
  const b = configFile({ sflowPort: 2 });
  assert.equal(loadConfig(['--config', b], { SFLOWKIT_CONFIG: a }).sflowPort, 2);
  assert.equal(loadConfig([`--config=${b}`], {}).config, b);
});

/** A value other than the default that each kind of setting takes, as text and as JSON. */
function sample(s: Setting): { text: string; json: unknown } {
  switch (s.kind) {
    case 'integer':
      return { text: String(s.max), json: s.max };
    case 'boolean':
      return { text: String(!s.default), json: !s.default };
    case 'choice':
      return { text: s.values!.at(-1)!, json: s.values!.at(-1) };
    case 'list': {
      const items = s.check ? ['10.0.0.0/8', 'fd00::/8'] : ['a.js', 'b.js'];
      return { text: items.join(','), json: items };
    }
    case 'string':
      return { text: 'x y', json: 'x y' };
  }
}

test('every setting arrives through every source it allows', () => {
  for (const s of SETTINGS) {
    if (s.name === 'config' || s.name === 'help') continue; // these change what is read; tested apart
    const { text, json } = sample(s);
    assert.notDeepEqual(json, s.default, s.name);
    const value = (c: object) => (c as Record<string, unknown>)[s.name];
    assert.deepEqual(
      value(loadConfig(['--config', configFile({ [s.name]: json })], {})),
      json,
      `${s.name} file`,
    );
    assert.deepEqual(value(loadConfig([], { [s.env!]: text })), json, `${s.name} env`);
    // A boolean flag alone means true: one that is on by default (--dashboard) is turned off only with =.
    if (s.kind !== 'boolean' || json === true)
      assert.deepEqual(
        value(loadConfig([s.flag, text].slice(0, s.kind === 'boolean' ? 1 : 2), {})),
        json,
        s.flag,
      );
    assert.deepEqual(value(loadConfig([`${s.flag}=${text}`], {})), json, `${s.flag}=`);
  }
});

test('lists: comma lists, a repeated flag adds up, a later source replaces the list whole', () => {
  const file = configFile({ allow: ['192.0.2.0/24'] });
  const env = { SFLOWKIT_CONFIG: file, SFLOWKIT_ALLOW: '10.0.0.0/8, 172.16.0.0/12' };
  assert.deepEqual(loadConfig([], env).allow, ['10.0.0.0/8', '172.16.0.0/12']);
  assert.deepEqual(loadConfig(['--allow', 'fd00::/8', '--allow=10.1.0.0/16,10.2.0.0/16'], env).allow, [
    'fd00::/8',
    '10.1.0.0/16',
    '10.2.0.0/16',
  ]);
  assert.deepEqual(loadConfig(['--app', 'a.js', '--app', 'b.js'], {}).apps, ['a.js', 'b.js']);
});

test('booleans: a flag alone is true; text forms in the environment and after =', () => {
  assert.equal(loadConfig(['--demo'], {}).demo, true);
  assert.equal(loadConfig(['--demo=false'], { SFLOWKIT_DEMO: '1' }).demo, false);
  for (const t of ['1', 'true', 'YES', 'on'])
    assert.equal(loadConfig([], { SFLOWKIT_DEMO: t }).demo, true, t);
  for (const t of ['0', 'false', 'No', 'off'])
    assert.equal(loadConfig([], { SFLOWKIT_DEMO: t }).demo, false, t);
});

test('an empty environment variable counts as unset', () => {
  assert.equal(loadConfig([], { SFLOWKIT_HTTP_PORT: '' }).httpPort, 8008);
});

test('any other flag given twice takes the last value', () => {
  assert.equal(loadConfig(['--http-port', '1', '--http-port', '2'], {}).httpPort, 2);
});

test('a bad value names the setting and where it came from', () => {
  let e = failure(['--sflow-port', '70000']);
  assert.equal(e.code, 'BAD_VALUE');
  assert.equal(e.setting, 'sflowPort');
  assert.match(e.message, /^sflowPort from --sflow-port: must be an integer from 0 to 65535, got '70000'$/);

  e = failure([], { SFLOWKIT_HTTP_PORT: '80a' });
  assert.match(e.message, /^httpPort from environment variable SFLOWKIT_HTTP_PORT: .*got '80a'$/);

  const file = configFile({ maxFlows: '10' });
  e = failure(['--config', file]);
  assert.equal(e.setting, 'maxFlows');
  assert.ok(e.message.startsWith(`maxFlows in config file ${file}: must be an integer`), e.message);
  assert.match(e.message, /got "10"$/);

  assert.match(
    failure(['--listen', 'v5']).message,
    /^sflowListen from --listen: must be one of dual, v4, v6, both/,
  );
  assert.match(failure(['--log-level', 'verbose']).message, /^logLevel .*must be one of fatal, error/);
  assert.match(
    failure([], { SFLOWKIT_DEMO: 'maybe' }).message,
    /^demo from environment variable SFLOWKIT_DEMO/,
  );
  assert.match(
    failure(['--allow', '10.0.0.0/8,10.0.0.0/33']).message,
    /^allow from --allow: .*bad prefix length/,
  );
  assert.match(failure(['--allow', 'example.com']).message, /not an address block/);
  assert.match(failure(['--config', configFile({ apps: 'a.js' })]).message, /^apps in config file .*array/);
  assert.match(failure(['--config', configFile({ demo: 'true' })]).message, /^demo in config file/);
  assert.match(failure(['--config', configFile({ httpHost: '' })]).message, /non-empty/);
});

test('ranges: each bound is taken, one past it is refused', () => {
  for (const s of SETTINGS.filter((x) => x.kind === 'integer')) {
    const at = (n: number) =>
      (loadConfig([s.flag, String(n)], {}) as unknown as Record<string, number>)[s.name];
    assert.equal(at(s.min!), s.min);
    assert.equal(at(s.max!), s.max);
    assert.equal(failure([s.flag, String(s.max! + 1)]).setting, s.name);
    if (s.min! > 0) assert.equal(failure([s.flag, String(s.min! - 1)]).setting, s.name);
    for (const bad of ['-1', '1.5', '1e3', ' 1', '0x10', ''])
      assert.equal(failure([`${s.flag}=${bad}`]).code, 'BAD_VALUE');
  }
});

test('an unknown key in the config file is an error naming the key and the file', () => {
  const file = configFile({ sflowPort: 6343, sflow_port: 6343 });
  const e = failure(['--config', file]);
  assert.equal(e.code, 'UNKNOWN_KEY');
  assert.match(e.message, /'sflow_port'/);
  assert.ok(e.message.includes(file));
  // Settings that choose what is read are not file keys.
  assert.equal(failure(['--config', configFile({ config: 'other.json' })]).code, 'UNKNOWN_KEY');
  assert.equal(failure(['--config', configFile({ help: true })]).code, 'UNKNOWN_KEY');
});

test('a config file that cannot be read, is not JSON, or is not an object', () => {
  for (const content of ['{"sflowPort": 1,}', '[1]', 'null']) {
    const file = configFile(content);
    const e = failure(['--config', file]);
    assert.equal(e.code, 'BAD_FILE');
    assert.ok(e.message.includes(file));
  }
  assert.match(
    failure([], { SFLOWKIT_CONFIG: join(dir, 'absent.json') }).message,
    /cannot read.*absent\.json/,
  );
});

test('command-line errors', () => {
  assert.equal(failure(['--sflow-prot', '1']).code, 'UNKNOWN_OPTION');
  assert.match(failure(['--sflow-prot', '1']).message, /unknown option --sflow-prot/);
  assert.match(failure(['6343']).message, /unexpected argument '6343'/);
  assert.equal(failure(['--http-port']).code, 'MISSING_VALUE');
  // A flag is not taken as the value of the one before it.
  assert.equal(failure(['--http-host', '--demo']).code, 'MISSING_VALUE');
});

test('--help (or -h) is answered before anything else is read or checked', () => {
  const env = { SFLOWKIT_HTTP_PORT: 'bad', SFLOWKIT_CONFIG: join(dir, 'absent.json') };
  assert.equal(loadConfig(['--sflow-port', '1', '--help'], env).help, true);
  assert.equal(loadConfig(['-h'], env).help, true);
});

test('the help lists every flag, its environment variable and its default', () => {
  const help = serveHelp();
  for (const s of SETTINGS) {
    assert.ok(help.includes(`  ${s.flag}`), s.flag);
    if (s.env) assert.ok(help.includes(s.env), s.env);
  }
  const flat = help.replace(/\n +/g, ' ');
  for (const s of SETTINGS) assert.ok(flat.includes(s.help), s.name);
  assert.match(
    help,
    /\n {2}--sflow-port PORT\n {6}UDP port to receive sFlow on \(default 6343; env SFLOWKIT_SFLOW_PORT\)\n/,
  );
  for (const line of help.split('\n')) assert.ok(line.length <= 110, line);
});

test('configForLog masks the API token and nothing else', () => {
  const c = loadConfig(['--api-token', 's3cret', '--http-port', '1'], {});
  assert.equal(c.apiToken, 's3cret');
  const logged = configForLog(c);
  assert.equal(logged.apiToken, '(set)');
  assert.equal(logged.httpPort, 1);
  assert.ok(!JSON.stringify(logged).includes('s3cret'));
  assert.equal(configForLog(loadConfig([], {})).apiToken, undefined);
});

test('docs/configuration.md is the table (regenerate with npm run docs)', () => {
  assert.equal(readFileSync('docs/configuration.md', 'utf8'), configurationMarkdown());
});

test('the example config file in the docs loads, and gives the defaults', () => {
  const md = configurationMarkdown();
  const json = md.slice(md.indexOf('```json\n') + 8, md.lastIndexOf('```'));
  const c = loadConfig(['--config', configFile(json)], {});
  assert.deepEqual({ ...c, config: undefined }, loadConfig([], {}));
});
