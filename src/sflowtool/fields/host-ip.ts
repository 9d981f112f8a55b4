/** sflowtool's names for the structures of records/host-ip.ts: the MIB-II names the model has too. */
import type { CounterFieldTable, FlowFieldTable, Row } from '../field-map.js';

/** Rows printing each field under its own name, in the structure's order. */
function sameNames<V>(fields: readonly (keyof V & string)[]): Row<V>[] {
  return fields.map((n) => [n, n] as const);
}

export const flowFields: FlowFieldTable = {};

export const counterFields: CounterFieldTable = {
  mib2_ip_group: sameNames([
    'ipForwarding',
    'ipDefaultTTL',
    'ipInReceives',
    'ipInHdrErrors',
    'ipInAddrErrors',
    'ipForwDatagrams',
    'ipInUnknownProtos',
    'ipInDiscards',
    'ipInDelivers',
    'ipOutRequests',
    'ipOutDiscards',
    'ipOutNoRoutes',
    'ipReasmTimeout',
    'ipReasmReqds',
    'ipReasmOKs',
    'ipReasmFails',
    'ipFragOKs',
    'ipFragFails',
    'ipFragCreates',
  ]),
  mib2_icmp_group: sameNames([
    'icmpInMsgs',
    'icmpInErrors',
    'icmpInDestUnreachs',
    'icmpInTimeExcds',
    'icmpInParamProbs',
    'icmpInSrcQuenchs',
    'icmpInRedirects',
    'icmpInEchos',
    'icmpInEchoReps',
    'icmpInTimestamps',
    'icmpInAddrMasks',
    'icmpInAddrMaskReps',
    'icmpOutMsgs',
    'icmpOutErrors',
    'icmpOutDestUnreachs',
    'icmpOutTimeExcds',
    'icmpOutParamProbs',
    'icmpOutSrcQuenchs',
    'icmpOutRedirects',
    'icmpOutEchos',
    'icmpOutEchoReps',
    'icmpOutTimestamps',
    'icmpOutTimestampReps',
    'icmpOutAddrMasks',
    'icmpOutAddrMaskReps',
  ]),
  mib2_tcp_group: [
    ...sameNames([
      'tcpRtoAlgorithm',
      'tcpRtoMin',
      'tcpRtoMax',
      'tcpMaxConn',
      'tcpActiveOpens',
      'tcpPassiveOpens',
      'tcpAttemptFails',
      'tcpEstabResets',
      'tcpCurrEstab',
      'tcpInSegs',
      'tcpOutSegs',
      'tcpRetransSegs',
      'tcpInErrs',
      'tcpOutRsts',
    ]),
    ['tcpInCsumErrors', 'tcpInCsumErrs'],
  ],
  mib2_udp_group: sameNames([
    'udpInDatagrams',
    'udpNoPorts',
    'udpInErrors',
    'udpOutDatagrams',
    'udpRcvbufErrors',
    'udpSndbufErrors',
    'udpInCsumErrors',
  ]),
};
