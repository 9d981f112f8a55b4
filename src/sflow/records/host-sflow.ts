/**
 * Flow records that the Host sFlow agent (hsflowd) sends beyond the published spec documents. Their
 * definitions are hsflowd's sflow.h and the sflow list and blog posts that introduced them.
 */
import { enumOf, string, struct, u32, u64 } from '../schema.js';
import { record } from './define.js';

const HSFLOWD = 'https://github.com/sflow/host-sflow/blob/master/src/sflow/sflow.h';

/** 0:1041 extended_hw_trap: the devlink trap group and trap name of a dropped packet */
export const ExtendedHwTrap = struct({ group: string(), trap: string() });

/** 0:1042 extended_linux_drop_reason: Linux's drop_monitor reason (an skb_drop_reason name) */
export const ExtendedLinuxDropReason = struct({ reason: string() });

/** 0:1043 extended_timestamp: when the packet was sampled, in ns since the UNIX epoch (UTC) */
export const ExtendedTimestamp = struct({ nanoseconds: u64 });

/**
 * 0:2208 extended_nav_timing: W3C Navigation Timing of a page load, reported from the browser. Times in ms,
 * shifted so that the smallest is 1; 0 means the event did not fire.
 */
export const ExtendedNavTiming = struct({
  type: u32,
  redirectCount: u32,
  navigationStart: u32,
  unloadEventStart: u32,
  unloadEventEnd: u32,
  redirectStart: u32,
  redirectEnd: u32,
  fetchStart: u32,
  domainLookupStart: u32,
  domainLookupEnd: u32,
  connectStart: u32,
  connectEnd: u32,
  secureConnectionStart: u32,
  requestStart: u32,
  responseStart: u32,
  responseEnd: u32,
  domLoading: u32,
  domInteractive: u32,
  domContentLoadedEventStart: u32,
  domContentLoadedEventEnd: u32,
  domComplete: u32,
  loadEventStart: u32,
  loadEventEnd: u32,
});

/** packet_direction of extended_tcp_info */
export const PACKET_DIRECTIONS = { 0: 'unknown', 1: 'received', 2: 'sent' } as const;

/**
 * 0:2209 extended_tcp_info: state of the socket the sampled packet belongs to, from Linux's struct tcp_info
 * (RTTs in microseconds). Field names are those of hsflowd's SFLExtended_TCP_info.
 */
export const ExtendedTcpInfo = struct({
  dirn: enumOf(PACKET_DIRECTIONS),
  sndMss: u32,
  rcvMss: u32,
  unacked: u32,
  lost: u32,
  retrans: u32,
  pmtu: u32,
  rtt: u32,
  rttvar: u32,
  sndCwnd: u32,
  reordering: u32,
  minRtt: u32,
});

/** sflow_data_source_expanded (core spec), as the entities record uses it */
export const DataSourceExpanded = struct({ sourceIdType: u32, sourceIdIndex: u32 });

/**
 * 0:2210 extended_entities: the data sources (e.g. systemd services) that sent and received the packet;
 * all zeroes when unknown.
 */
export const ExtendedEntities = struct({ srcDs: DataSourceExpanded, dstDs: DataSourceExpanded });

export const flowRecords = {
  extended_hw_trap: record(0, 1041, ExtendedHwTrap, HSFLOWD),
  extended_linux_drop_reason: record(0, 1042, ExtendedLinuxDropReason, HSFLOWD),
  extended_timestamp: record(0, 1043, ExtendedTimestamp, HSFLOWD),
  extended_nav_timing: record(0, 2208, ExtendedNavTiming, 'https://groups.google.com/g/sflow/c/FKzkvig32Tk'),
  extended_tcp_info: record(0, 2209, ExtendedTcpInfo, HSFLOWD),
  extended_entities: record(
    0,
    2210,
    ExtendedEntities,
    'https://blog.sflow.com/2018/10/systemd-traffic-marking.html',
  ),
};

export const counterRecords = {};
