/**
 * encode → decode round trips for the structures of ieee80211, openflow, lag, optics, infiniband, broadcom,
 * nvml, sensors and discussion; the nested flow records of extended_80211_aggregation get their own cases.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeValue, encodeValue } from '../../../test/support/codec-bytes.js';
import { arbitraryOf } from '../../../test/support/sflow-arbitrary.js';
import { emit, type FieldMap, type Printable } from '../../sflowtool/field-map.js';
import { COUNTER_FIELDS, FLOW_FIELDS } from '../../sflowtool/field-names.js';
import { XdrWriter } from '../../xdr/writer.js';
import { decodeDatagram, encodeDatagram } from '../datagram.js';
import type { Datagram, FlowRecord } from '../model.js';
// The registry first: records/ieee80211.ts reads it (a cycle), so it must not be the first of the two to load.
import { COUNTER_RECORDS, FLOW_RECORDS } from '../registry.js';
import type { Codec } from '../schema.js';
import * as broadcom from './broadcom.js';
import type { RecordDef } from './define.js';
import * as discussion from './discussion.js';
import * as ieee80211 from './ieee80211.js';
import * as infiniband from './infiniband.js';
import * as lag from './lag.js';
import * as nvml from './nvml.js';
import * as openflow from './openflow.js';
import * as optics from './optics.js';
import * as sensors from './sensors.js';

const DOCUMENTS = { ieee80211, openflow, lag, optics, infiniband, broadcom, nvml, sensors, discussion };

const ours = Object.values(DOCUMENTS).flatMap((d) => [
  ...Object.entries(d.flowRecords as Record<string, RecordDef>),
  ...Object.entries(d.counterRecords as Record<string, RecordDef>),
]);

test('the registry holds every structure of these documents', () => {
  assert.equal(ours.length, 36);
  for (const [name, def] of ours) {
    const entry = { ...FLOW_RECORDS, ...COUNTER_RECORDS }[name as keyof typeof FLOW_RECORDS];
    assert.equal(entry, def, name);
  }
});

test('fixed layouts: encoded sizes agree with hsflowd (XDRSIZ_LACP_COUNTERS, _BCM_TABLES, _PFC_COUNTERS)', () => {
  const sizeOf = (def: RecordDef) => encodeValue(def.codec, fc.sample(arbitraryOf(def.codec), 1)[0]).length;
  assert.equal(sizeOf(COUNTER_RECORDS.lag_port_stats), 56);
  assert.equal(sizeOf(COUNTER_RECORDS.hw_tables), 144);
  assert.equal(sizeOf(COUNTER_RECORDS.pfc_counters), 20);
  // From the spec text alone.
  assert.equal(sizeOf(COUNTER_RECORDS.ieee80211_counters), 80);
  assert.equal(sizeOf(COUNTER_RECORDS.nvidia_gpu), 48);
  assert.equal(sizeOf(COUNTER_RECORDS.ib_counters), 64);
});

const rx: FlowRecord = {
  name: 'extended_80211_rx',
  tag: '0:1014',
  value: {
    ssid: 'lab',
    bssid: '00:11:22:33:44:55',
    version: 4,
    channel: 36,
    speed: 300000000n,
    rsni: 30,
    rcpi: 120,
    packetDuration: 52,
  },
};
const header: FlowRecord = {
  name: 'sampled_header',
  tag: '0:1',
  value: { protocol: 15, frameLength: 1500, stripped: 4, header: Uint8Array.of(8, 2, 0, 0) },
};
const unknown: FlowRecord = { name: 'unknown', tag: '0:4000', bytes: Uint8Array.of(1, 2, 3, 4) };

test('0:1016 extended_80211_aggregation: pdus carry flow records, known and unknown', () => {
  const v = {
    pdus: [{ flowRecords: [header, rx] }, { flowRecords: [header, unknown] }, { flowRecords: [] }],
  };
  const codec = ieee80211.Extended80211Aggregation;
  assert.deepEqual(decodeValue(codec, encodeValue(codec, v)), v);
});

test('0:1016 extended_80211_aggregation: generated pdus round-trip', () => {
  const recordOf = (name: 'extended_80211_rx' | 'extended_80211_tx' | 'sampled_header') =>
    arbitraryOf(FLOW_RECORDS[name].codec as Codec<unknown>).map(
      (value) => ({ name, tag: FLOW_RECORDS[name].tag, value }) as FlowRecord,
    );
  const unknownRecord = fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 255 }))
    .map(
      ([words, b]) =>
        ({ name: 'unknown', tag: '4:5', bytes: new Uint8Array(words * 4).fill(b) }) as FlowRecord,
    );
  const records = fc.oneof(
    recordOf('extended_80211_rx'),
    recordOf('extended_80211_tx'),
    recordOf('sampled_header'),
    unknownRecord,
  );
  const pdu = fc.array(records, { maxLength: 3 }).map((flowRecords) => ({ flowRecords }));
  const value = fc.array(pdu, { maxLength: 3 }).map((pdus) => ({ pdus }));
  fc.assert(
    fc.property(value, (v) => {
      const codec = ieee80211.Extended80211Aggregation;
      assert.deepEqual(decodeValue(codec, encodeValue(codec, v)), v);
    }),
    { numRuns: 100 },
  );
});

test('0:1016 extended_80211_aggregation: a broken nested record is invalid, named by its pdu', () => {
  const w = new XdrWriter();
  w.u32(1); // pdus
  w.u32(2); // flow records in pdu[0]
  w.u32(1014); // extended_80211_rx, cut short
  w.u32(4);
  w.u32(0);
  w.u32(1999); // an unassigned tag: kept as bytes
  w.u32(4);
  w.u32(7);
  const bytes = w.toBytes();
  const v = decodeValue(ieee80211.Extended80211Aggregation, bytes);
  const [broken, kept] = v.pdus[0].flowRecords;
  assert.equal(broken.name, 'invalid');
  assert.equal(broken.name === 'invalid' && broken.error.path, 'pdu[0]/record[0](0:1014)');
  assert.equal(kept.name, 'unknown');
  assert.deepEqual(encodeValue(ieee80211.Extended80211Aggregation, v), bytes);
});

test('0:1016 extended_80211_aggregation: a nested record with non-zero padding re-encodes exactly', () => {
  const w = new XdrWriter();
  w.u32(1); // pdus
  w.u32(1); // flow records in pdu[0]
  w.u32(1); // sampled_header
  w.u32(20);
  w.u32(1);
  w.u32(64);
  w.u32(0);
  w.u32(3);
  w.raw(Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd)); // three header bytes, then padding that is not zero
  const bytes = w.toBytes();
  const v = decodeValue(ieee80211.Extended80211Aggregation, bytes);
  const [rec] = v.pdus[0].flowRecords;
  assert.equal(rec.name, 'sampled_header');
  assert.ok('raw' in rec && rec.raw);
  assert.deepEqual(encodeValue(ieee80211.Extended80211Aggregation, v), bytes);
});

test('0:1016 extended_80211_aggregation inside a datagram', () => {
  const d: Datagram = {
    version: 5,
    agentAddress: '192.0.2.1',
    subAgentId: 0,
    sequenceNumber: 1,
    uptime: 1000,
    samples: [
      {
        name: 'flow_sample',
        tag: '0:1',
        sequenceNumber: 1,
        sourceIdType: 0,
        sourceIdIndex: 3,
        samplingRate: 64,
        samplePool: 640,
        drops: 0,
        inputFormat: 0,
        inputValue: 3,
        outputFormat: 0,
        outputValue: 0,
        records: [
          header,
          rx,
          { name: 'extended_80211_aggregation', tag: '0:1016', value: { pdus: [{ flowRecords: [header] }] } },
        ],
      },
    ],
  };
  const bytes = encodeDatagram(d);
  assert.deepEqual(decodeDatagram(bytes), d);
});

function lines(map: FieldMap<never> | undefined, v: unknown): [string, Printable][] {
  const out: [string, Printable][] = [];
  assert.ok(map);
  emit(map, v as never, (n, x) => out.push([n, x]));
  return out;
}

test('sflowtool names: sfp lanes as sflowtool 6.11 prints them, temperature unsigned', () => {
  const lane = (index: number) => ({
    index,
    txBiasCurrent: 1,
    txPower: 2,
    txPowerMin: 3,
    txPowerMax: 4,
    txWavelength: 5,
    rxPower: 6,
    rxPowerMin: 7,
    rxPowerMax: 8,
    rxWavelength: 9,
  });
  const v = {
    moduleId: 1,
    moduleNumLanes: 4,
    moduleSupplyVoltage: 3300,
    moduleTemperature: -2,
    lanes: [lane(1), lane(2)],
  };
  const out = new Map(lines(COUNTER_FIELDS.sfp as never, v));
  assert.equal(out.get('sfp_module_temperature'), 4294967294);
  assert.equal(out.get('sfp_module_active_lanes'), 2);
  assert.equal(out.get('sfp_lane_index.1'), 2);
  assert.equal(out.get('sfp_lane_tx_power_uW.%u.0'), 2);
  assert.equal(out.get('sfp_lane_rx_wavelength_nM.%u.1'), 9);
});

test('sflowtool names: nested records of an aggregation print under their own names', () => {
  const v = { pdus: [{ flowRecords: [rx, unknown] }] };
  const out = lines(FLOW_FIELDS.extended_80211_aggregation as never, v);
  assert.deepEqual(out.slice(0, 5), [
    ['aggregation_num_pdus', 1],
    ['aggregation_pdu', 0],
    ['flowBlock_tag', '0:1014'],
    ['rx_SSID', 'lab'],
    ['rx_BSSID', '001122334455'],
  ]);
  assert.deepEqual(out.at(-1), ['flowBlock_tag', '0:4000']);
});
