/**
 * Micro-benchmark (not a test): ns per decodeHeader call for typical 128-byte sampled headers.
 * Run: npx tsc -p . && node dist/src/packet/bench-header.js [iterations]
 * The project budget is about 300 ns for Ethernet/IPv4/TCP (1,000,000 flow samples/s/core with the sFlow decode).
 */
import { decodeHeader } from './decode-header.js';
import {
  cut,
  ethernet,
  ethernetIpv4Tcp,
  filler,
  ipv4,
  ipv6,
  TCP_ACK,
  tcp,
  udp,
  vxlan,
} from './packet-builder.test-util.js';

const HEADER_BYTES = 128;
const iterations = Number(process.argv[2] ?? 2_000_000);

/** 16 headers with different addresses and ports: few addresses, as on a switch port (address cache hits). */
function variants(make: (i: number) => Uint8Array): Uint8Array[] {
  return Array.from({ length: 16 }, (_, i) => cut(make(i), HEADER_BYTES));
}

/** 65536 headers whose MACs and IP addresses all differ: the worst case for the address caches. */
function allDistinct(): Uint8Array[] {
  const hex = (v: number) => (v & 255).toString(16).padStart(2, '0');
  const mac = (i: number, side: number) => `02:${side}0:00:${hex(i >> 16)}:${hex(i >> 8)}:${hex(i)}`;
  return Array.from({ length: 1 << 16 }, (_, i) =>
    cut(
      ethernet({
        dst: mac(i, 1),
        src: mac(i, 2),
        type: 0x0800,
        payload: ipv4({
          src: `10.${i >> 8}.${i & 255}.1`,
          dst: `172.16.${i & 255}.${i >> 8}`,
          protocol: 6,
          payload: tcp({ srcPort: 1024 + i, dstPort: 443, flags: TCP_ACK, payload: filler(1400) }),
        }),
      }),
      HEADER_BYTES,
    ),
  );
}

const cases: [string, Uint8Array[]][] = [
  ['Ethernet/IPv4/TCP', variants(() => ethernetIpv4Tcp(1400))],
  ['Ethernet/IPv4/TCP, every address new', allDistinct()],
  [
    'Ethernet/802.1Q/IPv4/TCP',
    variants((i) =>
      ethernet({
        vlans: [{ vid: 100 + i, pcp: 3 }],
        type: 0x0800,
        payload: ipv4({
          src: `10.0.${i}.1`,
          dst: `192.0.2.${i}`,
          protocol: 6,
          payload: tcp({ srcPort: 40000 + i, dstPort: 443, flags: TCP_ACK, payload: filler(1400) }),
        }),
      }),
    ),
  ],
  [
    'Ethernet/IPv6/TCP',
    variants((i) =>
      ethernet({
        type: 0x86dd,
        payload: ipv6({
          src: `2001:db8:${i}::1`,
          dst: `2001:db8:ffff::${i + 1}`,
          protocol: 6,
          payload: tcp({ srcPort: 40000 + i, dstPort: 443, payload: filler(1400) }),
        }),
      }),
    ),
  ],
  [
    'Ethernet/IPv4/UDP/VXLAN/Ethernet/IPv4/TCP',
    variants((i) =>
      ethernet({
        type: 0x0800,
        payload: ipv4({
          src: '192.0.2.1',
          dst: '192.0.2.2',
          protocol: 17,
          payload: udp({
            srcPort: 50000 + i,
            dstPort: 4789,
            payload: vxlan({ vni: i, payload: cut(ethernetIpv4Tcp(1400), 200) }),
          }),
        }),
      }),
    ),
  ],
];

function run(headers: Uint8Array[], n: number): number {
  const mask = headers.length - 1; // a power of two
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const p = decodeHeader(1, headers[i & mask], 1518, 4);
    sink += p.stopOffset + (p.srcIP?.length ?? 0) + (p.srcIP6?.length ?? 0);
  }
  const ns = Number(process.hrtime.bigint() - start) / n;
  if (sink === -1) console.log('unreachable');
  return ns;
}

for (const [name, headers] of cases) {
  run(headers, 200_000); // warm up: let the JIT settle
  const ns = Math.min(run(headers, iterations), run(headers, iterations));
  console.log(
    `${name.padEnd(44)} ${ns.toFixed(0).padStart(5)} ns/header  (${(1e3 / ns).toFixed(2)} M headers/s)`,
  );
}
