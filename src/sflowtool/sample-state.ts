/**
 * What sflowtool remembers while it reads one sample: the values its one-line (-l), CLF (-H) and pcap (-t)
 * outputs are made of, and the VLANs its filters test. A new one for each sample, as sflowtool zeroes its own.
 */
import type { CounterRecordValue } from '../sflow/registry.js';

/** An address as sflowtool holds it: type 0 (none, printed '-'), 1 (IPv4) or 2 (IPv6), and its text. */
export interface HeldAddress {
  type: 0 | 1 | 2;
  text: string;
}

const NO_ADDRESS: HeldAddress = { type: 0, text: '-' };
const NO_MAC = '000000000000';

export class SampleState {
  inputPort = 0;
  outputPort = 0;
  meanSkipCount = 0;
  ethSrc = NO_MAC;
  ethDst = NO_MAC;
  ethType = 0;
  inVlan = 0;
  outVlan = 0;
  ipSrc: HeldAddress = NO_ADDRESS;
  ipDst: HeldAddress = NO_ADDRESS;
  ipProtocol = 0;
  ipTos = 0;
  ipTtl = 0;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  sampledPacketSize = 0;
  stripped = 0;
  offsetToIpv4 = 0;
  /** Where the payload starts in the sampled header; 0 when not found (then -x keeps the whole header). */
  offsetToPayload = 0;
  /** The sampled header of the last header record, for -t and -T. */
  header: Uint8Array | undefined;
  ifCounters: CounterRecordValue<'if_counters'> | undefined;
  /** The HTTP request as a combined-log line without its client, and the client (-H). */
  clfLog: string | undefined;
  clfClient = '';
}
