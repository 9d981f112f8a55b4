/**
 * encode → decode round trips for the structures of host, host-ip, http, memcache, application, jvm, tunnels,
 * drops, transit, pnat and host-sflow; encoded sizes against hsflowd's XDRSIZ constants; older producers'
 * short records; and the sflowtool printing quirks their mappings reproduce.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeValue, encodeValue } from '../../../test/support/codec-bytes.js';
import { arbitraryOf } from '../../../test/support/sflow-arbitrary.js';
import { emit, type FieldMap, type Printable } from '../../sflowtool/field-map.js';
import { COUNTER_FIELDS, FLOW_FIELDS } from '../../sflowtool/field-names.js';
import { sflowtoolDropReason } from '../../sflowtool/fields/drops.js';
import { sflowtoolKey } from '../../sflowtool/fields/memcache.js';
import { cFixed, percentage } from '../../sflowtool/format.js';
import { decodeDatagram, encodeDatagram } from '../datagram.js';
import type { Datagram } from '../model.js';
import { COUNTER_RECORDS, FLOW_RECORDS } from '../registry.js';
import * as application from './application.js';
import type { RecordDef } from './define.js';
import * as drops from './drops.js';
import * as host from './host.js';
import * as hostIp from './host-ip.js';
import * as hostSflow from './host-sflow.js';
import * as http from './http.js';
import * as jvm from './jvm.js';
import * as memcache from './memcache.js';
import * as pnat from './pnat.js';
import * as transit from './transit.js';
import * as tunnels from './tunnels.js';

const DOCUMENTS = {
  host,
  hostIp,
  http,
  memcache,
  application,
  jvm,
  tunnels,
  drops,
  transit,
  pnat,
  hostSflow,
};

const ours = Object.values(DOCUMENTS).flatMap((d) => [
  ...Object.entries(d.flowRecords as Record<string, RecordDef>).map(([n, def]) => [n, def, 'flow'] as const),
  ...Object.entries(d.counterRecords as Record<string, RecordDef>).map(
    ([n, def]) => [n, def, 'counter'] as const,
  ),
]);

test('the registry holds every structure of these documents, each with an sflowtool mapping', () => {
  assert.equal(ours.length, 59);
  for (const [name, def, kind] of ours) {
    const registry: Record<string, RecordDef> = kind === 'flow' ? FLOW_RECORDS : COUNTER_RECORDS;
    const fields: Record<string, unknown> = kind === 'flow' ? FLOW_FIELDS : COUNTER_FIELDS;
    assert.equal(registry[name], def, name);
    assert.ok(fields[name], `${name} has an sflowtool mapping`);
  }
});

test('fixed layouts: encoded sizes agree with hsflowd and sflowtool (XDRSIZ_*)', () => {
  const sizeOf = (def: RecordDef) => encodeValue(def.codec, fc.sample(arbitraryOf(def.codec), 1)[0]).length;
  assert.equal(sizeOf(FLOW_RECORDS.extended_socket_ipv4), 20);
  assert.equal(sizeOf(FLOW_RECORDS.extended_socket_ipv6), 44);
  assert.equal(sizeOf(FLOW_RECORDS.extended_tcp_info), 48);
  assert.equal(sizeOf(FLOW_RECORDS.extended_entities), 16);
  assert.equal(sizeOf(FLOW_RECORDS.extended_egress_queue), 4);
  assert.equal(sizeOf(FLOW_RECORDS.extended_transit), 4);
  assert.equal(sizeOf(FLOW_RECORDS.extended_queue), 4);
  assert.equal(sizeOf(COUNTER_RECORDS.mib2_ip_group), 19 * 4);
  assert.equal(sizeOf(COUNTER_RECORDS.mib2_icmp_group), 25 * 4);
  assert.equal(sizeOf(COUNTER_RECORDS.mib2_tcp_group), 15 * 4);
  assert.equal(sizeOf(COUNTER_RECORDS.mib2_udp_group), 7 * 4);
});

const cpu = {
  loadOne: 1.25,
  loadFive: 0.5,
  loadFifteen: -1,
  procRun: 1,
  procTotal: 390,
  cpuNum: 24,
  cpuSpeed: 1600,
  uptime: 9847737,
  cpuUser: 510972060,
  cpuNice: 25652160,
  cpuSystem: 338493450,
  cpuIdle: 3430538806,
  cpuWio: 10870170,
  cpuIntr: 5333180,
  cpuSintr: 68853580,
  interrupts: 2056220071,
  contexts: 943885190,
};

test('0:2003 host_cpu: the 68-byte record of older agents and the 80-byte one of hsflowd', () => {
  const old = { ...cpu, cpuSteal: undefined, cpuGuest: undefined, cpuGuestNice: undefined };
  assert.equal(encodeValue(host.HostCpu, old).length, 68);
  assert.deepEqual(decodeValue(host.HostCpu, encodeValue(host.HostCpu, old)), old);
  const now = { ...cpu, cpuSteal: 35160, cpuGuest: 0, cpuGuestNice: 0 };
  assert.equal(encodeValue(host.HostCpu, now).length, 80);
  assert.deepEqual(decodeValue(host.HostCpu, encodeValue(host.HostCpu, now)), now);
});

test('0:2106 jvm_statistics: 100 bytes without the file descriptor counts, 108 with (XDRSIZ_JMX_COUNTERS)', () => {
  const v = fc.sample(arbitraryOf(jvm.JvmStatistics), 1)[0] as Record<string, unknown>;
  const without = { ...v, fdOpenCount: undefined, fdMaxCount: undefined };
  assert.equal(encodeValue(jvm.JvmStatistics, without as never).length, 100);
  assert.equal(
    encodeValue(jvm.JvmStatistics, { ...v, fdOpenCount: 3, fdMaxCount: 1024 } as never).length,
    108,
  );
});

test('0:2000 host_descr: the UUID is 16 bytes with no length word, as agents send it', () => {
  const v = {
    hostname: 'vm',
    uuid: Uint8Array.from({ length: 16 }, (_, i) => i),
    machineType: 3,
    osName: 2,
    osRelease: '6.1',
  };
  const b = encodeValue(host.HostDescr, v);
  assert.equal(b.length, 4 + 4 + 16 + 4 + 4 + 4 + 4);
  assert.deepEqual(Uint8Array.from(b.subarray(8, 24)), v.uuid);
});

test('a memcache key that is not UTF-8 stays bytes and re-encodes exactly', () => {
  const v = {
    protocol: 1,
    cmd: 7,
    key: Uint8Array.of(0x6b, 0xff, 0x3a),
    nkeys: 1,
    valueBytes: 0,
    uS: 4,
    status: 8,
  };
  const b = encodeValue(memcache.MemcacheOperation, v);
  assert.deepEqual(decodeValue(memcache.MemcacheOperation, b), v);
});

test('host records inside a counters sample and app records inside a flow sample', () => {
  const d: Datagram = {
    version: 5,
    agentAddress: '192.0.2.1',
    subAgentId: 100000,
    sequenceNumber: 7,
    uptime: 4060,
    samples: [
      {
        name: 'counters_sample_expanded',
        tag: '0:4',
        sequenceNumber: 3,
        sourceIdType: 2,
        sourceIdIndex: 1,
        records: [
          { name: 'host_cpu', tag: '0:2003', value: { ...cpu, cpuSteal: 1, cpuGuest: 2, cpuGuestNice: 3 } },
          { name: 'host_parent', tag: '0:2002', value: { containerType: 2, containerIndex: 1 } },
        ],
      },
      {
        name: 'flow_sample',
        tag: '0:1',
        sequenceNumber: 1,
        sourceIdType: 3,
        sourceIdIndex: 80,
        samplingRate: 2,
        samplePool: 2,
        drops: 0,
        inputFormat: 0,
        inputValue: 0,
        outputFormat: 0,
        outputValue: 0x3fffffff,
        records: [
          {
            name: 'extended_socket_ipv6',
            tag: '0:2101',
            value: { protocol: 6, localIp: 'fd97::1', remoteIp: 'fd97::3', localPort: 80, remotePort: 50057 },
          },
          {
            name: 'app_operation',
            tag: '0:2202',
            value: {
              context: { application: 'payment', operation: 'get.users', attributes: 'id=0&x=y' },
              statusDescr: 'OK',
              reqBytes: 120n,
              respBytes: 4000n,
              uS: 1500,
              status: 8,
            },
          },
        ],
      },
    ],
  };
  assert.deepEqual(decodeDatagram(encodeDatagram(d)), d);
});

function lines(map: FieldMap<never> | undefined, v: unknown): [string, Printable][] {
  const out: [string, Printable][] = [];
  assert.ok(map);
  emit(map, v as never, (n, x) => out.push([n, x]));
  return out;
}

test('sflowtool quirks: memcache keys through its byte-swapped URL encoding', () => {
  assert.equal(sflowtoolKey('user:hot'), 'user%A3hot');
  assert.equal(sflowtoolKey('a b\tc'), 'a+b+c');
  assert.equal(sflowtoolKey('session:5:930'), 'session%A35%A3930');
  assert.equal(sflowtoolKey('k'.repeat(300)), 'k'.repeat(254));
});

test('sflowtool quirks: C float formats round exact ties to even', () => {
  assert.equal(cFixed(0.0625, 3), '0.062');
  assert.equal(cFixed(0.1875, 3), '0.188');
  assert.equal(cFixed(-1, 3), '-1.000');
  assert.equal(cFixed(1e22, 3), '10000000000000000000000.000');
  assert.equal(cFixed(Number.NaN, 3), 'nan');
  assert.equal(percentage(6838), '68.38');
  assert.equal(percentage(-1), 'unknown');
});

test('sflowtool quirks: names and values it prints its own way', () => {
  const status = new Map(
    lines(FLOW_FIELDS.app_operation as never, {
      context: { application: '', operation: '', attributes: '' },
      statusDescr: '',
      reqBytes: 0n,
      respBytes: 0n,
      uS: 0,
      status: 10,
    }),
  );
  assert.equal(status.get('status'), 'UNATHORIZED');
  assert.ok(!status.has('application'), 'empty strings are not printed');
  const http2 = new Map(
    lines(FLOW_FIELDS.http_request as never, {
      method: 2,
      protocol: 1001,
      uri: 'u'.repeat(300),
      host: '',
      referer: '',
      useragent: '',
      xff: '10.0.0.1',
      authuser: '',
      mimeType: '',
      reqBytes: 1n,
      respBytes: 2n,
      uS: 3,
      status: -1,
    }),
  );
  assert.equal(http2.get('http_uri'), 'u'.repeat(254));
  assert.equal(http2.get('http_status'), 4294967295);
  assert.equal(http2.get('http_xff'), '10.0.0.1');
  const tunnel = lines(FLOW_FIELDS.extended_ipv4_tunnel_ingress as never, {
    header: {
      length: 0,
      protocol: 47,
      srcIp: '192.168.0.84',
      dstIp: '192.168.0.83',
      srcPort: 0,
      dstPort: 0,
      tcpFlags: 0,
      tos: 0,
    },
  });
  assert.deepEqual(tunnel.slice(0, 2), [
    ['flowSampleType', 'tunnel_ipv4_in_IPV4'],
    ['tunnel_ipv4_in_sampledPacketSize', 0],
  ]);
  const tcp = new Map(
    lines(FLOW_FIELDS.extended_tcp_info as never, {
      ...(fc.sample(arbitraryOf(hostSflow.ExtendedTcpInfo), 1)[0] as object),
      dirn: 7,
    }),
  );
  assert.equal(tcp.get('tcpinfo_direction'), '<bad value>');
});

test('drop reasons: the spec and sflow_drop.h names; sflowtool misnumbers dev_hdr and tc_egress', () => {
  assert.equal(drops.DROP_REASONS[0], 'net_unreachable');
  assert.equal(drops.DROP_REASONS[258], 'acl');
  assert.equal(drops.DROP_REASONS[303], 'split_horizon');
  assert.equal(drops.DROP_REASONS[332], 'dev_hdr');
  assert.equal(drops.DROP_REASONS[366], 'tc_egress');
  assert.equal(drops.DROP_REASONS[33], undefined);
  assert.equal(sflowtoolDropReason(33), 'dev_hdr');
  assert.equal(sflowtoolDropReason(332), undefined);
  assert.equal(sflowtoolDropReason(259), 'no_buffer_space');
});
