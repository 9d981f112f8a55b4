/** The UDP payloads of a corpus capture, in capture order (every UDP packet, as sflowtool reads a pcap). */
import { readCapture, udpPayloads } from '../../src/capture/index.js';
import { corpusPcap } from './corpus.js';

export function corpusDatagrams(name: string): Uint8Array[] {
  return Array.from(udpPayloads(readCapture(corpusPcap(name))), (u) => u.payload);
}
