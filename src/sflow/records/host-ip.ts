/**
 * Counter records of the sFlow Host TCP/IP Counters: https://sflow.org/sflow_host_ip.txt
 * Field names are those of the MIB-II objects (RFC 1213); the checksum error counters come from Linux's
 * /proc/net/snmp (InCsumErrors).
 */
import { struct, u32 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_host_ip.txt';

/** 0:2007 mib2_ip_group */
export const Mib2IpGroup = struct({
  ipForwarding: u32,
  ipDefaultTTL: u32,
  ipInReceives: u32,
  ipInHdrErrors: u32,
  ipInAddrErrors: u32,
  ipForwDatagrams: u32,
  ipInUnknownProtos: u32,
  ipInDiscards: u32,
  ipInDelivers: u32,
  ipOutRequests: u32,
  ipOutDiscards: u32,
  ipOutNoRoutes: u32,
  ipReasmTimeout: u32,
  ipReasmReqds: u32,
  ipReasmOKs: u32,
  ipReasmFails: u32,
  ipFragOKs: u32,
  ipFragFails: u32,
  ipFragCreates: u32,
});

/** 0:2008 mib2_icmp_group */
export const Mib2IcmpGroup = struct({
  icmpInMsgs: u32,
  icmpInErrors: u32,
  icmpInDestUnreachs: u32,
  icmpInTimeExcds: u32,
  icmpInParamProbs: u32,
  icmpInSrcQuenchs: u32,
  icmpInRedirects: u32,
  icmpInEchos: u32,
  icmpInEchoReps: u32,
  icmpInTimestamps: u32,
  icmpInAddrMasks: u32,
  icmpInAddrMaskReps: u32,
  icmpOutMsgs: u32,
  icmpOutErrors: u32,
  icmpOutDestUnreachs: u32,
  icmpOutTimeExcds: u32,
  icmpOutParamProbs: u32,
  icmpOutSrcQuenchs: u32,
  icmpOutRedirects: u32,
  icmpOutEchos: u32,
  icmpOutEchoReps: u32,
  icmpOutTimestamps: u32,
  icmpOutTimestampReps: u32,
  icmpOutAddrMasks: u32,
  icmpOutAddrMaskReps: u32,
});

/** 0:2009 mib2_tcp_group (tcpMaxConn is -1, sent as 0xFFFFFFFF, where the limit is dynamic) */
export const Mib2TcpGroup = struct({
  tcpRtoAlgorithm: u32,
  tcpRtoMin: u32,
  tcpRtoMax: u32,
  tcpMaxConn: u32,
  tcpActiveOpens: u32,
  tcpPassiveOpens: u32,
  tcpAttemptFails: u32,
  tcpEstabResets: u32,
  tcpCurrEstab: u32,
  tcpInSegs: u32,
  tcpOutSegs: u32,
  tcpRetransSegs: u32,
  tcpInErrs: u32,
  tcpOutRsts: u32,
  tcpInCsumErrs: u32,
});

/** 0:2010 mib2_udp_group */
export const Mib2UdpGroup = struct({
  udpInDatagrams: u32,
  udpNoPorts: u32,
  udpInErrors: u32,
  udpOutDatagrams: u32,
  udpRcvbufErrors: u32,
  udpSndbufErrors: u32,
  udpInCsumErrors: u32,
});

export const flowRecords = {};

export const counterRecords = {
  mib2_ip_group: record(0, 2007, Mib2IpGroup, SPEC),
  mib2_icmp_group: record(0, 2008, Mib2IcmpGroup, SPEC),
  mib2_tcp_group: record(0, 2009, Mib2TcpGroup, SPEC),
  mib2_udp_group: record(0, 2010, Mib2UdpGroup, SPEC),
};
