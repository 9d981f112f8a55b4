/** The UDP payloads of a corpus capture, in capture order (every UDP packet, as sflowtool reads a pcap). */
import { corpusPcap } from './corpus.js';

// TODO(capture): replace with src/capture once it lands; this reads only the corpus' Ethernet pcaps.
export function corpusDatagrams(name: string): Uint8Array[] {
  const buf = Buffer.from(corpusPcap(name));
  const out: Uint8Array[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const incl = buf.readUInt32LE(off + 8);
    const frame = buf.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    let p = 12;
    let type = frame.readUInt16BE(p);
    while (type === 0x8100) {
      p += 4;
      type = frame.readUInt16BE(p);
    }
    p += 2;
    if (type === 0x0800 && frame[p + 9] === 17) out.push(frame.subarray(p + (frame[p] & 15) * 4 + 8));
    if (type === 0x86dd && frame[p + 6] === 17) out.push(frame.subarray(p + 48));
  }
  return out;
}
