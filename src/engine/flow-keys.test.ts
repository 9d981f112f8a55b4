/**
 * Every flow key on the corpus (flow-corpus.test-util.ts): its value where the sample has it, written as
 * sFlow-RT writes it, and its absence where the sample lacks it; presentKeys agreeing with the compiled keys;
 * and the errors of key lists.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataCenter } from '../generator/data-center.js';
import { DEFAULT_FABRIC } from '../generator/fabric.js';
import { decodeDatagram } from '../sflow/index.js';
import { FlowContext } from './flow-context.js';
import { CORPUS } from './flow-corpus.test-util.js';
import { compileKeys, FLOW_KEY_NAMES, FlowSpecError, presentKeys } from './flow-keys.js';
import { testEnv } from './flow-sample.test-util.js';
import { SpecError } from './spec-error.js';

const env = testEnv();

/** [sample, key, value (undefined: the sample does not have the key)] */
const EXPECTED: [string, string, string | undefined][] = [
  ['tcp4', 'macsource', '66778899AABB'],
  ['tcp4', 'macdestination', '001122334455'],
  ['tcp4', 'ethernetprotocol', '2048'],
  ['tcp4', 'vlan', '10'],
  ['tcp4', 'priority', '5'],
  ['tcp4', 'isbroadcast', 'false'],
  ['tcp4', 'ismulticast', 'false'],
  ['tcp4', 'isunicast', 'true'],
  ['tcp4', 'ipsource', '10.1.2.3'],
  ['tcp4', 'ipdestination', '192.0.2.7'],
  ['tcp4', 'ipprotocol', '6'],
  ['tcp4', 'iptos', '10111001'],
  ['tcp4', 'ipdscp', '46'],
  ['tcp4', 'dscp', '46'],
  ['tcp4', 'ipdscpname', 'EF'],
  ['tcp4', 'ipecn', '01'],
  ['tcp4', 'ipttl', '63'],
  ['tcp4', 'ipflags', '010'],
  ['tcp4', 'ipfragoffset', '0'],
  ['tcp4', 'ipbytes', '140'],
  ['tcp4', 'ip_offset', '18'],
  ['tcp4', 'tcpsourceport', '43512'],
  ['tcp4', 'tcpdestinationport', '443'],
  ['tcp4', 'tcpflags', '000010010'],
  ['tcp4', 'stack', 'eth.ip.tcp'],
  ['tcp4', 'agent', '192.0.2.1'],
  ['tcp4', 'inputifindex', '3'],
  ['tcp4', 'outputifindex', '7'],
  ['tcp4', 'direction', 'ingress'],
  ['tcp4', 'bytes', '162'],
  ['tcp4', 'stripped', '4'],
  ['tcp4', 'vlansource', '10'],
  ['tcp4', 'vlandestination', '20'],
  ['tcp4', 'prioritysource', '5'],
  ['tcp4', 'prioritydestination', '3'],
  ['tcp4', 'ipnexthoprouter', '192.0.2.254'],
  ['tcp4', 'ipsourcemaskbits', '8'],
  ['tcp4', 'ipdestinationmaskbits', '24'],
  ['tcp4', 'bgpnexthop', '192.0.2.253'],
  ['tcp4', 'bgpas', '65000'],
  ['tcp4', 'bgpsourceas', '64500'],
  ['tcp4', 'bgpsourcepeeras', '64501'],
  ['tcp4', 'bgpdestinationas', '64511'],
  ['tcp4', 'bgplocalpref', '100'],
  ['tcp4', 'queueindex', '2'],
  ['tcp4', 'queuedepth', '1500'],
  ['tcp4', 'transitdelay', '900'],
  ['tcp4', 'ip6source', undefined],
  ['tcp4', 'udpsourceport', undefined],
  ['tcp4', 'reason', undefined],
  ['tcp4', 'httpmethod', undefined],
  ['tcp4', 'vni', undefined],
  ['tcp4', 'ipsource.1', undefined],
  ['udp6', 'macdestination', '333300000001'],
  ['udp6', 'ismulticast', 'true'],
  ['udp6', 'isunicast', 'false'],
  ['udp6', 'isbroadcast', 'false'],
  ['udp6', 'ethernetprotocol', '34525'],
  ['udp6', 'ip6source', '2001:db8::1'],
  ['udp6', 'ip6destination', 'fd00::2'],
  ['udp6', 'ip6nexthdr', '17'],
  ['udp6', 'ip6tos', '00101010'],
  ['udp6', 'ip6dscp', '10'],
  ['udp6', 'dscp', '10'],
  ['udp6', 'ip6dscpname', 'AF11'],
  ['udp6', 'ip6ecn', '10'],
  ['udp6', 'ip6flowlabel', '74565'],
  ['udp6', 'ip6bytes', '68'],
  ['udp6', 'udpsourceport', '5353'],
  ['udp6', 'udpdestinationport', '53'],
  ['tcp4', 'service', 'tcp/443'],
  ['udp6', 'service', 'udp/53'],
  ['udp6', 'stack', 'eth.ip6.udp'],
  ['udp6', 'direction', 'egress'],
  ['udp6', 'vlan', undefined],
  ['udp6', 'ipsource', undefined],
  ['udp6', 'ipprotocol', undefined],
  ['udp6', 'iptos', undefined],
  ['udp6', 'ip6fragm', undefined],
  ['udp6', 'ip6fragoffset', undefined],
  ['frag6', 'ip6fragm', 'yes'],
  ['frag6', 'ip6fragoffset', '100'],
  ['frag6', 'stack', 'eth.ip6'],
  ['frag6', 'udpsourceport', undefined],
  ['frag4', 'ipflags', '001'],
  ['frag4', 'ipfragoffset', '185'],
  ['frag4', 'isbroadcast', 'true'],
  ['frag4', 'ismulticast', 'false'],
  ['frag4', 'isunicast', 'false'],
  ['frag4', 'stack', 'eth.ip'],
  ['icmp4', 'icmptype', '3'],
  ['icmp4', 'icmpcode', '1'],
  ['icmp4', 'icmp6type', undefined],
  ['icmp4', 'stack', 'eth.ip.icmp'],
  ['icmp6', 'icmp6type', '128'],
  ['icmp6', 'icmp6code', '0'],
  ['icmp6', 'icmptype', undefined],
  ['icmp6', 'stack', 'eth.ip6.icmp6'],
  ['arp', 'arpoperation', '1'],
  ['arp', 'arpipsender', '10.0.0.1'],
  ['arp', 'arpiptarget', '10.0.0.2'],
  ['arp', 'ethernetprotocol', '2054'],
  ['arp', 'stack', 'eth.arp'],
  ['arp', 'ipsource', undefined],
  ['mpls', 'stack', 'eth.mpls.ip.tcp'],
  ['mpls', 'ethernetprotocol', '34887'],
  ['vxlan', 'vxlanvni', '11259375'],
  ['vxlan', 'vni', '11259375'],
  ['vxlan', 'genevevni', undefined],
  ['vxlan', 'stack', 'eth.ip.udp.vxlan.eth.ip.tcp'],
  ['vxlan', 'stack.1', 'eth.ip.tcp'],
  ['vxlan', 'ipsource', '10.0.0.1'],
  ['vxlan', 'ipsource.1', '192.168.0.1'],
  ['vxlan', 'macsource.1', '0200000000AA'],
  ['vxlan', 'tcpdestinationport.1', '80'],
  ['vxlan', 'vxlanvni.1', undefined],
  ['vxlan', 'ipsource.2', undefined],
  ['geneve', 'genevevni', '4242'],
  ['geneve', 'vni', '4242'],
  ['geneve', 'stack', 'eth.ip.udp.geneve.eth.ip6.udp'],
  ['geneve', 'ip6source.1', 'fd00::a'],
  ['geneve', 'udpdestinationport.1', '9'],
  ['nvgre', 'grevsid', '5000'],
  ['nvgre', 'grekey', '1280007'],
  ['nvgre', 'stack', 'eth.ip.gre.eth.ip.tcp'],
  ['nvgre', 'ipdestination.1', '192.168.0.2'],
  ['nvgre', 'vni', undefined],
  ['ipv4only', 'ipsource', '10.2.0.1'],
  ['ipv4only', 'ipdestination', '10.2.0.2'],
  ['ipv4only', 'ipprotocol', '6'],
  ['ipv4only', 'tcpsourceport', '22'],
  ['ipv4only', 'tcpdestinationport', '60000'],
  ['ipv4only', 'tcpflags', '000011000'],
  ['ipv4only', 'ipbytes', '1000'],
  ['ipv4only', 'bytes', '1000'],
  ['ipv4only', 'vni', '99'],
  ['ipv4only', 'udpsourceport', undefined],
  ['ipv4only', 'stack', undefined],
  ['ipv4only', 'ipsource.1', undefined],
  ['ipv6only', 'ip6source', '2001:db8::5'],
  ['ipv6only', 'ip6destination', '2001:db8::6'],
  ['ipv6only', 'ip6nexthdr', '17'],
  ['ipv6only', 'udpsourceport', '123'],
  ['ipv6only', 'udpdestinationport', '123'],
  ['ipv6only', 'ip6bytes', '600'],
  ['ipv6only', 'tcpflags', undefined],
  ['ethernetonly', 'macsource', '02000000000A'],
  ['ethernetonly', 'macdestination', '02000000000B'],
  ['ethernetonly', 'ethernetprotocol', '35020'],
  ['ethernetonly', 'bytes', '64'],
  ['discard', 'inputifindex', 'internal'],
  ['discard', 'outputifindex', 'discard'],
  ['discard', 'reason', 'acl'],
  ['discard', 'direction', undefined],
  ['multiple', 'outputifindex', 'multiple'],
  ['multiple', 'direction', 'ingress'],
  ['dropped', 'reason', 'ttl_exceeded'],
  ['dropped', 'inputifindex', '3'],
  ['dropped', 'outputifindex', '0'],
  ['dropped', 'direction', 'ingress'],
  ['http', 'httpmethod', 'GET'],
  ['http', 'httpprotocol', 'HTTP/1.1'],
  ['http', 'httpurl', '/metrics/json?x=1'],
  ['http', 'httphost', 'example.com'],
  ['http', 'httpreferer', 'http://example.com/'],
  ['http', 'httpuseragent', 'curl/8.5'],
  ['http', 'httpxff', '203.0.113.9'],
  ['http', 'httpauthuser', 'bob'],
  ['http', 'httpmimetype', 'application/json'],
  ['http', 'httpstatus', '200'],
  ['http', 'req_bytes', '100'],
  ['http', 'resp_bytes', '1900'],
  ['http', 'duration', '1500'],
  ['http', 'bytes', '2000'],
  ['http', 'protocol', '6'],
  ['http', 'serveraddress', '10.1.2.3'],
  ['http', 'serverport', '80'],
  ['http', 'clientaddress', '10.9.9.9'],
  ['http', 'clientport', '50000'],
  ['http', 'serveraddress6', undefined],
  ['http', 'proxyprotocol', '6'],
  ['http', 'proxyserveraddress6', '2001:db8::80'],
  ['http', 'proxyserverport', '8080'],
  ['http', 'proxyclientaddress6', '2001:db8::99'],
  ['http', 'proxyclientport', '40000'],
  ['http', 'direction', undefined],
  ['http', 'inputifindex', '0'],
  ['http', 'outputifindex', 'internal'],
  ['http', 'stack', undefined],
  ['http', 'memcachekey', undefined],
  ['memcache', 'memcacheprotocol', 'ASCII'],
  ['memcache', 'memcachecommand', 'GET'],
  ['memcache', 'memcachekey', 'user:42'],
  ['memcache', 'memcachenkeys', '1'],
  ['memcache', 'memcachevaluebytes', '512'],
  ['memcache', 'memcachestatus', 'NOT_FOUND'],
  ['memcache', 'duration', '120'],
  ['memcache', 'bytes', '512'],
  ['memcache', 'serveraddress6', 'fd00::11'],
  ['memcache', 'clientaddress6', 'fd00::22'],
  ['memcache', 'serverport', '11211'],
  ['memcache', 'clientport', '40001'],
  ['memcache', 'proxyprotocol', '17'],
  ['memcache', 'proxyserveraddress', '10.3.0.1'],
  ['memcache', 'proxyclientaddress', '10.3.0.2'],
  ['memcache', 'proxyserverport', '11211'],
  ['memcache', 'proxyclientport', '40002'],
  ['memcache', 'httpmethod', undefined],
];

test('each key reads its sample as sFlow-RT writes it, and is absent where the sample lacks it', () => {
  for (const [sample, key, want] of EXPECTED) {
    const [fn] = compileKeys(key, env);
    assert.equal(fn(CORPUS[sample]), want, `${key} of ${sample}`);
  }
});

test('every key name is tested with a value', () => {
  const tested = new Set(EXPECTED.filter(([, , v]) => v !== undefined).map(([, k]) => k));
  const untested = FLOW_KEY_NAMES.filter((k) => !tested.has(k));
  assert.deepEqual(untested, []);
});

test('presentKeys names exactly the keys, at every depth, that have a value in the sample', () => {
  const depthNames = FLOW_KEY_NAMES.flatMap((k) => [k, `${k}.1`, `${k}.2`]).filter((k) => {
    try {
      compileKeys(k, env);
      return true;
    } catch {
      return false;
    }
  });
  for (const [name, ctx] of Object.entries(CORPUS)) {
    const present = new Set(presentKeys(ctx));
    const having = depthNames.filter((k) => compileKeys(k, env)[0](ctx) !== undefined);
    assert.deepEqual([...present].sort(), having.sort(), name);
  }
  assert.ok(presentKeys(CORPUS.vxlan).includes('ipsource.1'));
  assert.ok(presentKeys(CORPUS.ipv4only).includes('tcpsourceport'));
});

test('a key list compiles to one function per key, spaces and brackets allowed; an empty one to none', () => {
  const fns = compileKeys(' ipsource , [ipdestination],or:tcpsourceport:udpsourceport ', env);
  assert.deepEqual(
    fns.map((f) => f(CORPUS.tcp4)),
    ['10.1.2.3', '192.0.2.7', '43512'],
  );
  assert.deepEqual(compileKeys('', env), []);
  assert.deepEqual(compileKeys('  ', env), []);
});

function rejects(spec: string, position: number, text: RegExp): void {
  assert.throws(
    () => compileKeys(spec, env),
    (e: unknown) => {
      assert.ok(e instanceof FlowSpecError, `${spec}: ${e}`);
      assert.ok(e instanceof SpecError);
      assert.equal(e.position, position, `${spec}: ${e.message}`);
      assert.match(e.message, text);
      return true;
    },
  );
}

test('unknown keys and functions, bad depths and broken brackets are refused, with their position', () => {
  rejects('ipsource,ipsorce', 9, /unknown flow key 'ipsorce' at position 9 of 'ipsource,ipsorce'/);
  rejects('ipsource.5', 0, /nest at most 4 deep/);
  rejects('agent.1', 0, /'agent' is not a packet key/);
  rejects('ipsource,foo:ipsource', 9, /unknown key function 'foo:'/);
  rejects('country:ipsource', 0, /'country:' needs a GeoIP database/);
  rejects('ipsource,', 9, /missing flow key/);
  rejects('or:[ipsource:ip6source', 3, /'\[' without its '\]'/);
  rejects('ipsource]', 8, /'\]' without its '\['/);
  rejects('ip source', 0, /'ip source' is not a flow key name/);
  rejects('or:ipsource:[bogus]', 13, /unknown flow key 'bogus'/);
  rejects('constructor', 0, /unknown flow key/);
});

test("on the generator's run, every sampled packet's keys name one of its true flows", () => {
  const dc = new DataCenter({
    fabric: DEFAULT_FABRIC,
    scenario: 'steady',
    seed: 7,
    duration: 20,
    flows: 100,
  });
  const emitted = [];
  for (let s = dc.nextSecond(); s; s = dc.nextSecond()) emitted.push(...s);
  const truth = dc.truth();
  const tuples = new Set(
    truth.flows.map((f) => [f.srcIp, f.dstIp, f.protocol, f.srcPort, f.dstPort].join(',')),
  );
  const [tuple] = compileKeys(
    'concat:\\,:[or:ipsource:ip6source]:[or:ipdestination:ip6destination]:[or:ipprotocol:ip6nexthdr]:' +
      '[or:tcpsourceport:udpsourceport]:[or:tcpdestinationport:udpdestinationport]',
    env,
  );
  const [method, command, server] = compileKeys('httpmethod,memcachecommand,serverport', env);
  const counts = { packets: 0, http: 0, memcache: 0 };
  for (const e of emitted) {
    for (const s of decodeDatagram(e.bytes).samples) {
      if (s.name !== 'flow_sample') continue;
      const ctx = new FlowContext(e.agent, s, e.time * 1000);
      if (ctx.packet() !== undefined) {
        counts.packets++;
        const t = tuple(ctx);
        assert.ok(t !== undefined && tuples.has(t), `${e.agent}: ${t}`);
      } else if (method(ctx) !== undefined) {
        counts.http++;
        assert.match(method(ctx) as string, /^(GET|HEAD|POST)$/);
        assert.match(server(ctx) as string, /^(80|443)$/);
      } else {
        assert.notEqual(command(ctx), undefined);
        assert.equal(server(ctx), '11211');
        counts.memcache++;
      }
    }
  }
  assert.ok(counts.packets > 200 && counts.http > 10 && counts.memcache > 10, JSON.stringify(counts));
});
