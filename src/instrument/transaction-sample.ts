/**
 * A flow sample of one application transaction, shaped as mod-sflow's and memcached's sFlow shaped theirs: from
 * data source 3:PORT, with output 0x3FFFFFFF ("internal": the server itself answered), the client's connection
 * (extended_socket_ipv4/ipv6, 0:2100/0:2101) first, then the transaction's own record.
 */
import type { FlowSample, KnownFlowRecord } from '../sflow/model.js';

/** The client's connection, as extended_socket_ipv4/ipv6 has it (the local side is the server's). */
export interface ClientSocket {
  localIp: string;
  remoteIp: string;
  localPort: number;
  remotePort: number;
}

export interface Transaction {
  sequenceNumber: number;
  dataSource: number;
  samplingRate: number;
  samplePool: number;
  socket: ClientSocket;
  record: KnownFlowRecord;
}

export function transactionSample(t: Transaction): FlowSample {
  const connection = { protocol: 6, ...t.socket };
  return {
    name: 'flow_sample',
    tag: '0:1',
    sequenceNumber: t.sequenceNumber,
    sourceIdType: 3,
    sourceIdIndex: t.dataSource,
    samplingRate: t.samplingRate,
    samplePool: t.samplePool,
    drops: 0,
    inputFormat: 0,
    inputValue: 0,
    outputFormat: 0,
    outputValue: 0x3fffffff,
    records: [
      t.socket.localIp.includes(':')
        ? { name: 'extended_socket_ipv6', tag: '0:2101', value: connection }
        : { name: 'extended_socket_ipv4', tag: '0:2100', value: connection },
      t.record,
    ],
  };
}
