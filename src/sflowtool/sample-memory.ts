/**
 * What sflowtool keeps of each record in its per-sample state (SampleState), for -l, -H, -t and the VLAN
 * filter: a table by structure, typed like the name table. The sampled header is not here: its decode prints
 * lines too (header-fields.ts).
 */
import type {
  CounterRecordName,
  CounterRecordValue,
  FlowRecordName,
  FlowRecordValue,
} from '../sflow/registry.js';
import { addressText, macPlain, text } from './format.js';
import type { SampleState } from './sample-state.js';
import { clfLocal } from './time-format.js';

type Remember<V> = (s: SampleState, v: V, time: number) => void;
type FlowMemory = { readonly [N in FlowRecordName]?: Remember<FlowRecordValue<N>> };
type CounterMemory = { readonly [N in CounterRecordName]?: Remember<CounterRecordValue<N>> };

type Ethernet = FlowRecordValue<'sampled_ethernet'>;
type Ip = FlowRecordValue<'sampled_ipv4'> | FlowRecordValue<'sampled_ipv6'>;

const ethernet: Remember<Ethernet> = (s, e) => {
  s.ethSrc = macPlain(e.srcMac);
  s.ethDst = macPlain(e.dstMac);
  s.ethType = e.type;
};

function ip(type: 1 | 2): Remember<Ip> {
  return (s, v) => {
    s.sampledPacketSize = v.length;
    s.ipSrc = { type, text: addressText(v.srcIp) };
    s.ipDst = { type, text: addressText(v.dstIp) };
    s.ipProtocol = v.protocol;
    if ('tos' in v) s.ipTos = v.tos;
    s.srcPort = v.srcPort;
    s.dstPort = v.dstPort;
    // sflowtool takes the TCP flags only from TCP.
    if (v.protocol === 6) s.tcpFlags = v.tcpFlags;
  };
}

type Socket = FlowRecordValue<'extended_socket_ipv4'> | FlowRecordValue<'extended_socket_ipv6'>;

function socket(type: 1 | 2): Remember<Socket> {
  return (s, v) => {
    s.ipSrc = { type, text: addressText(v.localIp) };
    s.ipDst = { type, text: addressText(v.remoteIp) };
    // The client of -H is the remote end, cut to sflowtool's 64-byte buffer.
    s.clfClient = s.ipDst.text.slice(0, 63);
  };
}

const HTTP_METHODS = ['-', 'OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT'];

type Request = FlowRecordValue<'http_request_deprecated'>;

/** The combined-log line of an HTTP request, without its client (which a socket record gives). */
function clf(v: Omit<Request, 'bytes'>, bytes: bigint, time: number): string {
  const or = (x: string) => x || '-';
  const method = HTTP_METHODS[v.method] ?? '-';
  const version = `HTTP/${Math.floor(v.protocol / 1000)}.${v.protocol % 1000}`;
  const line =
    `- ${or(text(v.authuser, 32))} [${clfLocal(time)}] "${method} ${or(text(v.uri, 255))} ${version}" ` +
    `${v.status >>> 0} ${bytes} "${or(text(v.referer, 255))}" "${or(text(v.useragent, 128))}"`;
  // sflowtool's line buffer.
  return line.slice(0, 1999);
}

const ipv4 = ip(1);
const ipv6 = ip(2);

export const FLOW_MEMORY: FlowMemory = {
  sampled_ethernet: ethernet,
  extended_L2_tunnel_egress: (s, v, t) => ethernet(s, v.header, t),
  extended_L2_tunnel_ingress: (s, v, t) => ethernet(s, v.header, t),
  sampled_ipv4: ipv4,
  sampled_ipv6: ipv6,
  extended_ipv4_tunnel_egress: (s, v, t) => ipv4(s, v.header, t),
  extended_ipv4_tunnel_ingress: (s, v, t) => ipv4(s, v.header, t),
  extended_ipv6_tunnel_egress: (s, v, t) => ipv6(s, v.header, t),
  extended_ipv6_tunnel_ingress: (s, v, t) => ipv6(s, v.header, t),
  extended_switch: (s, v) => {
    s.inVlan = v.srcVlan;
    s.outVlan = v.dstVlan;
  },
  extended_socket_ipv4: socket(1),
  extended_socket_ipv6: socket(2),
  http_request: (s, v, t) => {
    s.clfLog = clf(v, v.respBytes, t);
  },
  http_request_deprecated: (s, v, t) => {
    s.clfLog = clf(v, v.bytes, t);
  },
};

export const COUNTER_MEMORY: CounterMemory = {
  if_counters: (s, v) => {
    s.ifCounters = v;
  },
};
