/** sflowtool's names for the structures of records/memcache.ts (readFlowSample_memcache, readCounters_memcache*). */
import type { XdrString } from '../../xdr/reader.js';
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';
import { text } from '../format.js';

/** SFL_MAX_MEMCACHE_KEY: sflowtool's key buffer; it prints at most 254 bytes of the key. */
const KEY = 255;

/**
 * The key as sflowtool prints it, through its URLEncode: letters and digits as they are, white space as '+',
 * any other byte as '%' and two hex digits, which come out swapped because it reads them as a 16-bit word
 * on a little-endian machine (':' is 0x3A and prints as %A3). For bytes from 0x80 its signed char indexes
 * before its hex table and what it prints is undefined; they are written the same way here.
 */
export function sflowtoolKey(key: XdrString): string {
  let out = '';
  for (const ch of text(key, KEY)) {
    const c = ch.charCodeAt(0);
    if (/[0-9A-Za-z]/.test(ch)) out += ch;
    else if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) out += '+';
    else {
      const hex = c.toString(16).toUpperCase().padStart(2, '0');
      out += `%${hex[1]}${hex[0]}`;
    }
  }
  return out;
}

export const flowFields: FlowFieldTable = {
  memcache_operation: (v, put) => {
    put('flowSampleType', 'memcache');
    put('memcache_op_protocol', v.protocol);
    put('memcache_op_cmd', v.cmd);
    if (v.key.length > 0) put('memcache_op_key', sflowtoolKey(v.key));
    put('memcache_op_nkeys', v.nkeys);
    put('memcache_op_value_bytes', v.valueBytes);
    put('memcache_op_duration_uS', v.uS);
    put('memcache_op_status', v.status);
  },
};

export const counterFields: CounterFieldTable = {
  memcache_counters: [
    ['memcache_cmd_set', 'cmdSet'],
    ['memcache_cmd_touch', 'cmdTouch'],
    ['memcache_cmd_flush', 'cmdFlush'],
    ['memcache_get_hits', 'getHits'],
    ['memcache_get_misses', 'getMisses'],
    ['memcache_delete_hits', 'deleteHits'],
    ['memcache_delete_misses', 'deleteMisses'],
    ['memcache_incr_hits', 'incrHits'],
    ['memcache_incr_misses', 'incrMisses'],
    ['memcache_decr_hits', 'decrHits'],
    ['memcache_decr_misses', 'decrMisses'],
    ['memcache_cas_hits', 'casHits'],
    ['memcache_cas_misses', 'casMisses'],
    ['memcache_cas_badval', 'casBadval'],
    ['memcache_auth_cmds', 'authCmds'],
    ['memcache_auth_errors', 'authErrors'],
    ['memcache_threads', 'threads'],
    ['memcache_conn_yields', 'connYields'],
    ['memcache_listen_disabled_num', 'listenDisabledNum'],
    ['memcache_curr_connections', 'currConnections'],
    ['memcache_rejected_connections', 'rejectedConnections'],
    ['memcache_total_connections', 'totalConnections'],
    ['memcache_connection_structures', 'connectionStructures'],
    ['memcache_evictions', 'evictions'],
    ['memcache_reclaimed', 'reclaimed'],
    ['memcache_curr_items', 'currItems'],
    ['memcache_total_items', 'totalItems'],
    ['memcache_bytes_read', 'bytesRead'],
    ['memcache_bytes_written', 'bytesWritten'],
    ['memcache_bytes', 'bytes'],
    ['memcache_limit_maxbytes', 'limitMaxbytes'],
  ],
  memcached_counters: [
    ['memcache_uptime', 'uptime'],
    ['memcache_rusage_user', 'rusageUser'],
    ['memcache_rusage_system', 'rusageSystem'],
    ['memcache_curr_connections', 'currConnections'],
    ['memcache_total_connections', 'totalConnections'],
    ['memcache_connection_structures', 'connectionStructures'],
    ['memcache_cmd_get', 'cmdGet'],
    ['memcache_cmd_set', 'cmdSet'],
    ['memcache_cmd_flush', 'cmdFlush'],
    ['memcache_get_hits', 'getHits'],
    ['memcache_get_misses', 'getMisses'],
    ['memcache_delete_misses', 'deleteMisses'],
    ['memcache_delete_hits', 'deleteHits'],
    ['memcache_incr_misses', 'incrMisses'],
    ['memcache_incr_hits', 'incrHits'],
    ['memcache_decr_misses', 'decrMisses'],
    ['memcache_decr_hits', 'decrHits'],
    ['memcache_cas_misses', 'casMisses'],
    ['memcache_cas_hits', 'casHits'],
    ['memcache_cas_badval', 'casBadval'],
    ['memcache_auth_cmds', 'authCmds'],
    ['memcache_auth_errors', 'authErrors'],
    ['memcache_bytes_read', 'bytesRead'],
    ['memcache_bytes_written', 'bytesWritten'],
    ['memcache_limit_maxbytes', 'limitMaxbytes'],
    ['memcache_accepting_conns', 'acceptingConns'],
    ['memcache_listen_disabled_num', 'listenDisabledNum'],
    ['memcache_threads', 'threads'],
    ['memcache_conn_yields', 'connYields'],
    ['memcache_bytes', 'bytes'],
    ['memcache_curr_items', 'currItems'],
    ['memcache_total_items', 'totalItems'],
    ['memcache_evictions', 'evictions'],
  ],
};
