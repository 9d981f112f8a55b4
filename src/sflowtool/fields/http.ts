/** sflowtool's names for the structures of records/http.ts (readFlowSample_http, readCounters_http). */
import type { XdrString } from '../../xdr/reader.js';
import type { CounterFieldTable, FlowFieldTable, Put } from '../field-map.js';
import { putText } from '../format.js';
import { putSocket } from './host.js';

/** sflowtool's buffers for the request strings (SFL_MAX_HTTP_*); it prints at most one byte less. */
const URI = 255;
const HOST = 64;
const REFERRER = 255;
const USERAGENT = 128;
const XFF = 64;
const AUTHUSER = 32;
const MIMETYPE = 64;

interface RequestStrings {
  method: number;
  protocol: number;
  uri: XdrString;
  host: XdrString;
  referer: XdrString;
  useragent: XdrString;
  authuser: XdrString;
  mimeType: XdrString;
}

/** The lines both request structures share, up to the strings; `xff` only for 0:2206. */
function putRequest(put: Put, v: RequestStrings, xff?: XdrString): void {
  put('flowSampleType', 'http');
  put('http_method', v.method);
  put('http_protocol', v.protocol);
  putText(put, 'http_uri', v.uri, URI);
  putText(put, 'http_host', v.host, HOST);
  putText(put, 'http_referrer', v.referer, REFERRER);
  putText(put, 'http_useragent', v.useragent, USERAGENT);
  if (xff !== undefined) putText(put, 'http_xff', xff, XFF);
  putText(put, 'http_authuser', v.authuser, AUTHUSER);
  putText(put, 'http_mimetype', v.mimeType, MIMETYPE);
}

export const flowFields: FlowFieldTable = {
  http_request: (v, put) => {
    putRequest(put, v, v.xff);
    put('http_request_bytes', v.reqBytes);
    put('http_bytes', v.respBytes);
    put('http_duration_uS', v.uS);
    put('http_status', v.status >>> 0);
  },
  http_request_deprecated: (v, put) => {
    putRequest(put, v);
    put('http_bytes', v.bytes);
    put('http_duration_uS', v.uS);
    put('http_status', v.status >>> 0);
  },
  // sflowtool does not decode 0:2207; these names follow its style.
  extended_proxy_request: (v, put) => {
    put('extendedType', 'proxy_request');
    putText(put, 'proxy_request_uri', v.uri, URI);
    putText(put, 'proxy_request_host', v.host, HOST);
  },
  extended_proxy_socket_ipv4: (v, put) => {
    put('extendedType', 'proxy_socket4');
    putSocket(put, 'proxy_socket4_', v.socket);
  },
  extended_proxy_socket_ipv6: (v, put) => {
    put('extendedType', 'proxy_socket6');
    putSocket(put, 'proxy_socket6_', v.socket);
  },
};

export const counterFields: CounterFieldTable = {
  http_counters: [
    ['http_method_option_count', 'methodOptionCount'],
    ['http_method_get_count', 'methodGetCount'],
    ['http_method_head_count', 'methodHeadCount'],
    ['http_method_post_count', 'methodPostCount'],
    ['http_method_put_count', 'methodPutCount'],
    ['http_method_delete_count', 'methodDeleteCount'],
    ['http_method_trace_count', 'methodTraceCount'],
    // sic: sflowtool's name
    ['http_methd_connect_count', 'methodConnectCount'],
    ['http_method_other_count', 'methodOtherCount'],
    ['http_status_1XX_count', 'status1XXCount'],
    ['http_status_2XX_count', 'status2XXCount'],
    ['http_status_3XX_count', 'status3XXCount'],
    ['http_status_4XX_count', 'status4XXCount'],
    ['http_status_5XX_count', 'status5XXCount'],
    ['http_status_other_count', 'statusOtherCount'],
  ],
};
