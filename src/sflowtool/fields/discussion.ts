/**
 * sflowtool's names for the structures of records/discussion.ts. It decodes pfc_counters (readCounters_PFC) and
 * ovs_dp_stats (readCounters_OVSDP); the others are named in its style: `extendedType` first for extended flow
 * records, `flowSampleType` for a transaction, structure prefix and unit on each field.
 */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { text } from '../format.js';

/**
 * 802.1Q layers as sflowtool's vlan_tunnel prints them: the TPID as "0x" and 4 hex digits, then
 * priority.cfi.vlan run straight on (0x8100 with VLAN 10 prints 0x81000.0.10), joined by '-'.
 */
function vlanStack(stack: readonly number[]): string {
  return stack
    .map(
      (l) => `0x${(l >>> 16).toString(16).padStart(4, '0')}${(l >>> 13) & 7}.${(l >>> 12) & 1}.${l & 4095}`,
    )
    .join('-');
}

export const flowFields: FlowFieldTable = {
  extended_fc: [
    ['extendedType', () => 'fc'],
    ['fc_src_mask_len', 'srcMaskLen'],
    ['fc_dst_mask_len', 'dstMaskLen'],
    ['fc_next_hop', 'nextHop'],
    ['fc_metric', 'metric'],
  ],
  extended_queue_length: [
    ['extendedType', () => 'queue_length'],
    ['queue_index', 'queueIndex'],
    ['queue_length', 'queueLength'],
  ],
  extended_vlan_in: (v, put) => {
    if (v.stack.length > 0) put('in_vlan_stack', vlanStack(v.stack));
  },
  extended_vlan_out: (v, put) => {
    if (v.stack.length > 0) put('out_vlan_stack', vlanStack(v.stack));
  },
  transaction: [
    ['flowSampleType', () => 'transaction'],
    ['transaction_direction', 'direction'],
    ['transaction_wait_uS', 'wait'],
    ['transaction_duration_uS', 'duration'],
    ['transaction_status', 'status'],
    ['transaction_bytes_received', 'bytesReceived'],
    ['transaction_bytes_sent', 'bytesSend'],
  ],
  extended_nfs_storage_transaction: (v, put) => {
    put('extendedType', 'nfs_storage_transaction');
    if (v.path.length > 0) put('nfs_path', text(v.path));
    put('nfs_operation', v.operation);
    put('nfs_status', v.status);
  },
  extended_scsi_storage_transaction: [
    ['extendedType', () => 'scsi_storage_transaction'],
    ['scsi_lun', 'lun'],
    ['scsi_operation', 'operation'],
    ['scsi_status', 'status'],
  ],
  extended_http_transaction: (v, put) => {
    put('extendedType', 'http_transaction');
    if (v.url.length > 0) put('http_url', text(v.url));
    if (v.host.length > 0) put('http_host', text(v.host));
    if (v.referer.length > 0) put('http_referrer', text(v.referer));
    if (v.useragent.length > 0) put('http_useragent', text(v.useragent));
    if (v.user.length > 0) put('http_authuser', text(v.user));
    put('http_status', v.status);
  },
};

export const counterFields: CounterFieldTable = {
  slow_path_counts: [
    ['slow_path_unknown', 'unknown'],
    ['slow_path_other', 'other'],
    ['slow_path_cam_miss', 'camMiss'],
    ['slow_path_cam_full', 'camFull'],
    ['slow_path_no_hw_support', 'noHwSupport'],
    ['slow_path_cntrl', 'cntrl'],
  ],
  pfc_counters: [
    ['PFC_requests', 'requests'],
    ['PFC_indications', 'indications'],
    ['PFC_pause_duration', 'pauseDuration'],
    ['PFC_storm_detected', 'stormDetected'],
    ['PFC_storm_restored', 'stormRestored'],
  ],
  queue_length: [
    ['queue_index', 'queueIndex'],
    ['queue_segment_size', 'segmentSize'],
    ['queue_segments', 'queueSegments'],
    ['queue_length_0', 'queueLength0'],
    ['queue_length_1', 'queueLength1'],
    ['queue_length_2', 'queueLength2'],
    ['queue_length_4', 'queueLength4'],
    ['queue_length_8', 'queueLength8'],
    ['queue_length_32', 'queueLength32'],
    ['queue_length_128', 'queueLength128'],
    ['queue_length_1024', 'queueLength1024'],
    ['queue_length_more', 'queueLengthMore'],
    ['queue_dropped', 'dropped'],
  ],
  ovs_dp_stats: [
    ['OVS_dp_hits', 'hits'],
    ['OVS_dp_misses', 'misses'],
    ['OVS_dp_lost', 'lost'],
    ['OVS_dp_mask_hits', 'maskHits'],
    ['OVS_dp_flows', 'flows'],
    ['OVS_dp_masks', 'masks'],
  ],
};
