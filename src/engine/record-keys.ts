/**
 * Flow keys read from the sample itself and from its records other than the packet header: interfaces and
 * direction, the switch, router and gateway records, queues, and the transaction records of application sFlow
 * (HTTP and memcache). Names are sFlow-RT's where its documentation or apps show them: the interface and
 * forwarding keys from its sflow-test app (`inputifindex`, `vlansource`, `bgpnexthop`, `queuedepth`, …), the
 * HTTP attributes from blog.sflow.com/2016/08 (`httpmethod`, `httpurl`, `serveraddress`, `req_bytes`, …).
 */
import { DROP_REASONS } from '../sflow/records/drops.js';
import { HTTP_METHODS } from '../sflow/records/http.js';
import { MEMCACHE_COMMANDS, MEMCACHE_PROTOCOLS, MEMCACHE_STATUSES } from '../sflow/records/memcache.js';
import type { FlowContext } from './flow-context.js';
import type { KeyFn, NumFn } from './flow-keys.js';
import { decimal, normalizeIpv6, text } from './key-format.js';

export interface SampleKey {
  fn: KeyFn;
  num?: NumFn;
  normalize?: (text: string) => string;
}

function num(read: NumFn): SampleKey {
  return {
    fn: (ctx) => {
      const n = read(ctx);
      return n === undefined ? undefined : decimal(n);
    },
    num: read,
  };
}

function str(read: (ctx: FlowContext) => string | Uint8Array | null | undefined): SampleKey {
  return {
    fn: (ctx) => {
      const s = read(ctx);
      return s === undefined || s === null ? undefined : text(s);
    },
  };
}

function named(read: NumFn, names: Readonly<Record<number, string>>): SampleKey {
  return {
    fn: (ctx) => {
      const n = read(ctx);
      return n === undefined ? undefined : (names[n] ?? decimal(n));
    },
    num: read,
  };
}

/** sFlow v5's ifIndex 0x3FFFFFFF: the packet came from, or went to, the device itself. */
const INTERNAL = 0x3fffffff;

/** An interface as sFlow-RT writes it: the ifIndex, `internal`, `discard` or `multiple` (its sflow-test app). */
function port(format: number, value: number): string | undefined {
  if (format === 0) return value === INTERNAL ? 'internal' : decimal(value);
  if (format === 1) return 'discard';
  if (format === 2) return 'multiple';
  return undefined;
}

function inputIfIndex(ctx: FlowContext): number | undefined {
  const s = ctx.sample;
  if (s.name === 'discarded_packet') return s.inputIfIndex;
  return s.inputFormat === 0 ? s.inputValue : undefined;
}

function outputIfIndex(ctx: FlowContext): number | undefined {
  const s = ctx.sample;
  if (s.name === 'discarded_packet') return s.outputIfIndex;
  return s.outputFormat === 0 ? s.outputValue : undefined;
}

function http(ctx: FlowContext) {
  return ctx.record('http_request') ?? ctx.record('http_request_deprecated');
}

/** The sampled frame's length, else the HTTP request's bytes, else the memcache value's. */
function bytes(ctx: FlowContext): number | undefined {
  const frame = ctx.frameBytes() ?? ctx.record('sampled_ethernet')?.length;
  if (frame !== undefined) return frame;
  const h = ctx.record('http_request');
  if (h !== undefined) return Number(h.reqBytes + h.respBytes);
  const d = ctx.record('http_request_deprecated');
  if (d !== undefined) return Number(d.bytes);
  return ctx.record('memcache_operation')?.valueBytes;
}

const protocols = new Map<number, string>();

/** HTTP's protocol field, major × 1000 + minor, as `HTTP/1.1`. */
function httpProtocol(p: number): string {
  let s = protocols.get(p);
  if (s === undefined) {
    s = `HTTP/${Math.floor(p / 1000)}.${p % 1000}`;
    if (protocols.size < 64) protocols.set(p, s);
  }
  return s;
}

/** The destination AS: the last of the AS path; with no path, the destination is in the router's own AS. */
function destinationAs(ctx: FlowContext): number | undefined {
  const g = ctx.record('extended_gateway');
  if (g === undefined) return undefined;
  for (let i = g.dstAsPath.length - 1; i >= 0; i--) {
    const seg = g.dstAsPath[i].value;
    if (seg.length > 0) return seg[seg.length - 1];
  }
  return g.as;
}

function socket4(ctx: FlowContext) {
  return ctx.record('extended_socket_ipv4');
}
function socket6(ctx: FlowContext) {
  return ctx.record('extended_socket_ipv6');
}
function proxy4(ctx: FlowContext) {
  return ctx.record('extended_proxy_socket_ipv4')?.socket;
}
function proxy6(ctx: FlowContext) {
  return ctx.record('extended_proxy_socket_ipv6')?.socket;
}

const v6 = (k: SampleKey): SampleKey => ({ ...k, normalize: normalizeIpv6 });

export const SAMPLE_KEYS: Record<string, SampleKey> = {
  agent: { fn: (ctx) => ctx.agent },
  inputifindex: {
    fn: (ctx) => {
      const s = ctx.sample;
      return s.name === 'discarded_packet' ? port(0, s.inputIfIndex) : port(s.inputFormat, s.inputValue);
    },
    num: inputIfIndex,
  },
  outputifindex: {
    fn: (ctx) => {
      const s = ctx.sample;
      return s.name === 'discarded_packet' ? port(0, s.outputIfIndex) : port(s.outputFormat, s.outputValue);
    },
    num: outputIfIndex,
  },
  /** `ingress` when the data source is the input interface, `egress` when it is the output interface. */
  direction: {
    fn: (ctx) => {
      const s = ctx.sample;
      if (s.sourceIdType !== 0) return undefined;
      if (inputIfIndex(ctx) === s.sourceIdIndex) return 'ingress';
      if (outputIfIndex(ctx) === s.sourceIdIndex) return 'egress';
      return undefined;
    },
  },
  /** Why the packet was dropped: a discarded_packet's reason, or a flow sample's discard output. */
  reason: named((ctx) => {
    const s = ctx.sample;
    if (s.name === 'discarded_packet') return s.reason;
    return s.outputFormat === 1 ? s.outputValue : undefined;
  }, DROP_REASONS),
  bytes: num(bytes),
  stripped: num((ctx) => ctx.record('sampled_header')?.stripped),

  // extended_switch, extended_router, extended_gateway.
  vlansource: num((ctx) => ctx.record('extended_switch')?.srcVlan),
  vlandestination: num((ctx) => ctx.record('extended_switch')?.dstVlan),
  prioritysource: num((ctx) => ctx.record('extended_switch')?.srcPriority),
  prioritydestination: num((ctx) => ctx.record('extended_switch')?.dstPriority),
  ipnexthoprouter: str((ctx) => ctx.record('extended_router')?.nexthop),
  ipsourcemaskbits: num((ctx) => ctx.record('extended_router')?.srcMaskLen),
  ipdestinationmaskbits: num((ctx) => ctx.record('extended_router')?.dstMaskLen),
  bgpnexthop: str((ctx) => ctx.record('extended_gateway')?.nexthop),
  bgpas: num((ctx) => ctx.record('extended_gateway')?.as),
  bgpsourceas: num((ctx) => ctx.record('extended_gateway')?.srcAs),
  bgpsourcepeeras: num((ctx) => ctx.record('extended_gateway')?.srcPeerAs),
  bgpdestinationas: num(destinationAs),
  bgplocalpref: num((ctx) => ctx.record('extended_gateway')?.localpref),

  // Queues and transit delay (sflow_drops.txt, sflow_transit.txt).
  queueindex: num(
    (ctx) => ctx.record('extended_egress_queue')?.queue ?? ctx.record('extended_queue_length')?.queueIndex,
  ),
  queuedepth: num((ctx) => ctx.record('extended_queue')?.depth),
  transitdelay: num((ctx) => ctx.record('extended_transit')?.delay),

  // HTTP (sflow_http.txt): 0:2206 http_request, or the deprecated 0:2201.
  httpmethod: named((ctx) => http(ctx)?.method, HTTP_METHODS),
  httpprotocol: {
    fn: (ctx) => {
      const h = http(ctx);
      return h === undefined ? undefined : httpProtocol(h.protocol);
    },
  },
  httpurl: str((ctx) => http(ctx)?.uri),
  httphost: str((ctx) => http(ctx)?.host),
  httpreferer: str((ctx) => http(ctx)?.referer),
  httpuseragent: str((ctx) => http(ctx)?.useragent),
  httpxff: str((ctx) => ctx.record('http_request')?.xff),
  httpauthuser: str((ctx) => http(ctx)?.authuser),
  httpmimetype: str((ctx) => http(ctx)?.mimeType),
  httpstatus: num((ctx) => http(ctx)?.status),
  req_bytes: num((ctx) => {
    const h = ctx.record('http_request');
    return h === undefined ? undefined : Number(h.reqBytes);
  }),
  resp_bytes: num((ctx) => {
    const h = ctx.record('http_request');
    if (h !== undefined) return Number(h.respBytes);
    const d = ctx.record('http_request_deprecated');
    return d === undefined ? undefined : Number(d.bytes);
  }),
  /** The transaction's duration in microseconds (HTTP or memcache uS). */
  duration: num((ctx) => http(ctx)?.uS ?? ctx.record('memcache_operation')?.uS),

  // The transaction's connection (extended_socket_ipv4/6: local is the server), and a proxy's.
  protocol: num((ctx) => (socket4(ctx) ?? socket6(ctx))?.protocol),
  serveraddress: str((ctx) => socket4(ctx)?.localIp),
  serveraddress6: v6(str((ctx) => socket6(ctx)?.localIp)),
  serverport: num((ctx) => (socket4(ctx) ?? socket6(ctx))?.localPort),
  clientaddress: str((ctx) => socket4(ctx)?.remoteIp),
  clientaddress6: v6(str((ctx) => socket6(ctx)?.remoteIp)),
  clientport: num((ctx) => (socket4(ctx) ?? socket6(ctx))?.remotePort),
  proxyprotocol: num((ctx) => (proxy4(ctx) ?? proxy6(ctx))?.protocol),
  proxyserveraddress: str((ctx) => proxy4(ctx)?.localIp),
  proxyserveraddress6: v6(str((ctx) => proxy6(ctx)?.localIp)),
  proxyserverport: num((ctx) => (proxy4(ctx) ?? proxy6(ctx))?.localPort),
  proxyclientaddress: str((ctx) => proxy4(ctx)?.remoteIp),
  proxyclientaddress6: v6(str((ctx) => proxy6(ctx)?.remoteIp)),
  proxyclientport: num((ctx) => (proxy4(ctx) ?? proxy6(ctx))?.remotePort),

  // memcache (sflow_memcache.txt): names after sFlow-RT's HTTP ones (not confirmed from its sources).
  memcacheprotocol: named((ctx) => ctx.record('memcache_operation')?.protocol, MEMCACHE_PROTOCOLS),
  memcachecommand: named((ctx) => ctx.record('memcache_operation')?.cmd, MEMCACHE_COMMANDS),
  memcachekey: str((ctx) => ctx.record('memcache_operation')?.key),
  memcachenkeys: num((ctx) => ctx.record('memcache_operation')?.nkeys),
  memcachevaluebytes: num((ctx) => ctx.record('memcache_operation')?.valueBytes),
  memcachestatus: named((ctx) => ctx.record('memcache_operation')?.status, MEMCACHE_STATUSES),
};
