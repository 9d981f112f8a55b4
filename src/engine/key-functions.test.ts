/**
 * Each key function on the corpus: what it gives, what it gives when its key is missing, nesting with […]
 * and escapes, and the errors for wrong arguments and for the sFlow-RT functions sflowkit cannot evaluate.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CORPUS } from './flow-corpus.test-util.js';
import { compileKeys, FlowSpecError } from './flow-keys.js';
import { testEnv } from './flow-sample.test-util.js';
import { removeDotSegments, uriPart } from './uri-parts.js';

const env = testEnv();

function key(spec: string, sample: string): string | undefined {
  const fns = compileKeys(spec, env);
  assert.equal(fns.length, 1, spec);
  return fns[0](CORPUS[sample]);
}

function cases(rows: [string, string, string | undefined][]): void {
  for (const [spec, sample, want] of rows) assert.equal(key(spec, sample), want, `${spec} on ${sample}`);
}

test('or: gives the first key the sample has', () => {
  cases([
    ['or:tcpsourceport:udpsourceport', 'tcp4', '43512'],
    ['or:tcpsourceport:udpsourceport', 'udp6', '5353'],
    ['or:tcpsourceport:udpsourceport', 'arp', undefined],
    ['or:ipsource:ip6source', 'udp6', '2001:db8::1'],
    // Its number is the first key's that has one: range: reads it.
    ['range:[or:tcpsourceport:udpsourceport]:5000:6000', 'udp6', 'true'],
  ]);
});

test('null: gives the value given (null by default) when the key is missing', () => {
  cases([
    ['null:vlan:untagged', 'udp6', 'untagged'],
    ['null:vlan:untagged', 'tcp4', '10'],
    ['null:vlan', 'udp6', 'null'],
    ['null:[group:ipdestination:nosuchset]:none', 'tcp4', 'none'],
  ]);
});

test('group: names the longest-prefix group of the address, trying sets in order', () => {
  cases([
    ['group:ipsource:site', 'tcp4', 'web'],
    ['group:ipdestination:site', 'tcp4', 'external'],
    ['group:ip6source:site', 'udp6', 'external'],
    ['group:ip6destination:site', 'udp6', 'internal'],
    ['group:ipdestination:nosuchset:site', 'tcp4', 'external'],
    ['group:ipdestination:nosuchset', 'tcp4', undefined],
    ['group:macsource:site', 'tcp4', undefined],
    ['group:ipsource:site', 'udp6', undefined],
  ]);
});

test('mask: clears the host bits of an IPv4 or IPv6 address', () => {
  cases([
    ['mask:ipsource:16', 'tcp4', '10.1.0.0'],
    ['mask:ipsource:0', 'tcp4', '0.0.0.0'],
    ['mask:ipsource:32', 'tcp4', '10.1.2.3'],
    ['mask:ipsource:33', 'tcp4', undefined],
    ['mask:ipdestination:25', 'tcp4', '192.0.2.0'],
    ['mask:ip6source:32', 'udp6', '2001:db8::'],
    ['mask:ip6source:127', 'udp6', '2001:db8::'],
    ['mask:ip6source:128', 'udp6', '2001:db8::1'],
    ['mask:stack:8', 'tcp4', undefined],
  ]);
});

test('prefix: and suffix: keep the first or last tokens', () => {
  cases([
    ['prefix:stack:.:2', 'tcp4', 'eth.ip'],
    ['prefix:stack:.:9', 'tcp4', 'eth.ip.tcp'],
    // sFlow-RT's own example: /metrics/json → /metrics.
    ['prefix:[uri:httpurl:path]:/:2', 'http', '/metrics'],
    ['suffix:stack:.:1', 'tcp4', 'tcp'],
    ['suffix:stack:.:2', 'vxlan', 'ip.tcp'],
    ['suffix:stack:.:9', 'tcp4', 'eth.ip.tcp'],
    ['suffix:httphost:.:1', 'http', 'com'],
    ['prefix:httpurl:/json:1', 'http', '/metrics'],
    ['prefix:stack:.:1', 'ipv4only', undefined],
  ]);
});

test('first: finds the first listed token, in the order of the value', () => {
  cases([
    ['first:stack:.:ip:ip6', 'vxlan', 'ip'],
    ['first:stack:.:ip:ip6', 'udp6', 'ip6'],
    ['first:stack:.:ip6:ip', 'geneve', 'ip'],
    ['first:stack:.:ip:ip6', 'arp', undefined],
    ['first:stack:.:i', 'tcp4', undefined],
  ]);
});

test('eq:, range: and if: compare', () => {
  cases([
    ['eq:ipsource:ipsource', 'tcp4', 'true'],
    ['eq:tcpsourceport:tcpdestinationport', 'tcp4', 'false'],
    ['eq:bgpsourceas:bgpas', 'tcp4', 'false'],
    ['eq:bgpsourceas:bgpas', 'udp6', undefined],
    ['range:tcpsourceport:0:1023', 'tcp4', 'false'],
    ['range:tcpdestinationport:0:1023', 'tcp4', 'true'],
    ['range:tcpdestinationport:443:443', 'tcp4', 'true'],
    ['range:ipfragoffset:1', 'frag4', 'true'],
    ['range:ipfragoffset:1', 'tcp4', 'false'],
    ['range:bytes:1519', 'tcp4', 'false'],
    ['range:bytes::200', 'tcp4', 'true'],
    ['range:ipfragoffset:1', 'udp6', undefined],
    ['range:[mask:ipsource:8]:0:1', 'tcp4', undefined],
    ['if:[first:stack:.:ip:ip6]:ip:ipsource:ip6source', 'tcp4', '10.1.2.3'],
    ['if:[first:stack:.:ip:ip6]:ip:ipsource:ip6source', 'udp6', '2001:db8::1'],
  ]);
});

test("sflowkit's bucket: bins a number between rising edges", () => {
  cases([
    ['bucket:tcpsourceport:1024:50000', 'tcp4', '1024-50000'],
    ['bucket:tcpdestinationport:443:1024', 'tcp4', '443-1024'],
    ['bucket:tcpdestinationport:444:1024', 'tcp4', '<444'],
    ['bucket:tcpsourceport:1024', 'tcp4', '>=1024'],
    ['bucket:tcpsourceport:1024', 'udp6', undefined],
  ]);
});

test('concat: joins keys with a separator that may be escaped', () => {
  cases([
    ['concat:-:ipsource:ipdestination', 'tcp4', '10.1.2.3-192.0.2.7'],
    ['concat:\\::ipsource:tcpsourceport', 'tcp4', '10.1.2.3:43512'],
    ['concat:-:ipsource:udpsourceport', 'tcp4', undefined],
  ]);
  const fns = compileKeys('ipsource,concat:\\,:ipsource:ipdestination', env);
  assert.deepEqual(
    fns.map((f) => f(CORPUS.tcp4)),
    ['10.1.2.3', '10.1.2.3,192.0.2.7'],
  );
});

test('bits: masks a number; uri: takes a URL apart; oui: takes a MAC vendor prefix', () => {
  cases([
    ['bits:ip6flowlabel:0xff', 'udp6', String(0x12345 & 0xff)],
    ['bits:ip6flowlabel:261884', 'udp6', String(0x12345 & 261884)],
    ['bits:ipflags:1', 'tcp4', '0'],
    ['uri:httpurl:path', 'http', '/metrics/json'],
    ['uri:httpurl:file', 'http', 'json'],
    ['uri:httpurl:query', 'http', 'x=1'],
    ['uri:httpurl:isabsolute', 'http', 'false'],
    ['uri:httpurl:scheme', 'http', undefined],
    ['uri:httpreferer:host', 'http', 'example.com'],
    ['uri:httpreferer:scheme', 'http', 'http'],
    ['uri:httpreferer:isabsolute', 'http', 'true'],
    ['oui:macsource', 'tcp4', '667788'],
    ['oui:macsource:number', 'tcp4', '667788'],
  ]);
  const u = 'http://bob@[2001:db8::1]:8080/a/./b/../c.tar.gz?q=1#frag';
  assert.equal(uriPart(u, 'user'), 'bob');
  assert.equal(uriPart(u, 'host'), '[2001:db8::1]');
  assert.equal(uriPart(u, 'port'), '8080');
  assert.equal(uriPart(u, 'authority'), 'bob@[2001:db8::1]:8080');
  assert.equal(uriPart(u, 'file'), 'c.tar.gz');
  assert.equal(uriPart(u, 'extension'), 'gz');
  assert.equal(uriPart(u, 'fragment'), 'frag');
  assert.equal(uriPart(u, 'normalized'), 'http://bob@[2001:db8::1]:8080/a/c.tar.gz?q=1#frag');
  assert.equal(uriPart(u, 'isopaque'), 'false');
  assert.equal(uriPart('mailto:a@example.com', 'isopaque'), 'true');
  assert.equal(uriPart('mailto:a@example.com', 'path'), undefined);
  assert.equal(removeDotSegments('/a/b/../../..'), '/');
  assert.equal(removeDotSegments('a/../../b'), '../b');
  assert.equal(removeDotSegments('/a/.'), '/a/');
});

function rejects(spec: string, position: number, text: RegExp): void {
  assert.throws(
    () => compileKeys(spec, env),
    (e: unknown) => {
      assert.ok(e instanceof FlowSpecError, `${spec}: ${e}`);
      assert.equal(e.position, position, `${spec}: ${e.message}`);
      assert.match(e.message, text);
      return true;
    },
  );
}

test('wrong arguments are refused with the function, the reason and the position', () => {
  rejects('or:ipsource', 0, /or: takes two or more flow keys/);
  rejects('ipsource,mask:ipsource', 9, /mask: takes an address key and a prefix length/);
  rejects('mask:ipsource:abc', 14, /mask: 'abc' is not a whole number from 0 to 128/);
  rejects('mask:ipsource:129', 14, /from 0 to 128/);
  rejects('prefix:stack::1', 13, /prefix: the separator is empty/);
  rejects('suffix:stack:.:0', 15, /from 1 to 1024/);
  rejects('range:bytes:x', 12, /range: 'x' is not a number/);
  rejects('range:bytes', 0, /range: takes a numeric key and bounds/);
  rejects('uri:httpurl:bogus', 12, /uri: 'bogus' is not a URI part/);
  rejects('oui:macsource:name', 14, /IEEE OUI registry/);
  rejects('oui:macsource:other', 14, /'other' is not 'number' or 'name'/);
  rejects('group:ipsource:', 15, /group: the group set name is empty/);
  rejects('if:stack:ip:ipsource', 0, /if: takes a key, a value and two keys/);
  rejects('eq:ipsource:nokey', 12, /unknown flow key 'nokey'/);
  rejects('bits:ip6flowlabel:-1', 18, /not a whole number/);
  rejects('bucket:duration', 0, /bucket: takes a numeric key and rising edges/);
  rejects('bucket:duration:10:5', 19, /bucket: '5' is not a number above the edge before it/);
});

test("sFlow-RT's functions that need data sflowkit lacks are refused by name", () => {
  for (const fn of ['country', 'asn', 'dns', 'map', 'link', 'node', 'ifname'])
    rejects(`ipsource,${fn}:ipsource`, 9, new RegExp(`key function '${fn}:' needs`));
});
