/**
 * Structures the sflow.org registry lists from mailing-list discussions, blog posts and drafts rather than a
 * spec document (https://sflow.org/developers/structures.php); each names its own source.
 */
import { array, enumOf, opaque, string, struct, u32, u64 } from '../schema.js';
import { record } from './define.js';

const REGISTRY = 'https://sflow.org/developers/structures.php';
const QUEUES = 'http://groups.google.com/group/sflow/browse_thread/thread/773d27b17a81600c';
const VLANS = 'https://sflow.org/discussion/sflow-discussion/0199.html';
const TRANSACTIONS = 'https://sflow.org/discussion/sflow-discussion/0282.html';

/** 0:1018 extended_fc (RFC 4625): fc_address is a 24-bit FC address; metric packs route type, protocol, metric */
export const ExtendedFc = struct({ srcMaskLen: u32, dstMaskLen: u32, nextHop: u32, metric: u32 });

/**
 * 0:1019 extended_queue_length: the queue (by index within the port) that took the sampled packet and its
 * length in segments just before the packet was enqueued.
 */
export const ExtendedQueueLength = struct({ queueIndex: u32, queueLength: u32 });

/** 0:1034 extended_vlan_in: ingress 802.1Q TPID/TCI layers as one u32 each, outermost first */
export const ExtendedVlanIn = struct({ stack: array(u32) });

/** 0:1035 extended_vlan_out: egress 802.1Q TPID/TCI layers as one u32 each, outermost first */
export const ExtendedVlanOut = struct({ stack: array(u32) });

/** service_direction */
export const SERVICE_DIRECTIONS = { 1: 'client', 2: 'server' } as const;

/** status_value */
export const TRANSACTION_STATUSES = {
  0: 'succeeded',
  1: 'generic_failure',
  2: 'outofmemory',
  3: 'timeout',
  4: 'notpermitted',
} as const;

/** 0:2000 transaction: the record every application transaction sample starts with (times in microseconds) */
export const Transaction = struct({
  direction: enumOf(SERVICE_DIRECTIONS),
  wait: u32,
  duration: u32,
  status: enumOf(TRANSACTION_STATUSES),
  bytesReceived: u64,
  bytesSend: u64,
});

/** 0:2001 extended_nfs_storage_transaction (RFC 3530): path is UTF-8 but declared opaque; status is nfsstat4 */
export const ExtendedNfsStorageTransaction = struct({ path: opaque(), operation: u32, status: u32 });

/** 0:2002 extended_scsi_storage_transaction: operation 0xFFFFFFFF when unknown */
export const ExtendedScsiStorageTransaction = struct({ lun: u32, operation: u32, status: u32 });

/** 0:2003 extended_http_transaction: url is the HTTP request-line */
export const ExtendedHttpTransaction = struct({
  url: string(),
  host: string(),
  referer: string(),
  useragent: string(),
  user: string(),
  status: u32,
});

/** 0:8 slow_path_counts: packets handled by the CPU instead of the forwarding hardware, by reason */
export const SlowPathCounts = struct({
  unknown: u32,
  other: u32,
  camMiss: u32,
  camFull: u32,
  noHwSupport: u32,
  cntrl: u32,
});

/**
 * 0:11 pfc_counters (IEEE8021-PFC-MIB). Named and laid out as hsflowd sends it and sflowtool reads it
 * (SFLCOUNTERS_PFC): pause duration in microseconds, storm counts from the PFC watchdog.
 */
export const PfcCounters = struct({
  requests: u32,
  indications: u32,
  pauseDuration: u32,
  stormDetected: u32,
  stormRestored: u32,
});

/**
 * 0:1003 queue_length: histogram of the queue length (in segments) each packet found on enqueueing; bucket N
 * counts lengths above the previous bucket and up to N.
 */
export const QueueLength = struct({
  queueIndex: u32,
  segmentSize: u32,
  queueSegments: u32,
  queueLength0: u32,
  queueLength1: u32,
  queueLength2: u32,
  queueLength4: u32,
  queueLength8: u32,
  queueLength32: u32,
  queueLength128: u32,
  queueLength1024: u32,
  queueLengthMore: u32,
  dropped: u32,
});

/** 0:2207 ovs_dp_stats: Open vSwitch datapath statistics (datapath/datapath.h) */
export const OvsDpStats = struct({
  hits: u32,
  misses: u32,
  lost: u32,
  maskHits: u32,
  flows: u32,
  masks: u32,
});

export const flowRecords = {
  extended_fc: record(0, 1018, ExtendedFc, REGISTRY),
  extended_queue_length: record(0, 1019, ExtendedQueueLength, QUEUES),
  extended_vlan_in: record(0, 1034, ExtendedVlanIn, VLANS),
  extended_vlan_out: record(0, 1035, ExtendedVlanOut, VLANS),
  transaction: record(0, 2000, Transaction, TRANSACTIONS),
  extended_nfs_storage_transaction: record(0, 2001, ExtendedNfsStorageTransaction, TRANSACTIONS),
  extended_scsi_storage_transaction: record(0, 2002, ExtendedScsiStorageTransaction, TRANSACTIONS),
  extended_http_transaction: record(0, 2003, ExtendedHttpTransaction, TRANSACTIONS),
};

export const counterRecords = {
  slow_path_counts: record(0, 8, SlowPathCounts, 'https://groups.google.com/g/sflow/c/4JM1_Mmoz7w'),
  pfc_counters: record(0, 11, PfcCounters, 'https://sflow.org/draft_sflow_pfc.txt'),
  queue_length: record(0, 1003, QueueLength, QUEUES),
  ovs_dp_stats: record(
    0,
    2207,
    OvsDpStats,
    'http://blog.sflow.com/2015/01/open-vswitch-performance-monitoring.html',
  ),
};
