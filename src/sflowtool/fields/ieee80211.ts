/**
 * sflowtool's names for the structures of records/ieee80211.ts (readExtendedWifi*, readCounters_80211/radio).
 * sflowtool does not decode extended_80211_aggregation (its reader is compiled out); the lines below for it and
 * for the payload bytes follow its naming.
 */
import { type CounterFieldTable, emit, type FlowFieldTable } from '../field-map.js';
// A cycle: field-names imports this file. Read only while printing a nested record, so field-names must load
// first (importing this file first hits the TDZ).
import { FLOW_FIELDS } from '../field-names.js';
import { dashedHex, macPlain, text } from '../format.js';

/** getString's bufLen for SSIDs (SFL_MAX_SSID_LEN): at most 255 bytes print, and only for a non-empty SSID. */
const SSID_BUFFER = 256;

export const flowFields: FlowFieldTable = {
  // sflowtool reads a sampled_header after cipher_suite here (its own SFLExtended_wifi_payload), not the spec's
  // opaque data<>; the spec's data is printed under header-like names.
  extended_80211_payload: [
    ['cipher_suite', 'ciphersuite'],
    ['payloadLen', (v) => v.data.length],
    ['payloadBytes', (v) => dashedHex(v.data)],
  ],
  extended_80211_rx: (v, put) => {
    if (v.ssid.length > 0) put('rx_SSID', text(v.ssid, SSID_BUFFER));
    put('rx_BSSID', macPlain(v.bssid));
    put('rx_version', v.version);
    put('rx_channel', v.channel);
    put('rx_speed', v.speed);
    put('rx_rsni', v.rsni);
    put('rx_rcpi', v.rcpi);
    put('rx_packet_uS', v.packetDuration);
  },
  extended_80211_tx: (v, put) => {
    if (v.ssid.length > 0) put('tx_SSID', text(v.ssid, SSID_BUFFER));
    put('tx_BSSID', macPlain(v.bssid));
    put('tx_version', v.version);
    put('tx_transmissions', v.transmissions);
    put('tx_packet_uS', v.packetDuration);
    put('tx_retrans_uS', v.retransDuration);
    put('tx_channel', v.channel);
    put('tx_speed', v.speed);
    put('tx_power_mW', v.power);
  },
  extended_80211_aggregation: (v, put) => {
    put('aggregation_num_pdus', v.pdus.length);
    v.pdus.forEach((pdu, i) => {
      put('aggregation_pdu', i);
      for (const rec of pdu.flowRecords) {
        put('flowBlock_tag', rec.tag);
        if (rec.name === 'unknown' || rec.name === 'invalid') continue;
        const map = FLOW_FIELDS[rec.name];
        if (map) emit(map as never, rec.value, put);
      }
    });
  },
};

/** Counters sflowtool prints under their MIB names, as in the spec. */
const same = <K extends string>(...names: K[]) => names.map((n) => [n, n] as const);

export const counterFields: CounterFieldTable = {
  ieee80211_counters: same(
    'dot11TransmittedFragmentCount',
    'dot11MulticastTransmittedFrameCount',
    'dot11FailedCount',
    'dot11RetryCount',
    'dot11MultipleRetryCount',
    'dot11FrameDuplicateCount',
    'dot11RTSSuccessCount',
    'dot11RTSFailureCount',
    'dot11ACKFailureCount',
    'dot11ReceivedFragmentCount',
    'dot11MulticastReceivedFrameCount',
    'dot11FCSErrorCount',
    'dot11TransmittedFrameCount',
    'dot11WEPUndecryptableCount',
    'dot11QoSDiscardedFragmentCount',
    'dot11AssociatedStationCount',
    'dot11QoSCFPollsReceivedCount',
    'dot11QoSCFPollsUnusedCount',
    'dot11QoSCFPollsUnusableCount',
    'dot11QoSCFPollsLostCount',
  ),
  radio_utilization: [
    ['radio_elapsed_time', 'elapsedTime'],
    ['radio_on_channel_time', 'onChannelTime'],
    ['radio_on_channel_busy_time', 'onChannelBusyTime'],
  ],
};
