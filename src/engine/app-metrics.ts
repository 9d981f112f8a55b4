/**
 * Metrics of application counters, with sFlow-RT's names: HTTP (https://sflow.org/sflow_http.txt) as mod-sflow
 * and nginx-sflow send it, the generic application structures (https://sflow.org/sflow_application.txt),
 * memcache (https://sflow.org/sflow_memcache.txt) and Java virtual machines (https://sflow.org/sflow_jvm.txt).
 * Request and operation counts become rates per second; docs/metrics.md gives each name's source and unit.
 */
import type { CounterRecordName, CounterRecordValue } from '../sflow/registry.js';
import { num, percent, put, type RecordMetrics } from './counter-rules.js';

type Spec<N extends CounterRecordName> = RecordMetrics<CounterRecordValue<N>>;

const HTTP_METHODS = [
  ['http_method_option', 'methodOptionCount', 'counter'],
  ['http_method_get', 'methodGetCount', 'counter'],
  ['http_method_head', 'methodHeadCount', 'counter'],
  ['http_method_post', 'methodPostCount', 'counter'],
  ['http_method_put', 'methodPutCount', 'counter'],
  ['http_method_delete', 'methodDeleteCount', 'counter'],
  ['http_method_trace', 'methodTraceCount', 'counter'],
  ['http_method_connect', 'methodConnectCount', 'counter'],
  ['http_method_other', 'methodOtherCount', 'counter'],
] as const;

const httpCounters: Spec<'http_counters'> = {
  rules: [
    ...HTTP_METHODS,
    ['http_status_1xx', 'status1XXCount', 'counter'],
    ['http_status_2xx', 'status2XXCount', 'counter'],
    ['http_status_3xx', 'status3XXCount', 'counter'],
    ['http_status_4xx', 'status4XXCount', 'counter'],
    ['http_status_5xx', 'status5XXCount', 'counter'],
    ['http_status_other', 'statusOtherCount', 'counter'],
  ],
  derived: ['http_requests'],
  derive: (m) => {
    // Every request has exactly one method: their sum is the request rate.
    const rates = HTTP_METHODS.map(([name]) => num(m, name));
    if (rates.every((r) => r !== undefined)) m.http_requests = rates.reduce((s, r) => s + r, 0);
  },
};

const appWorkers: Spec<'app_workers'> = {
  rules: [
    ['workers_active', 'workersActive', 'gauge'],
    ['workers_idle', 'workersIdle', 'gauge'],
    ['workers_max', 'workersMax', 'gauge'],
    ['req_delayed', 'reqDelayed', 'counter'],
    ['req_dropped', 'reqDropped', 'counter'],
  ],
  derived: ['workers_utilization'],
  derive: (m) => put(m, 'workers_utilization', percent(num(m, 'workers_active'), num(m, 'workers_max'))),
};

const appOperations: Spec<'app_operations'> = {
  rules: [
    ['app_name', 'application', 'text'],
    ['app_success', 'success', 'counter'],
    ['app_other', 'other', 'counter'],
    ['app_timeout', 'timeout', 'counter'],
    ['app_internal_error', 'internalError', 'counter'],
    ['app_bad_request', 'badRequest', 'counter'],
    ['app_forbidden', 'forbidden', 'counter'],
    ['app_too_large', 'tooLarge', 'counter'],
    ['app_not_implemented', 'notImplemented', 'counter'],
    ['app_not_found', 'notFound', 'counter'],
    ['app_unavailable', 'unavailable', 'counter'],
    ['app_unauthorized', 'unauthorized', 'counter'],
  ],
};

const appResources: Spec<'app_resources'> = {
  rules: [
    ['app_usertime', 'userTime', 'time'],
    ['app_systemtime', 'systemTime', 'time'],
    ['app_mem_used', 'memUsed', 'gauge'],
    ['app_mem_max', 'memMax', 'gauge'],
    ['app_fd_open', 'fdOpen', 'gauge'],
    ['app_fd_max', 'fdMax', 'gauge'],
    ['app_conn_open', 'connOpen', 'gauge'],
    ['app_conn_max', 'connMax', 'gauge'],
  ],
};

const memcacheCounters: Spec<'memcache_counters'> = {
  rules: [
    ['memcache_cmd_set', 'cmdSet', 'counter'],
    ['memcache_cmd_touch', 'cmdTouch', 'counter'],
    ['memcache_cmd_flush', 'cmdFlush', 'counter'],
    ['memcache_get_hits', 'getHits', 'counter'],
    ['memcache_get_misses', 'getMisses', 'counter'],
    ['memcache_delete_hits', 'deleteHits', 'counter'],
    ['memcache_delete_misses', 'deleteMisses', 'counter'],
    ['memcache_incr_hits', 'incrHits', 'counter'],
    ['memcache_incr_misses', 'incrMisses', 'counter'],
    ['memcache_decr_hits', 'decrHits', 'counter'],
    ['memcache_decr_misses', 'decrMisses', 'counter'],
    ['memcache_cas_hits', 'casHits', 'counter'],
    ['memcache_cas_misses', 'casMisses', 'counter'],
    ['memcache_cas_badval', 'casBadval', 'counter'],
    ['memcache_auth_cmds', 'authCmds', 'counter'],
    ['memcache_auth_errors', 'authErrors', 'counter'],
    ['memcache_threads', 'threads', 'gauge'],
    ['memcache_conn_yields', 'connYields', 'counter'],
    ['memcache_listen_disabled_num', 'listenDisabledNum', 'counter'],
    ['memcache_curr_connections', 'currConnections', 'gauge'],
    ['memcache_rejected_connections', 'rejectedConnections', 'counter'],
    ['memcache_total_connections', 'totalConnections', 'counter'],
    ['memcache_connection_structures', 'connectionStructures', 'gauge'],
    ['memcache_evictions', 'evictions', 'counter'],
    ['memcache_reclaimed', 'reclaimed', 'counter'],
    ['memcache_curr_items', 'currItems', 'gauge'],
    ['memcache_total_items', 'totalItems', 'counter'],
    ['memcache_bytes_read', 'bytesRead', 'counter'],
    ['memcache_bytes_written', 'bytesWritten', 'counter'],
    ['memcache_bytes', 'bytes', 'gauge'],
    ['memcache_limit_maxbytes', 'limitMaxbytes', 'gauge'],
  ],
};

const jvmRuntime: Spec<'jvm_runtime'> = {
  rules: [
    ['jvm_name', 'vmName', 'text'],
    ['jvm_vendor', 'vmVendor', 'text'],
    ['jvm_version', 'vmVersion', 'text'],
  ],
};

const jvmStatistics: Spec<'jvm_statistics'> = {
  rules: [
    ['jvm_heap_initial', 'heapInitial', 'gauge'],
    ['jvm_heap_used', 'heapUsed', 'gauge'],
    ['jvm_heap_committed', 'heapCommitted', 'gauge'],
    ['jvm_heap_max', 'heapMax', 'gauge'],
    ['jvm_non_heap_initial', 'nonHeapInitial', 'gauge'],
    ['jvm_non_heap_used', 'nonHeapUsed', 'gauge'],
    ['jvm_non_heap_committed', 'nonHeapCommitted', 'gauge'],
    ['jvm_non_heap_max', 'nonHeapMax', 'gauge'],
    ['jvm_gc_count', 'gcCount', 'counter'],
    ['jvm_gc_time', 'gcTime', 'time'],
    ['jvm_classes_loaded', 'classesLoaded', 'gauge'],
    ['jvm_classes_total', 'classesTotal', 'counter'],
    ['jvm_classes_unloaded', 'classesUnloaded', 'counter'],
    ['jvm_compilation_time', 'compilationTime', 'time'],
    ['jvm_thread_live', 'threadNumLive', 'gauge'],
    ['jvm_thread_daemon', 'threadNumDaemon', 'gauge'],
    ['jvm_thread_started', 'threadNumStarted', 'counter'],
    ['jvm_fds_open', 'fdOpenCount', 'gauge'],
    ['jvm_fds_max', 'fdMaxCount', 'gauge'],
  ],
};

export const APP_METRICS = {
  http_counters: httpCounters,
  app_workers: appWorkers,
  app_operations: appOperations,
  app_resources: appResources,
  memcache_counters: memcacheCounters,
  jvm_runtime: jvmRuntime,
  jvm_statistics: jvmStatistics,
};
