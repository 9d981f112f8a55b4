/**
 * DNS-SD against a real DNS server: Debian's dnsmasq (package dnsmasq-base) on loopback, serving the SRV, TXT,
 * A and AAAA records. The test installs nothing; without dnsmasq it fails saying what to install.
 * Then the parts that need no server: TTL bounds, search domains, server addresses, hostile messages.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  applyDnsSd,
  DNSSD_MAX_REQUERY_SECONDS,
  DNSSD_MIN_REQUERY_SECONDS,
  DNSSD_RETRY_SECONDS,
  type DnsSdResult,
  discover,
  requeryAfter,
  searchDomains,
} from './dns-sd.js';
import { parseServer } from './dns-sd-query.js';
import { decodeResponse, encodeQuery, TYPE } from './dns-sd-wire.js';
import { dnsmasq, withDnsmasq } from './dnsmasq.test-util.js';
import { parseHsflowdConf } from './hsflowd-conf.js';

const TEST_RECORDS = [
  '--srv-host=_sflow._udp.test.example,collector.test.example,6343',
  '--srv-host=_sflow._udp.test.example,collector6.test.example,6344,1',
  '--host-record=collector.test.example,127.0.0.9',
  '--host-record=collector6.test.example,fd00::9',
  '--txt-record=_sflow._udp.test.example,txtvers=1,sampling=400,polling=15,sampling.10G=2000,sampling.http=50',
];

const fast = (server: string) => ({ servers: [server], timeoutMs: 1000, tries: 1 });

test('SRV records give the collectors (IPv4 and IPv6 targets), TXT the settings, the TTL when to ask again', async () => {
  await withDnsmasq(['--local-ttl=120', ...TEST_RECORDS], async (server) => {
    const found = await discover('test.example', fast(server));
    assert.deepEqual(found, {
      status: 'ok',
      name: '_sflow._udp.test.example',
      collectors: [
        { address: '127.0.0.9', port: 6343 },
        { address: 'fd00::9', port: 6344 },
      ],
      settings: {
        txtvers: '1',
        sampling: '400',
        polling: '15',
        'sampling.10G': '2000',
        'sampling.http': '50',
      },
      ttlSeconds: 120,
      warnings: [],
    } satisfies DnsSdResult);
    // hsflowd.conf writes the domain with a leading dot
    assert.deepEqual(await discover('.test.example', fast(server)), found);
  });
});

test('DNS-SD settings override the file; its collectors replace the file', async () => {
  const file = parseHsflowdConf(
    'sflow {\n dns-sd { domain = .test.example }\n polling = 30\n sampling = 1000\n headerBytes = 64\n collector { ip = 192.0.2.1 }\n}',
  ).config;
  await withDnsmasq(TEST_RECORDS, async (server) => {
    const merged = applyDnsSd(file, await discover(file.dnsSd.domain, fast(server)));
    assert.deepEqual(merged, {
      ...file,
      polling: 15,
      sampling: 400,
      samplingBySpeed: { '10G': 2000 },
      apps: { http: { sampling: 50 } },
      collectors: [
        { address: '127.0.0.9', port: 6343 },
        { address: 'fd00::9', port: 6344 },
      ],
    });
    assert.equal(merged.headerBytes, 64, 'what the TXT record leaves out stays as the file has it');
    assert.equal(file.polling, 30, 'the file config is not changed');
  });
});

test('an SRV target may be an address', async () => {
  await withDnsmasq(['--srv-host=_sflow._udp.lit.example,10.0.0.8,6343'], async (server) => {
    const found = await discover('lit.example', fast(server));
    assert.equal(found.status, 'ok');
    assert.deepEqual(found.collectors, [{ address: '10.0.0.8', port: 6343 }]);
  });
});

test('the TTL is clamped to hsflowd bounds: at least 10 s; a TTL of 0 means 300 s', async () => {
  await withDnsmasq(['--local-ttl=3', ...TEST_RECORDS], async (server) => {
    assert.equal((await discover('test.example', fast(server))).ttlSeconds, DNSSD_MIN_REQUERY_SECONDS);
  });
  // dnsmasq serves its own records with TTL 0 unless told otherwise
  await withDnsmasq(TEST_RECORDS, async (server) => {
    assert.equal((await discover('test.example', fast(server))).ttlSeconds, DNSSD_RETRY_SECONDS);
  });
});

test('no SRV record: no collectors, with the reason (an agent stops sending, as hsflowd does)', async () => {
  await withDnsmasq(
    [...TEST_RECORDS, '--txt-record=_sflow._udp.txtonly.example,txtvers=1,polling=10'],
    async (server) => {
      const none = await discover('none.example', fast(server));
      assert.deepEqual(none, {
        status: 'none',
        name: '_sflow._udp.none.example',
        collectors: [],
        settings: {},
        ttlSeconds: DNSSD_RETRY_SECONDS,
        error: 'no collectors: _sflow._udp.none.example (no such name)',
        warnings: [],
      } satisfies DnsSdResult);

      const txtOnly = await discover('txtonly.example', fast(server));
      assert.equal(txtOnly.status, 'none');
      assert.equal(txtOnly.error, 'no collectors: _sflow._udp.txtonly.example (no SRV record)');
      assert.deepEqual(txtOnly.settings, { txtvers: '1', polling: '10' });

      const file = parseHsflowdConf('sflow { dns-sd { } collector { ip = 192.0.2.1 } }').config;
      assert.deepEqual(applyDnsSd(file, none).collectors, []);
    },
  );
});

test('SRV targets without an address are left out with a warning', async () => {
  await withDnsmasq(
    [
      '--srv-host=_sflow._udp.half.example,collector.half.example,6343',
      '--srv-host=_sflow._udp.half.example,gone.half.example,6343',
      '--host-record=collector.half.example,127.0.0.10',
      '--srv-host=_sflow._udp.gone.example,gone.gone.example,6343',
    ],
    async (server) => {
      const half = await discover('half.example', fast(server));
      assert.equal(half.status, 'ok');
      assert.deepEqual(half.collectors, [{ address: '127.0.0.10', port: 6343 }]);
      assert.deepEqual(half.warnings, [
        'SRV _sflow._udp.half.example: gone.half.example has no address (A: ENOTFOUND, AAAA: ENOTFOUND)',
      ]);
      const gone = await discover('gone.example', fast(server));
      assert.equal(gone.status, 'none');
      assert.match(
        gone.error!,
        /^no usable collector: SRV _sflow._udp.gone.example: gone.gone.example has no address/,
      );
    },
  );
});

test('TXT settings that are unknown or out of range are reported and not applied', async () => {
  await withDnsmasq(
    [
      '--srv-host=_sflow._udp.odd.example,10.0.0.1,6343',
      '--txt-record=_sflow._udp.odd.example,txtvers=1,sampling=lots,polling=301,colour=blue,headerBytes=1000,datagramBytes=9000,agent.cidr=10.0.0.0/8,novalue',
    ],
    async (server) => {
      const found = await discover('odd.example', fast(server));
      assert.deepEqual(found.warnings, [
        "TXT _sflow._udp.odd.example: 'sampling' must be a sampling rate 0–10000000, not 'lots' (ignored)",
        "TXT _sflow._udp.odd.example: 'polling' must be a number of seconds 0–300, not '301' (ignored)",
        "TXT _sflow._udp.odd.example: unknown setting 'colour' (ignored)",
        "TXT _sflow._udp.odd.example: 'datagramBytes' must be a number of bytes 200–8192, not '9000' (ignored)",
        "TXT _sflow._udp.odd.example: 'novalue' is not key=value (ignored)",
      ]);
      const file = parseHsflowdConf(
        'sflow { dns-sd { } agent.cidr = 192.168.0.0/16 agent.cidr = 172.16.0.0/12 }',
      ).config;
      const merged = applyDnsSd(file, found);
      assert.equal(merged.sampling, 400);
      assert.equal(merged.polling, 30);
      assert.equal(merged.headerBytes, 256, 'capped at 256, as hsflowd does');
      assert.equal(merged.datagramBytes, 1400);
      assert.deepEqual(merged.agentCidrs, [{ address: '10.0.0.0', bits: 8, exclude: false }]);
    },
  );
});

test('a TXT record too long for UDP is fetched again over TCP', async () => {
  const apps = Array.from({ length: 60 }, (_, i) => `sampling.app.application-number-${i}=${100 + i}`);
  await withDnsmasq(
    [
      '--srv-host=_sflow._udp.big.example,10.0.0.1,6343',
      `--txt-record=_sflow._udp.big.example,${apps.join(',')}`,
    ],
    async (server) => {
      const found = await discover('big.example', fast(server));
      assert.equal(found.status, 'ok');
      assert.equal(Object.keys(found.settings).length, 60);
      assert.equal(found.settings['sampling.app.application-number-59'], '159');
    },
  );
});

test("with no domain, the host's search domains are tried in turn", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sflowkit-dnssd-'));
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, 'nameserver 127.0.0.53\nsearch nothere.example test.example\noptions edns0\n');
  await withDnsmasq(TEST_RECORDS, async (server) => {
    const found = await discover(undefined, { ...fast(server), resolvConf });
    assert.equal(found.status, 'ok');
    assert.equal(found.name, '_sflow._udp.test.example');
    assert.equal(found.collectors.length, 2);
  });
  writeFileSync(resolvConf, 'nameserver 127.0.0.53\n');
  const none = await discover(undefined, { servers: ['127.0.0.1:9'], resolvConf });
  assert.equal(none.status, 'none');
  assert.equal(none.error, `no DNS-SD domain: none configured, and ${resolvConf} has no search domain`);
});

test('a server that does not answer is a failed result, not a throw, and changes nothing', async () => {
  // Started and stopped, so that nothing listens on its port any more.
  const d = await dnsmasq(TEST_RECORDS);
  await d.stop();
  const found = await discover('test.example', { servers: [d.server], timeoutMs: 500, tries: 1 });
  assert.equal(found.status, 'failed');
  assert.deepEqual(found.collectors, []);
  assert.equal(found.ttlSeconds, DNSSD_RETRY_SECONDS);
  assert.match(found.error!, /^SRV _sflow\._udp\.test\.example: no answer \(127\.0\.0\.1:\d+: /);
  const lastGood = parseHsflowdConf('sflow { dns-sd { } collector { ip = 192.0.2.1 } }').config;
  assert.equal(applyDnsSd(lastGood, found), lastGood);
});

// ---- no server needed ----

test('requeryAfter: the smallest non-zero TTL, within bounds', () => {
  assert.equal(requeryAfter([120, 600]), 120);
  assert.equal(requeryAfter([0, 600]), 600);
  assert.equal(requeryAfter([0, 0]), DNSSD_RETRY_SECONDS);
  assert.equal(requeryAfter([]), DNSSD_RETRY_SECONDS);
  assert.equal(requeryAfter([1]), DNSSD_MIN_REQUERY_SECONDS);
  assert.equal(requeryAfter([1_000_000]), DNSSD_MAX_REQUERY_SECONDS);
  assert.equal(requeryAfter([2 ** 31 + 5]), DNSSD_RETRY_SECONDS, 'a TTL with its top bit set counts as 0');
});

test('searchDomains reads resolv.conf as resolv.conf(5) says', () => {
  assert.deepEqual(searchDomains('nameserver 10.0.0.1\nsearch a.example b.example.\n'), [
    'a.example',
    'b.example',
  ]);
  assert.deepEqual(
    searchDomains('search a.example\ndomain c.example\n'),
    ['c.example'],
    'the last line wins',
  );
  assert.deepEqual(searchDomains('# search x.example\nnameserver 10.0.0.1\n'), []);
});

test('DNS server addresses as node:dns writes them', () => {
  assert.deepEqual(parseServer('192.0.2.1'), { host: '192.0.2.1', port: 53 });
  assert.deepEqual(parseServer('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
  assert.deepEqual(parseServer('::1'), { host: '::1', port: 53 });
  assert.deepEqual(parseServer('[::1]:5353'), { host: '::1', port: 5353 });
  assert.throws(() => parseServer('resolver.example'), /not a DNS server address/);
});

test('hostile or broken messages are refused, not followed', () => {
  const query = encodeQuery(0x1234, '_sflow._udp.test.example', TYPE.SRV);
  // A response to our own query, with one answer whose name is a pointer to itself.
  const header = Buffer.from(query.subarray(0, 12));
  header.writeUInt16BE(0x8180, 2); // response, recursion available, NOERROR
  header.writeUInt16BE(1, 6); // ANCOUNT
  header.writeUInt16BE(0, 10); // no additional records
  const question = query.subarray(12, query.length - 11);
  const selfPointer = Buffer.from([0xc0, 12 + question.length]);
  const loop = Buffer.concat([header, question, selfPointer, Buffer.alloc(10)]);
  assert.throws(() => decodeResponse(loop), /pointer does not point backwards/);
  assert.throws(() => decodeResponse(query), /not a response/);
  assert.throws(() => decodeResponse(loop.subarray(0, 20)), /past the end/);
  assert.throws(() => decodeResponse(Buffer.alloc(5)), /shorter than a header/);
});
