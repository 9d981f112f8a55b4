/**
 * A typical switch datagram (benchmarks, demo, tests): about 1400 bytes, 7 flow samples of a 128-byte
 * Ethernet/IPv4/TCP header with an extended_switch record, and one counter sample (if_counters).
 */
import { encodeDatagram } from '../sflow/datagram.js';
import type { Datagram, FlowSample } from '../sflow/model.js';

function tcpHeader(i: number): Uint8Array {
  const b = Buffer.alloc(128);
  b.set([0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e, 0x00, 0x25, 0x90, 0xa1, 0xb2, i], 0);
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  b.writeUInt16BE(1500, 16);
  b[22] = 64;
  b[23] = 6;
  b.set([10, 0, 0, i + 1, 10, 1, 0, 2], 26);
  b.writeUInt16BE(40000 + i, 34);
  b.writeUInt16BE(443, 36);
  b[46] = 0x50;
  b[47] = 0x10;
  return b;
}

function flowSample(i: number, n: number): FlowSample {
  return {
    name: 'flow_sample',
    tag: '0:1',
    sequenceNumber: 1000 + 7 * n + i,
    sourceIdType: 0,
    sourceIdIndex: 3,
    samplingRate: 10000,
    samplePool: 5_000_000 + (7 * n + i) * 10000,
    drops: 0,
    inputFormat: 0,
    inputValue: 3,
    outputFormat: 0,
    outputValue: 7,
    records: [
      {
        name: 'sampled_header',
        tag: '0:1',
        value: { protocol: 1, frameLength: 1518, stripped: 4, header: tcpHeader(i) },
      },
      {
        name: 'extended_switch',
        tag: '0:1001',
        value: { srcVlan: 10, srcPriority: 0, dstVlan: 10, dstPriority: 0 },
      },
    ],
  };
}

/** The n-th datagram of the agent: sequence numbers and sample pools advance with n. */
export function switchDatagram(n = 0): Uint8Array {
  const d: Datagram = {
    version: 5,
    agentAddress: '192.0.2.10',
    subAgentId: 0,
    sequenceNumber: 42 + n,
    uptime: 123456789 + n * 1000,
    samples: [
      ...Array.from({ length: 7 }, (_, i) => flowSample(i, n)),
      {
        name: 'counters_sample',
        tag: '0:2',
        sequenceNumber: 7,
        sourceIdType: 0,
        sourceIdIndex: 3,
        records: [
          {
            name: 'if_counters',
            tag: '0:1',
            value: {
              ifIndex: 3,
              ifType: 6,
              ifSpeed: 10_000_000_000n,
              ifDirection: 1,
              ifStatus: 3,
              ifInOctets: 123456789012n,
              ifInUcastPkts: 1,
              ifInMulticastPkts: 2,
              ifInBroadcastPkts: 3,
              ifInDiscards: 0,
              ifInErrors: 0,
              ifInUnknownProtos: 0,
              ifOutOctets: 98765432109n,
              ifOutUcastPkts: 4,
              ifOutMulticastPkts: 5,
              ifOutBroadcastPkts: 6,
              ifOutDiscards: 0,
              ifOutErrors: 0,
              ifPromiscuousMode: 2,
            },
          },
        ],
      },
    ],
  };
  return encodeDatagram(d);
}
