/** sflowtool's names for the structures of records/host-sflow.ts. */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { putText } from '../format.js';

/** SFL_MAX_HW_TRAP_LEN, SFL_MAX_LINUX_REASON_LEN */
const TRAP = 64;
const REASON = 64;

const DIRECTIONS = ['unknown', 'received', 'sent'];

export const flowFields: FlowFieldTable = {
  extended_hw_trap: (v, put) => {
    put('extendedType', 'hw_trap');
    putText(put, 'hw_trap_group', v.group, TRAP);
    putText(put, 'hw_trap_name', v.trap, TRAP);
  },
  extended_linux_drop_reason: (v, put) => {
    put('extendedType', 'linux_reason');
    putText(put, 'linux_drop_reason', v.reason, REASON);
  },
  extended_timestamp: [
    ['extendedType', () => 'timestamp'],
    ['timestamp_nS', 'nanoseconds'],
  ],
  // sflowtool does not decode 0:2208; these names follow its style.
  extended_nav_timing: [
    ['extendedType', () => 'nav_timing'],
    ['nav_type', 'type'],
    ['nav_redirectCount', 'redirectCount'],
    ['nav_navigationStart', 'navigationStart'],
    ['nav_unloadEventStart', 'unloadEventStart'],
    ['nav_unloadEventEnd', 'unloadEventEnd'],
    ['nav_redirectStart', 'redirectStart'],
    ['nav_redirectEnd', 'redirectEnd'],
    ['nav_fetchStart', 'fetchStart'],
    ['nav_domainLookupStart', 'domainLookupStart'],
    ['nav_domainLookupEnd', 'domainLookupEnd'],
    ['nav_connectStart', 'connectStart'],
    ['nav_connectEnd', 'connectEnd'],
    ['nav_secureConnectionStart', 'secureConnectionStart'],
    ['nav_requestStart', 'requestStart'],
    ['nav_responseStart', 'responseStart'],
    ['nav_responseEnd', 'responseEnd'],
    ['nav_domLoading', 'domLoading'],
    ['nav_domInteractive', 'domInteractive'],
    ['nav_domContentLoadedEventStart', 'domContentLoadedEventStart'],
    ['nav_domContentLoadedEventEnd', 'domContentLoadedEventEnd'],
    ['nav_domComplete', 'domComplete'],
    ['nav_loadEventStart', 'loadEventStart'],
    ['nav_loadEventEnd', 'loadEventEnd'],
  ],
  // No extendedType line: sflowtool prints none for 0:2209.
  extended_tcp_info: [
    ['tcpinfo_direction', (v) => DIRECTIONS[v.dirn] ?? '<bad value>'],
    ['tcpinfo_send_mss', 'sndMss'],
    ['tcpinfo_receive_mss', 'rcvMss'],
    ['tcpinfo_unacked_pkts', 'unacked'],
    ['tcpinfo_lost_pkts', 'lost'],
    ['tcpinfo_retrans_pkts', 'retrans'],
    ['tcpinfo_path_mtu', 'pmtu'],
    ['tcpinfo_rtt_uS', 'rtt'],
    ['tcpinfo_rtt_uS_var', 'rttvar'],
    ['tcpinfo_send_congestion_win', 'sndCwnd'],
    ['tcpinfo_reordering', 'reordering'],
    ['tcpinfo_rtt_uS_min', 'minRtt'],
  ],
  extended_entities: [
    ['extendedType', () => 'entities'],
    ['entities_src_class', (v) => v.srcDs.sourceIdType],
    ['entities_src_index', (v) => v.srcDs.sourceIdIndex],
    ['entities_dst_class', (v) => v.dstDs.sourceIdType],
    ['entities_dst_index', (v) => v.dstDs.sourceIdIndex],
  ],
};

export const counterFields: CounterFieldTable = {};
