/** sflowtool's -l: one CSV line per flow sample (FLOW,…) and per counter sample (CNTR,…). */

import type { Context } from './output.js';
import { Output, type SampleKind } from './output.js';
import type { SampleState } from './sample-state.js';

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0');

export class LineOutput extends Output {
  readonly wantsFields = false;

  override sampleDone(kind: SampleKind, s: SampleState, c: Context, _r: unknown, passed: boolean): void {
    if (kind === 'flow' && passed) this.out += flowLine(s, c.agent);
    else if (kind === 'counters') this.out += countersLine(s, c.agent);
  }
}

/** The printf formats are signed (%d) for ports, VLANs and sizes, as in sflowtool. */
function flowLine(s: SampleState, agent: string): string {
  return `FLOW,${agent},${s.inputPort | 0},${s.outputPort | 0},${s.ethSrc},${s.ethDst},0x${hex(s.ethType, 4)},${
    s.inVlan | 0
  },${s.outVlan | 0},${s.ipSrc.text},${s.ipDst.text},${s.ipProtocol | 0},0x${hex(s.ipTos, 2)},${s.ipTtl | 0},${
    s.srcPort | 0
  },${s.dstPort | 0},0x${hex(s.tcpFlags, 2)},${s.sampledPacketSize | 0},${
    (s.sampledPacketSize - s.stripped - s.offsetToIpv4) | 0
  },${s.meanSkipCount | 0}\n`;
}

function countersLine(s: SampleState, agent: string): string {
  const i = s.ifCounters;
  if (i === undefined) return `CNTR,${agent},0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n`;
  return `CNTR,${agent},${i.ifIndex},${i.ifType},${i.ifSpeed},${i.ifDirection},${i.ifStatus},${i.ifInOctets},${
    i.ifInUcastPkts
  },${i.ifInMulticastPkts},${i.ifInBroadcastPkts},${i.ifInDiscards},${i.ifInErrors},${i.ifInUnknownProtos},${
    i.ifOutOctets
  },${i.ifOutUcastPkts},${i.ifOutMulticastPkts},${i.ifOutBroadcastPkts},${i.ifOutDiscards},${i.ifOutErrors},${
    i.ifPromiscuousMode
  }\n`;
}
