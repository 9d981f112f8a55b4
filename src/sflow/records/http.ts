/** Structures of the sFlow HTTP Structures: https://sflow.org/sflow_http.txt */
import { enumOf, i32, string, struct, u32, u64 } from '../schema.js';
import { record } from './define.js';
import { ExtendedSocketIpv4, ExtendedSocketIpv6 } from './host.js';

const SPEC = 'https://sflow.org/sflow_http.txt';

/** http_method (may grow: unknown values are kept) */
export const HTTP_METHODS = {
  0: 'OTHER',
  1: 'OPTIONS',
  2: 'GET',
  3: 'HEAD',
  4: 'POST',
  5: 'PUT',
  6: 'DELETE',
  7: 'TRACE',
  8: 'CONNECT',
} as const;

/** 0:2206 http_request (protocol is major * 1000 + minor: 1001 = HTTP/1.1; uS is the duration) */
export const HttpRequest = struct({
  method: enumOf(HTTP_METHODS),
  protocol: u32,
  uri: string(255),
  host: string(64),
  referer: string(255),
  useragent: string(128),
  xff: string(64),
  authuser: string(32),
  mimeType: string(64),
  reqBytes: u64,
  respBytes: u64,
  uS: u32,
  status: i32,
});

/**
 * 0:2201 http_request (deprecated), the structure 0:2206 replaced in January 2012: no xff and a single
 * response byte count. The proposal on the sflow list (https://groups.google.com/g/sflow/c/iKzLK61ZTR0) had
 * neither protocol nor mime-type and a 32-bit count; this is the layout mod-sflow actually sent in 2011 and
 * sflowtool reads (https://github.com/sflow/mod-sflow, sflow_api.c before commit f76410b).
 */
export const HttpRequestDeprecated = struct({
  method: enumOf(HTTP_METHODS),
  protocol: u32,
  uri: string(255),
  host: string(64),
  referer: string(255),
  useragent: string(128),
  authuser: string(32),
  mimeType: string(64),
  bytes: u64,
  uS: u32,
  status: i32,
});

/** 0:2207 extended_proxy_request: the URI and Host sent downstream, when the proxy rewrote them */
export const ExtendedProxyRequest = struct({ uri: string(255), host: string(64) });

/** 0:2102 extended_proxy_socket_ipv4: the connection a proxy used to fetch the response */
export const ExtendedProxySocketIpv4 = struct({ socket: ExtendedSocketIpv4 });

/** 0:2103 extended_proxy_socket_ipv6 */
export const ExtendedProxySocketIpv6 = struct({ socket: ExtendedSocketIpv6 });

/** 0:2201 http_counters */
export const HttpCounters = struct({
  methodOptionCount: u32,
  methodGetCount: u32,
  methodHeadCount: u32,
  methodPostCount: u32,
  methodPutCount: u32,
  methodDeleteCount: u32,
  methodTraceCount: u32,
  methodConnectCount: u32,
  methodOtherCount: u32,
  status1XXCount: u32,
  status2XXCount: u32,
  status3XXCount: u32,
  status4XXCount: u32,
  status5XXCount: u32,
  statusOtherCount: u32,
});

export const flowRecords = {
  extended_proxy_socket_ipv4: record(0, 2102, ExtendedProxySocketIpv4, SPEC),
  extended_proxy_socket_ipv6: record(0, 2103, ExtendedProxySocketIpv6, SPEC),
  http_request_deprecated: record(
    0,
    2201,
    HttpRequestDeprecated,
    'https://groups.google.com/g/sflow/c/iKzLK61ZTR0',
  ),
  http_request: record(0, 2206, HttpRequest, SPEC),
  extended_proxy_request: record(0, 2207, ExtendedProxyRequest, SPEC),
};

export const counterRecords = {
  http_counters: record(0, 2201, HttpCounters, SPEC),
};
