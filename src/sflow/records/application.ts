/**
 * Structures of the sFlow Application Structures: https://sflow.org/sflow_application.txt
 * The spec's utf8string is `opaque` on the wire, exactly like `string`; it is modelled as string (text, or the
 * bytes when they are not valid UTF-8).
 */
import { enumOf, string, struct, u32, u64 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_application.txt';

/** status (may grow: unknown values are kept) */
export const APP_STATUSES = {
  0: 'SUCCESS',
  1: 'OTHER',
  2: 'TIMEOUT',
  3: 'INTERNAL_ERROR',
  4: 'BAD_REQUEST',
  5: 'FORBIDDEN',
  6: 'TOO_LARGE',
  7: 'NOT_IMPLEMENTED',
  8: 'NOT_FOUND',
  9: 'UNAVAILABLE',
  10: 'UNAUTHORIZED',
} as const;

/**
 * context: hierarchical names with '.' separators, general to specific (mail.smtp, get.customer.name);
 * attributes is an HTTP query string (cc=visa&loc=mobile).
 */
export const Context = struct({ application: string(32), operation: string(32), attributes: string(255) });

/** 0:2202 app_operation (uS is the duration; request and response sizes exclude headers) */
export const AppOperation = struct({
  context: Context,
  statusDescr: string(64),
  reqBytes: u64,
  respBytes: u64,
  uS: u32,
  status: enumOf(APP_STATUSES),
});

/** 0:2203 app_parent_context (the spec's struct is misspelt app_parent_content): the enclosing server operation */
export const AppParentContext = struct({ context: Context });

/** 0:2204 app_initiator: the business-level actor that made the request (customer id, …) */
export const AppInitiator = struct({ actor: string(64) });

/** 0:2205 app_target: the business-level actor the request was aimed at */
export const AppTarget = struct({ actor: string(64) });

/** 0:2202 app_operations: operations counted by status */
export const AppOperations = struct({
  application: string(32),
  success: u32,
  other: u32,
  timeout: u32,
  internalError: u32,
  badRequest: u32,
  forbidden: u32,
  tooLarge: u32,
  notImplemented: u32,
  notFound: u32,
  unavailable: u32,
  unauthorized: u32,
});

/** 0:2203 app_resources (totals over all processes and threads; times in ms, memory in bytes) */
export const AppResources = struct({
  userTime: u32,
  systemTime: u32,
  memUsed: u64,
  memMax: u64,
  fdOpen: u32,
  fdMax: u32,
  connOpen: u32,
  connMax: u32,
});

/** 0:2206 app_workers */
export const AppWorkers = struct({
  workersActive: u32,
  workersIdle: u32,
  workersMax: u32,
  reqDelayed: u32,
  reqDropped: u32,
});

/**
 * 0:2205 vdi_counters: virtual desktop sessions. Not in the registry, nor in any published spec; the layout is
 * that of sflowtool's sflow.h (SFLVdi_counters), whose field names these are. Round-trip times in ms, the
 * summed session duration in s, the audio limit in bits per second, image quality on a 0-100 scale.
 */
export const VdiCounters = struct({
  sessionsCurrent: u32,
  sessionsTotal: u32,
  sessionsDuration: u32,
  rxBytes: u32,
  txBytes: u32,
  rxPackets: u32,
  txPackets: u32,
  rxPacketsLost: u32,
  txPacketsLost: u32,
  rttMinMs: u32,
  rttMaxMs: u32,
  rttAvgMs: u32,
  audioRxBytes: u32,
  audioTxBytes: u32,
  audioTxLimit: u32,
  imgRxBytes: u32,
  imgTxBytes: u32,
  imgFrames: u32,
  imgQualMin: u32,
  imgQualMax: u32,
  imgQualAvg: u32,
  usbRxBytes: u32,
  usbTxBytes: u32,
});

export const flowRecords = {
  app_operation: record(0, 2202, AppOperation, SPEC),
  app_parent_context: record(0, 2203, AppParentContext, SPEC),
  app_initiator: record(0, 2204, AppInitiator, SPEC),
  app_target: record(0, 2205, AppTarget, SPEC),
};

export const counterRecords = {
  app_operations: record(0, 2202, AppOperations, SPEC),
  app_resources: record(0, 2203, AppResources, SPEC),
  vdi_counters: record(0, 2205, VdiCounters, 'https://github.com/sflow/sflowtool/blob/master/src/sflow.h'),
  app_workers: record(0, 2206, AppWorkers, SPEC),
};
