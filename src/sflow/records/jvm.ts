/** Counter records of the sFlow Java Virtual Machine Structures: https://sflow.org/sflow_jvm.txt */
import { optional, string, struct, u32, u64 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_jvm.txt';

/** 0:2105 jvm_runtime (RuntimeMXBean) */
export const JvmRuntime = struct({ vmName: string(64), vmVendor: string(32), vmVersion: string(32) });

/**
 * 0:2106 jvm_statistics (MemoryMXBean, GarbageCollectorMXBean, ClassLoadingMXBean, CompilationMXBean,
 * ThreadMXBean; times in ms). sflowtool reads the two file descriptor counts (UnixOperatingSystemMXBean) only
 * when the record is longer than 100 bytes, so agents may leave them out: trailing optional fields here.
 */
export const JvmStatistics = struct({
  heapInitial: u64,
  heapUsed: u64,
  heapCommitted: u64,
  heapMax: u64,
  nonHeapInitial: u64,
  nonHeapUsed: u64,
  nonHeapCommitted: u64,
  nonHeapMax: u64,
  gcCount: u32,
  gcTime: u32,
  classesLoaded: u32,
  classesTotal: u32,
  classesUnloaded: u32,
  compilationTime: u32,
  threadNumLive: u32,
  threadNumDaemon: u32,
  threadNumStarted: u32,
  fdOpenCount: optional(u32),
  fdMaxCount: optional(u32),
});

export const flowRecords = {};

export const counterRecords = {
  jvm_runtime: record(0, 2105, JvmRuntime, SPEC),
  jvm_statistics: record(0, 2106, JvmStatistics, SPEC),
};
