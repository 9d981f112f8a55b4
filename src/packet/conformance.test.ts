/**
 * Conformance with an independent decoder: every sampled header in the corpus, decoded by us, against the
 * fields sflowtool 6.11 printed for it (see sflowtool-corpus.test-util.ts for which lines those are).
 * sflowtool's text forms are turned into ours before comparing (MACs without separators, IPv6 unabbreviated).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipv6Text, parseIpv6 } from '../xdr/address-text.js';
import { decodeHeader } from './decode-header.js';
import type { DecodedPacket } from './decoded-packet.js';
import { type CorpusHeader, corpusHeaders, corpusMissing } from './sflowtool-corpus.test-util.js';

type Pair = [ours: unknown, sflowtool: unknown];
/** Maps one sflowtool line to (our value, its value in our form); `nth` counts repeats of the same key. */
type Check = (p: DecodedPacket, value: string, nth: number) => Pair;

const mac = (ours: string | undefined, value: string): Pair => [ours?.replaceAll(':', ''), value];
const num = (ours: number | undefined, value: string): Pair => [ours, Number(value)];

/**
 * sflowtool prints the IPv4 identification straight from the header struct without ntohs, so on the
 * little-endian hosts it runs on the two bytes come out swapped (bytes 8D 6A print as 27277, not 36202).
 * We keep the value in network order, as RFC 791 defines it, and swap only to compare.
 */
const swap16 = (v: number | undefined) => (v === undefined ? undefined : ((v & 0xff) << 8) | (v >> 8));

const CHECKS: Record<string, Check> = {
  dstMAC: (p, v) => mac(p.dstMAC, v),
  srcMAC: (p, v) => mac(p.srcMAC, v),
  txMAC: (p, v) => mac(p.txMAC, v),
  rxMAC: (p, v) => mac(p.rxMAC, v),
  decodedVLAN: (p, v) => num(p.decodedVLAN, v),
  decodedPriority: (p, v) => num(p.decodedPriority, v),
  'decodedVLAN.1': (p, v) => num(p.innerVLAN, v),
  'decodedPriority.1': (p, v) => num(p.innerPriority, v),
  // Printed as upper-case hex bytes joined by dashes.
  VSNAP_OUI: (p, v) => [p.VSNAP_OUI, Number.parseInt(v.replaceAll('-', ''), 16)],
  ethernet_type: (p, v) => num(p.ethernet_type, v),
  IPSize: (p, v) => num(p.IPSize, v),
  'ip.tot_len': (p, v) => num(p['ip.tot_len'], v),
  srcIP: (p, v) => [p.srcIP, v],
  dstIP: (p, v) => [p.dstIP, v],
  IPProtocol: (p, v) => num(p.IPProtocol, v),
  IPTOS: (p, v) => num(p.IPTOS, v),
  IPTTL: (p, v) => num(p.IPTTL, v),
  IPID: (p, v) => [swap16(p.IPID), Number(v)],
  IPFragmentOffset: (p, v) => num(p.IPFragmentOffset, v),
  // Printed with "0x%1x".
  IP6_label: (p, v) => [p.IP6_label, Number.parseInt(v, 16)],
  IPV6_payloadLen: (p, v) => [p.IPV6_payloadLen, v === '<jumbo>' ? 0 : Number(v)],
  // Printed as eight 4-digit groups, never abbreviated.
  srcIP6: (p, v) => [p.srcIP6, ipv6Text(parseIpv6(v))],
  dstIP6: (p, v) => [p.dstIP6, ipv6Text(parseIpv6(v))],
  IP6HeaderExtension: (p, v, nth) => [p.IP6HeaderExtensions?.[nth], Number(v)],
  ICMPType: (p, v) => num(p.ICMPType, v),
  ICMPCode: (p, v) => num(p.ICMPCode, v),
  TCPSrcPort: (p, v) => num(p.TCPSrcPort, v),
  TCPDstPort: (p, v) => num(p.TCPDstPort, v),
  TCPFlags: (p, v) => num(p.TCPFlags, v),
  UDPSrcPort: (p, v) => num(p.UDPSrcPort, v),
  UDPDstPort: (p, v) => num(p.UDPDstPort, v),
  UDPBytes: (p, v) => num(p.UDPBytes, v),
  // "NO_DECODE headerProtocol=N" / "UNKNOWN headerProtocol=N": it decoded nothing, and neither do we.
  NO_DECODE: (p, v) => [`headerProtocol=${p.headerProtocol} stop ${p.stopOffset}`, `${v} stop 0`],
  UNKNOWN: (p, v) => [`headerProtocol=${p.headerProtocol} stop ${p.stopOffset}`, `${v} stop 0`],
  // "header decode error: unexpected IP version: N": we call that IPv6 header malformed.
  header: (p, v) => [p.malformed === 'ipv6', v.startsWith('decode error: unexpected IP version')],
};

function compare(h: CorpusHeader, problems: string[]): number {
  const p = decodeHeader(h.headerProtocol, h.bytes, h.frameLength, h.stripped);
  const seen = new Map<string, number>();
  let compared = 0;
  for (const [key, value] of h.fields) {
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const check = CHECKS[key];
    if (!check) {
      problems.push(`${h.where}: sflowtool printed ${key} ${value}, which we do not map`);
      continue;
    }
    const [ours, theirs] = check(p, value, nth);
    compared++;
    if (ours !== theirs) {
      problems.push(`${h.where}: ${key}: sflowtool ${value} (${String(theirs)}), ours ${String(ours)}`);
    }
  }
  // A field we decoded that sflowtool did not print is fine (we decode more: ICMPv6, MPLS, tunnels, ...);
  // the reverse is what the loop above catches.
  return compared;
}

test('sampled headers decode as sflowtool decodes them', { skip: corpusMissing }, (t) => {
  const headers = corpusHeaders();
  assert.ok(headers.length > 0, 'no headerBytes lines in the corpus');
  const problems: string[] = [];
  let fields = 0;
  for (const h of headers) fields += compare(h, problems);
  t.diagnostic(`${headers.length} headers, ${fields} fields compared`);
  assert.deepEqual(problems, []);
});

test('every corpus header decodes without running past its bytes', { skip: corpusMissing }, () => {
  for (const h of corpusHeaders()) {
    const p = decodeHeader(h.headerProtocol, h.bytes, h.frameLength, h.stripped);
    assert.ok(p.stopOffset >= 0 && p.stopOffset <= h.bytes.length, h.where);
    assert.equal(p.malformed, undefined, h.where);
  }
});
