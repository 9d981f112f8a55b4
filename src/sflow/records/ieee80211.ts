/** Flow and counter records of the 802.11 structures: https://sflow.org/sflow_80211.txt */
import type { FlowRecord } from '../model.js';
import { decodeRecords, encodeRecords } from '../record-list.js';
// A cycle: the registry imports this file. Both are read only while decoding or encoding, so loading works as
// long as the registry (or anything that imports it) loads first; importing this file first hits the TDZ.
import { FLOW_BY_FORMAT, FLOW_RECORDS } from '../registry.js';
import { array, type Codec, enumOf, mac, opaque, string, struct, u32, u64 } from '../schema.js';
import { type RecordDef, record } from './define.js';

const SPEC = 'https://sflow.org/sflow_80211.txt';

/** ieee80211_version */
export const IEEE80211_VERSIONS = { 1: 'a', 2: 'b', 3: 'g', 4: 'n' } as const;

/**
 * 0:1013 extended_80211_payload: the unencrypted payload from the LLC header on. cipher_suite is the 802.11i
 * selector: OUI in the top three bytes, suite type in the lowest (00-0F-AC-04 is CCMP).
 */
export const Extended80211Payload = struct({ ciphersuite: u32, data: opaque() });

/** 0:1014 extended_80211_rx (durations in microseconds, 0 = unknown) */
export const Extended80211Rx = struct({
  ssid: string(32),
  bssid: mac,
  version: enumOf(IEEE80211_VERSIONS),
  channel: u32,
  speed: u64,
  rsni: u32,
  rcpi: u32,
  packetDuration: u32,
});

/** 0:1015 extended_80211_tx (transmissions: 0 unknown, 1 first attempt, n = n - 1 retransmissions) */
export const Extended80211Tx = struct({
  ssid: string(32),
  bssid: mac,
  version: enumOf(IEEE80211_VERSIONS),
  transmissions: u32,
  packetDuration: u32,
  retransDuration: u32,
  channel: u32,
  speed: u64,
  power: u32,
});

/**
 * `flow_record flow_records<>` inside a pdu: the same tagged, length-prefixed records as in a flow sample,
 * decoded through the registry (unknown tags stay bytes, a broken record becomes invalid). The schema language
 * has no primitive for a nested record list, hence this custom codec.
 */
const FlowRecords: Codec<FlowRecord[]> = {
  shape: { kind: 'custom', name: 'flow_record<>' },
  minSize: 4,
  decode: (r) => decodeRecords<FlowRecord>(r, FLOW_BY_FORMAT, 0),
  encode: (w, v) => encodeRecords(w, v, FLOW_RECORDS as Record<string, RecordDef>),
};

/** One PDU of an aggregate: its own flow records, in the simplest case a sampled_header. */
export interface Pdu {
  flowRecords: FlowRecord[];
}

/** pdu (not a registry entry: the element of extended_80211_aggregation) */
export const Pdu: Codec<Pdu> = struct({ flowRecords: FlowRecords });

export interface Extended80211AggregationValue {
  pdus: Pdu[];
}

const pdus = array(Pdu);

/**
 * 0:1016 extended_80211_aggregation: one pdu per PDU of an A-MPDU/A-MSDU. An invalid record inside a pdu is
 * named by its place in the aggregate (`pdu[i]/record[j](tag)`), since the enclosing sample is not known here.
 */
export const Extended80211Aggregation: Codec<Extended80211AggregationValue> = struct({
  pdus: {
    ...pdus,
    decode(r) {
      const list = pdus.decode(r);
      list.forEach((pdu, i) => {
        pdu.flowRecords.forEach((rec, j) => {
          if (rec.name === 'invalid') rec.error.path = `pdu[${i}]/record[${j}](${rec.tag})`;
        });
      });
      return list;
    },
  },
});

/** 0:6 ieee80211_counters (IEEE802dot11-MIB) */
export const Ieee80211Counters = struct({
  dot11TransmittedFragmentCount: u32,
  dot11MulticastTransmittedFrameCount: u32,
  dot11FailedCount: u32,
  dot11RetryCount: u32,
  dot11MultipleRetryCount: u32,
  dot11FrameDuplicateCount: u32,
  dot11RTSSuccessCount: u32,
  dot11RTSFailureCount: u32,
  dot11ACKFailureCount: u32,
  dot11ReceivedFragmentCount: u32,
  dot11MulticastReceivedFrameCount: u32,
  dot11FCSErrorCount: u32,
  dot11TransmittedFrameCount: u32,
  dot11WEPUndecryptableCount: u32,
  dot11QoSDiscardedFragmentCount: u32,
  dot11AssociatedStationCount: u32,
  dot11QoSCFPollsReceivedCount: u32,
  dot11QoSCFPollsUnusedCount: u32,
  dot11QoSCFPollsUnusableCount: u32,
  dot11QoSCFPollsLostCount: u32,
});

/** 0:1002 radio_utilization (milliseconds) */
export const RadioUtilization = struct({ elapsedTime: u32, onChannelTime: u32, onChannelBusyTime: u32 });

export const flowRecords = {
  extended_80211_payload: record(0, 1013, Extended80211Payload, SPEC),
  extended_80211_rx: record(0, 1014, Extended80211Rx, SPEC),
  extended_80211_tx: record(0, 1015, Extended80211Tx, SPEC),
  extended_80211_aggregation: record(0, 1016, Extended80211Aggregation, SPEC),
};

export const counterRecords = {
  ieee80211_counters: record(0, 6, Ieee80211Counters, SPEC),
  radio_utilization: record(0, 1002, RadioUtilization, SPEC),
};
