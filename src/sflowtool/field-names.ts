/** The one table from our structures' fields to sflowtool's names, merged from one file per spec document. */
import type { CounterFieldTable, FlowFieldTable } from './field-map.js';
import * as application from './fields/application.js';
import * as broadcom from './fields/broadcom.js';
import * as discussion from './fields/discussion.js';
import * as drops from './fields/drops.js';
import * as host from './fields/host.js';
import * as hostIp from './fields/host-ip.js';
import * as hostSflow from './fields/host-sflow.js';
import * as http from './fields/http.js';
import * as ieee80211 from './fields/ieee80211.js';
import * as infiniband from './fields/infiniband.js';
import * as jvm from './fields/jvm.js';
import * as lag from './fields/lag.js';
import * as memcache from './fields/memcache.js';
import * as nvml from './fields/nvml.js';
import * as openflow from './fields/openflow.js';
import * as optics from './fields/optics.js';
import * as pnat from './fields/pnat.js';
import * as sensors from './fields/sensors.js';
import * as sflowV5 from './fields/sflow-v5.js';
import * as transit from './fields/transit.js';
import * as tunnels from './fields/tunnels.js';

export const FLOW_FIELDS: FlowFieldTable = {
  ...sflowV5.flowFields,
  ...ieee80211.flowFields,
  ...openflow.flowFields,
  ...lag.flowFields,
  ...optics.flowFields,
  ...infiniband.flowFields,
  ...broadcom.flowFields,
  ...nvml.flowFields,
  ...sensors.flowFields,
  ...discussion.flowFields,
  ...host.flowFields,
  ...hostIp.flowFields,
  ...http.flowFields,
  ...memcache.flowFields,
  ...application.flowFields,
  ...jvm.flowFields,
  ...tunnels.flowFields,
  ...drops.flowFields,
  ...transit.flowFields,
  ...pnat.flowFields,
  ...hostSflow.flowFields,
};

export const COUNTER_FIELDS: CounterFieldTable = {
  ...sflowV5.counterFields,
  ...ieee80211.counterFields,
  ...openflow.counterFields,
  ...lag.counterFields,
  ...optics.counterFields,
  ...infiniband.counterFields,
  ...broadcom.counterFields,
  ...nvml.counterFields,
  ...sensors.counterFields,
  ...discussion.counterFields,
  ...host.counterFields,
  ...hostIp.counterFields,
  ...http.counterFields,
  ...memcache.counterFields,
  ...application.counterFields,
  ...jvm.counterFields,
  ...tunnels.counterFields,
  ...drops.counterFields,
  ...transit.counterFields,
  ...pnat.counterFields,
  ...hostSflow.counterFields,
};
