/**
 * The filter language on the corpus: the four comparisons, value lists, a missing key compared as `null`,
 * whole-value patterns, `&` over `|`, parentheses, key functions on the left, quotes and escapes, values in
 * the key's own form, and the errors with their positions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CORPUS } from './flow-corpus.test-util.js';
import { compileFilter } from './flow-filter.js';
import { FlowSpecError } from './flow-keys.js';
import { testEnv } from './flow-sample.test-util.js';

const env = testEnv();

function cases(rows: [string, string, boolean][]): void {
  for (const [filter, sample, want] of rows)
    assert.equal(compileFilter(filter, env)(CORPUS[sample]), want, `${filter} on ${sample}`);
}

test('= and != compare with each value of a list', () => {
  cases([
    ['ipsource=10.1.2.3', 'tcp4', true],
    ['ipsource=10.1.2.3', 'udp6', false],
    ['ipsource=10.9.9.9,10.1.2.3', 'tcp4', true],
    ['ipprotocol=1,6,17', 'tcp4', true],
    ['ipprotocol=1,17', 'tcp4', false],
    ['ipprotocol!=1,17', 'tcp4', true],
    ['ethernetprotocol!=2048,2054,34525', 'tcp4', false],
    ['ethernetprotocol!=2048,2054,34525', 'mpls', true],
    ['tcpdestinationport=1,2,3,4,5,443', 'tcp4', true],
    ['tcpdestinationport=1,2,3,4,5,6', 'tcp4', false],
  ]);
});

test('a missing key compares as null', () => {
  cases([
    ['vlan!=10', 'udp6', true],
    ['vlan=10', 'udp6', false],
    ['vlan=null', 'udp6', true],
    ['vlan=null', 'tcp4', false],
    ['vxlanvni!=null', 'vxlan', true],
    ['vxlanvni!=null', 'tcp4', false],
    ['group:ipsource:nosuchset=null', 'tcp4', true],
  ]);
});

test('~ and !~ match whole values against Java-style patterns', () => {
  cases([
    ['tcpflags~.......1.', 'tcp4', true],
    ['tcpflags~....1..1.', 'tcp4', true],
    ['tcpflags~.......1.', 'ipv4only', false],
    ['ipsource~10\\.1', 'tcp4', false],
    ['ipsource~10\\.1.*', 'tcp4', true],
    ['ipsource!~10\\.1.*', 'tcp4', false],
    ['httpmimetype~application/.*', 'http', true],
    ['httpurl~/a.*,/metrics.*', 'http', true],
    ['httpurl!~/a.*,/metrics.*', 'http', false],
    ['tcpflags~(0|1)+', 'tcp4', true],
    ['vlan~nu.*', 'udp6', true],
  ]);
});

test('& binds tighter than |; parentheses group; white space is ignored', () => {
  cases([
    ['ipprotocol=6|ipprotocol=17&vlan=99', 'tcp4', true],
    ['(ipprotocol=6|ipprotocol=17)&vlan=99', 'tcp4', false],
    ['vlan=99&ipprotocol=17|ipprotocol=6', 'tcp4', true],
    ['vlan=99&(ipprotocol=17|ipprotocol=6)', 'tcp4', false],
    ['((ipsource=10.1.2.3))', 'tcp4', true],
    ['ipsource=1|ipsource=2|ipsource=10.1.2.3', 'tcp4', true],
    ['ipsource=10.1.2.3&vlan=10&priority=5&tcpdestinationport=443', 'tcp4', true],
    ['ipsource=10.1.2.3&vlan=10&priority=4&tcpdestinationport=443', 'tcp4', false],
    [' ipsource = 10.1.2.3 & ( vlan = 10 | vlan = 11 ) ', 'tcp4', true],
    ['(tcpflags~(0|1)+)&ipprotocol=6', 'tcp4', true],
  ]);
});

test('key functions on the left, quotes, escapes; values in the key own form', () => {
  cases([
    ['group:ipsource:site=web', 'tcp4', true],
    ['group:ipdestination:site!=internal,servers', 'tcp4', true],
    ['first:stack:.:ip:ip6=ip&ipprotocol=6', 'tcp4', true],
    ['range:tcpdestinationport:0:1023=true', 'tcp4', true],
    ['prefix:stack:.:1=eth', 'arp', true],
    ["'group:ipsource:site'='web'", 'tcp4', true],
    ["httpurl='/metrics/json?x=1'", 'http', true],
    ['httpurl="/metrics/json?x=1"', 'http', true],
    ["concat:\\,:ipsource:ipdestination='10.1.2.3,192.0.2.7'", 'tcp4', true],
    ["'concat:\\::ipsource:tcpsourceport'='10.1.2.3:43512'", 'tcp4', true],
    ['concat:\\,:ipsource:ipdestination=10.1.2.3\\,192.0.2.7', 'tcp4', true],
    ["httpuseragent='curl/8.5'|httpuseragent='a|b'", 'http', true],
    ["ipsource=''", 'tcp4', false],
    ['macdestination=ff:ff:ff:ff:ff:ff', 'frag4', true],
    ['macdestination=FF-FF-FF-FF-FF-FF', 'frag4', true],
    ['macdestination=FFFFFFFFFFFF', 'frag4', true],
    ['ip6source=2001:DB8:0::1', 'udp6', true],
    ['null:ip6source=null', 'tcp4', true],
  ]);
  assert.equal(compileFilter('', env)(CORPUS.tcp4), true);
  assert.equal(compileFilter('  ', env)(CORPUS.tcp4), true);
});

function rejects(filter: string, position: number, text: RegExp): void {
  assert.throws(
    () => compileFilter(filter, env),
    (e: unknown) => {
      assert.ok(e instanceof FlowSpecError, `${filter}: ${e}`);
      assert.equal(e.position, position, `${filter}: ${e.message}`);
      assert.match(e.message, text);
      return true;
    },
  );
}

test('broken filters are refused with the reason and where', () => {
  rejects('ipsource', 8, /expected =, !=, ~ or !~ after 'ipsource'/);
  rejects('ipsource!1', 8, /expected =, !=, ~ or !~/);
  rejects('ipsource=', 9, /expected a value after '='/);
  rejects('ipsource=1,', 11, /expected a value/);
  rejects('(ipsource=1', 0, /'\(' without its '\)'/);
  rejects('ipsource=1)', 10, /'\)' without its '\('/);
  rejects('ipsource=1&', 11, /expected a flow key, found the end/);
  rejects('&ipsource=1', 0, /expected a flow key, found '&'/);
  rejects('vlan=1&nokey=1', 7, /unknown flow key 'nokey' at position 7 of 'vlan=1&nokey=1'/);
  rejects("vlan=1&'nokey'=1", 8, /unknown flow key 'nokey' at position 8/);
  rejects('ipsource~[', 8, /bad pattern '\['/);
  rejects("ipsource='10.1.2.3", 9, /quote without its end/);
  rejects('mask:ipsource:200=1', 14, /mask: .* from 0 to 128/);
  rejects('(vlan=1)x=2', 8, /unexpected 'x'/);
});
