/**
 * Reads the sampled headers out of sflowtool's text output in the shared corpus (SFLOWKIT_CORPUS, see its
 * README.md): for each `headerBytes` line, the record's header protocol, frame length and stripped count
 * printed before it, and the fields sflowtool decoded from the bytes, printed after it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const corpusDir = path.resolve(process.env.SFLOWKIT_CORPUS ?? '../shared/corpus');
const expectedDir = path.join(corpusDir, 'expected');
export const corpusMissing: string | false = existsSync(expectedDir)
  ? false
  : `corpus not found at ${expectedDir} (set SFLOWKIT_CORPUS)`;

/**
 * The lines sflowtool prints from the header bytes, in readFlowSample_header and the decoders it calls
 * (decodeLinkLayer, decode80211MAC, decodeIPV4, decodeIPV6, decodeIPLayer4). The header's fields run from
 * the line after `headerBytes` to the first line that is not one of these.
 */
const HEADER_KEYS = new Set([
  'dstMAC',
  'srcMAC',
  'decodedVLAN',
  'decodedPriority',
  'VSNAP_OUI',
  'ethernet_type',
  'txMAC',
  'rxMAC',
  'IPSize',
  'ip.tot_len',
  'srcIP',
  'dstIP',
  'IPProtocol',
  'IPTOS',
  'IPTTL',
  'IPID',
  'IPFragmentOffset',
  'IP6_label',
  'IPV6_payloadLen',
  'srcIP6',
  'dstIP6',
  'IP6HeaderExtension',
  'ICMPType',
  'ICMPCode',
  'TCPSrcPort',
  'TCPDstPort',
  'TCPFlags',
  'UDPSrcPort',
  'UDPDstPort',
  'UDPBytes',
  // sf_log lines: "NO_DECODE headerProtocol=N", "UNKNOWN headerProtocol=N", "header decode error: …".
  'NO_DECODE',
  'UNKNOWN',
  'header',
]);

/** `decodedVLAN.1` and the like: sflowtool numbers the tags after the first. */
function isHeaderKey(key: string): boolean {
  return HEADER_KEYS.has(key) || /^decoded(VLAN|Priority)\.\d+$/.test(key);
}

export interface CorpusHeader {
  /** file:line of the headerBytes line. */
  where: string;
  headerProtocol: number;
  frameLength: number;
  stripped: number;
  bytes: Uint8Array;
  /** The fields sflowtool printed from the bytes, in its order. */
  fields: [key: string, value: string][];
}

export function corpusHeaders(): CorpusHeader[] {
  if (corpusMissing) return [];
  const out: CorpusHeader[] = [];
  const files = readdirSync(expectedDir)
    .filter((f) => f.endsWith('.sflowtool.txt'))
    .sort();
  for (const file of files) {
    const lines = readFileSync(path.join(expectedDir, file), 'utf8').split('\n');
    let headerProtocol = -1;
    let frameLength = -1;
    let stripped = 0;
    for (let i = 0; i < lines.length; i++) {
      const space = lines[i].indexOf(' ');
      const key = space < 0 ? lines[i] : lines[i].slice(0, space);
      const value = space < 0 ? '' : lines[i].slice(space + 1);
      if (key === 'headerProtocol') headerProtocol = Number(value);
      else if (key === 'sampledPacketSize') frameLength = Number(value);
      else if (key === 'strippedBytes') stripped = Number(value);
      else if (key === 'headerBytes') {
        const bytes =
          value === '' ? new Uint8Array(0) : Uint8Array.from(value.split('-'), (h) => Number.parseInt(h, 16));
        const fields: [string, string][] = [];
        let j = i + 1;
        for (; j < lines.length; j++) {
          const sp = lines[j].indexOf(' ');
          const k = sp < 0 ? lines[j] : lines[j].slice(0, sp);
          if (!isHeaderKey(k)) break;
          fields.push([k, sp < 0 ? '' : lines[j].slice(sp + 1)]);
        }
        out.push({ where: `${file}:${i + 1}`, headerProtocol, frameLength, stripped, bytes, fields });
        i = j - 1;
        headerProtocol = -1;
        frameLength = -1;
        stripped = 0;
      }
    }
  }
  return out;
}
