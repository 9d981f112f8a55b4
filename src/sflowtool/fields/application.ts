/** sflowtool's names for the structures of records/application.ts (readFlowSample_APP*, readCounters_APP*). */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { putText } from '../format.js';

/** sflowtool's buffers (SFLAPP_MAX_*_LEN); it prints at most one byte less. */
const APPLICATION = 32;
const OPERATION = 32;
const ATTRIBUTES = 255;
const STATUS = 32;
const ACTOR = 64;

/** SFL_APP_STATUS_names, with its misspelt UNATHORIZED. */
const STATUS_NAMES = [
  'SUCCESS',
  'OTHER',
  'TIMEOUT',
  'INTERNAL_ERROR',
  'BAD_REQUEST',
  'FORBIDDEN',
  'TOO_LARGE',
  'NOT_IMPLEMENTED',
  'NOT_FOUND',
  'UNAVAILABLE',
  'UNATHORIZED',
];

export const flowFields: FlowFieldTable = {
  app_operation: (v, put) => {
    put('flowSampleType', 'applicationOperation');
    putText(put, 'application', v.context.application, APPLICATION);
    putText(put, 'operation', v.context.operation, OPERATION);
    putText(put, 'attributes', v.context.attributes, ATTRIBUTES);
    putText(put, 'status_descr', v.statusDescr, STATUS);
    put('request_bytes', v.reqBytes);
    put('response_bytes', v.respBytes);
    put('duration_uS', v.uS);
    put('status', STATUS_NAMES[v.status] ?? `<out-of-range=${v.status}>`);
  },
  app_parent_context: (v, put) => {
    putText(put, 'server_context_application', v.context.application, APPLICATION);
    putText(put, 'server_context_operation', v.context.operation, OPERATION);
    putText(put, 'server_context_attributes', v.context.attributes, ATTRIBUTES);
  },
  app_initiator: (v, put) => putText(put, 'actor_initiator', v.actor, ACTOR),
  app_target: (v, put) => putText(put, 'actor_target', v.actor, ACTOR),
};

export const counterFields: CounterFieldTable = {
  app_operations: (v, put) => {
    putText(put, 'application', v.application, APPLICATION);
    put('status_OK', v.success);
    put('errors_OTHER', v.other);
    put('errors_TIMEOUT', v.timeout);
    put('errors_INTERNAL_ERROR', v.internalError);
    put('errors_BAD_REQUEST', v.badRequest);
    put('errors_FORBIDDEN', v.forbidden);
    put('errors_TOO_LARGE', v.tooLarge);
    put('errors_NOT_IMPLEMENTED', v.notImplemented);
    put('errors_NOT_FOUND', v.notFound);
    put('errors_UNAVAILABLE', v.unavailable);
    put('errors_UNAUTHORIZED', v.unauthorized);
  },
  app_resources: [
    ['user_time', 'userTime'],
    ['system_time', 'systemTime'],
    ['memory_used', 'memUsed'],
    ['memory_max', 'memMax'],
    ['files_open', 'fdOpen'],
    ['files_max', 'fdMax'],
    ['connections_open', 'connOpen'],
    ['connections_max', 'connMax'],
  ],
  app_workers: [
    ['workers_active', 'workersActive'],
    ['workers_idle', 'workersIdle'],
    ['workers_max', 'workersMax'],
    ['requests_delayed', 'reqDelayed'],
    ['requests_dropped', 'reqDropped'],
  ],
  vdi_counters: [
    ['vdi_sessions_current', 'sessionsCurrent'],
    ['vdi_sessions_total', 'sessionsTotal'],
    ['vdi_sessions_duration', 'sessionsDuration'],
    ['vdi_rx_bytes', 'rxBytes'],
    ['vdi_tx_bytes', 'txBytes'],
    ['vdi_rx_packets', 'rxPackets'],
    ['vdi_tx_packets', 'txPackets'],
    ['vdi_rx_packets_lost', 'rxPacketsLost'],
    ['vdi_tx_packets_lost', 'txPacketsLost'],
    ['vdi_rtt_min_ms', 'rttMinMs'],
    ['vdi_rtt_max_ms', 'rttMaxMs'],
    ['vdi_rtt_avg_ms', 'rttAvgMs'],
    ['vdi_audio_rx_bytes', 'audioRxBytes'],
    ['vdi_audio_tx_bytes', 'audioTxBytes'],
    ['vdi_audio_tx_limit', 'audioTxLimit'],
    ['vdi_img_rx_bytes', 'imgRxBytes'],
    ['vdi_img_tx_bytes', 'imgTxBytes'],
    ['vdi_img_frames', 'imgFrames'],
    ['vdi_img_qual_min', 'imgQualMin'],
    ['vdi_img_qual_max', 'imgQualMax'],
    ['vdi_img_qual_avg', 'imgQualAvg'],
    ['vdi_usb_rx_bytes', 'usbRxBytes'],
    ['vdi_usb_tx_bytes', 'usbTxBytes'],
  ],
};
