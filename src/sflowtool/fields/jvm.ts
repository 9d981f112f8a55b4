/** sflowtool's names for the structures of records/jvm.ts (readCounters_JVM, readCounters_JMX). */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { putText } from '../format.js';

export const flowFields: FlowFieldTable = {};

export const counterFields: CounterFieldTable = {
  jvm_runtime: (v, put) => {
    // SFLJVM_MAX_*_LEN buffers
    putText(put, 'jvm_name', v.vmName, 64);
    putText(put, 'jvm_vendor', v.vmVendor, 32);
    putText(put, 'jvm_version', v.vmVersion, 32);
  },
  jvm_statistics: (v, put) => {
    put('heap_mem_initial', v.heapInitial);
    put('heap_mem_used', v.heapUsed);
    put('heap_mem_committed', v.heapCommitted);
    put('heap_mem_max', v.heapMax);
    put('non_heap_mem_initial', v.nonHeapInitial);
    put('non_heap_mem_used', v.nonHeapUsed);
    put('non_heap_mem_committed', v.nonHeapCommitted);
    put('non_heap_mem_max', v.nonHeapMax);
    put('gc_count', v.gcCount);
    put('gc_mS', v.gcTime);
    put('classes_loaded', v.classesLoaded);
    put('classes_total', v.classesTotal);
    put('classes_unloaded', v.classesUnloaded);
    put('compilation_mS', v.compilationTime);
    put('threads_live', v.threadNumLive);
    put('threads_daemon', v.threadNumDaemon);
    put('threads_started', v.threadNumStarted);
    if (v.fdOpenCount !== undefined) put('fds_open', v.fdOpenCount);
    if (v.fdMaxCount !== undefined) put('fds_max', v.fdMaxCount);
  },
};
