/** Structures of the sFlow Memcache Structures: https://sflow.org/sflow_memcache.txt */
import { enumOf, string, struct, u32, u64 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_memcache.txt';

/** memcache_protocol */
export const MEMCACHE_PROTOCOLS = { 0: 'OTHER', 1: 'ASCII', 2: 'BINARY' } as const;

/** memcache_cmd */
export const MEMCACHE_COMMANDS = {
  0: 'OTHER',
  1: 'SET',
  2: 'ADD',
  3: 'REPLACE',
  4: 'APPEND',
  5: 'PREPEND',
  6: 'CAS',
  7: 'GET',
  8: 'GETS',
  9: 'INCR',
  10: 'DECR',
  11: 'DELETE',
  12: 'STATS',
  13: 'FLUSH',
  14: 'VERSION',
  15: 'QUIT',
  16: 'TOUCH',
} as const;

/** memcache_status */
export const MEMCACHE_STATUSES = {
  0: 'UNKNOWN',
  1: 'OK',
  2: 'ERROR',
  3: 'CLIENT_ERROR',
  4: 'SERVER_ERROR',
  5: 'STORED',
  6: 'NOT_STORED',
  7: 'EXISTS',
  8: 'NOT_FOUND',
  9: 'DELETED',
} as const;

/** 0:2200 memcache_operation (uS is the duration; nkeys counts the sampled key too) */
export const MemcacheOperation = struct({
  protocol: enumOf(MEMCACHE_PROTOCOLS),
  cmd: enumOf(MEMCACHE_COMMANDS),
  key: string(255),
  nkeys: u32,
  valueBytes: u32,
  uS: u32,
  status: enumOf(MEMCACHE_STATUSES),
});

/** 0:2204 memcache_counters (see memcached's protocol.txt for each statistic) */
export const MemcacheCounters = struct({
  cmdSet: u32,
  cmdTouch: u32,
  cmdFlush: u32,
  getHits: u32,
  getMisses: u32,
  deleteHits: u32,
  deleteMisses: u32,
  incrHits: u32,
  incrMisses: u32,
  decrHits: u32,
  decrMisses: u32,
  casHits: u32,
  casMisses: u32,
  casBadval: u32,
  authCmds: u32,
  authErrors: u32,
  threads: u32,
  connYields: u32,
  listenDisabledNum: u32,
  currConnections: u32,
  rejectedConnections: u32,
  totalConnections: u32,
  connectionStructures: u32,
  evictions: u32,
  reclaimed: u32,
  currItems: u32,
  totalItems: u32,
  bytesRead: u64,
  bytesWritten: u64,
  bytes: u64,
  limitMaxbytes: u64,
});

/**
 * 0:2200 memcached_counters (deprecated): the first proposal, on the sflow list
 * (https://groups.google.com/g/sflow/c/KDk_QrxCSJI); rusage times in ms, uptime in seconds.
 */
export const MemcachedCounters = struct({
  uptime: u32,
  rusageUser: u32,
  rusageSystem: u32,
  currConnections: u32,
  totalConnections: u32,
  connectionStructures: u32,
  cmdGet: u32,
  cmdSet: u32,
  cmdFlush: u32,
  getHits: u32,
  getMisses: u32,
  deleteMisses: u32,
  deleteHits: u32,
  incrMisses: u32,
  incrHits: u32,
  decrMisses: u32,
  decrHits: u32,
  casMisses: u32,
  casHits: u32,
  casBadval: u32,
  authCmds: u32,
  authErrors: u32,
  bytesRead: u64,
  bytesWritten: u64,
  limitMaxbytes: u32,
  acceptingConns: u32,
  listenDisabledNum: u32,
  threads: u32,
  connYields: u32,
  bytes: u64,
  currItems: u32,
  totalItems: u32,
  evictions: u32,
});

export const flowRecords = {
  memcache_operation: record(0, 2200, MemcacheOperation, SPEC),
};

export const counterRecords = {
  memcached_counters: record(0, 2200, MemcachedCounters, 'https://groups.google.com/g/sflow/c/KDk_QrxCSJI'),
  memcache_counters: record(0, 2204, MemcacheCounters, SPEC),
};
