/**
 * The tag registry: every flow and counter record structure sflowkit knows, by name, merged from one file per
 * spec document under records/. Lookups by the XDR data_format word serve the decoder.
 */

import * as application from './records/application.js';
import * as broadcom from './records/broadcom.js';
import type { RecordDef } from './records/define.js';
import * as discussion from './records/discussion.js';
import * as drops from './records/drops.js';
import * as host from './records/host.js';
import * as hostIp from './records/host-ip.js';
import * as hostSflow from './records/host-sflow.js';
import * as http from './records/http.js';
import * as ieee80211 from './records/ieee80211.js';
import * as infiniband from './records/infiniband.js';
import * as jvm from './records/jvm.js';
import * as lag from './records/lag.js';
import * as memcache from './records/memcache.js';
import * as nvml from './records/nvml.js';
import * as openflow from './records/openflow.js';
import * as optics from './records/optics.js';
import * as pnat from './records/pnat.js';
import * as sensors from './records/sensors.js';
import * as sflowV5 from './records/sflow-v5.js';
import * as transit from './records/transit.js';
import * as tunnels from './records/tunnels.js';
import type { Infer } from './schema.js';

/** The spec document files by file name (docs/structures.md names each codec by its export there). */
export const DOCUMENTS: Record<string, Record<string, unknown>> = {
  'sflow-v5': sflowV5,
  ieee80211: ieee80211,
  openflow: openflow,
  lag: lag,
  optics: optics,
  infiniband: infiniband,
  broadcom: broadcom,
  nvml: nvml,
  sensors: sensors,
  discussion: discussion,
  host: host,
  'host-ip': hostIp,
  http: http,
  memcache: memcache,
  application: application,
  jvm: jvm,
  tunnels: tunnels,
  drops: drops,
  transit: transit,
  pnat: pnat,
  'host-sflow': hostSflow,
};

export const FLOW_RECORDS = {
  ...sflowV5.flowRecords,
  ...ieee80211.flowRecords,
  ...openflow.flowRecords,
  ...lag.flowRecords,
  ...optics.flowRecords,
  ...infiniband.flowRecords,
  ...broadcom.flowRecords,
  ...nvml.flowRecords,
  ...sensors.flowRecords,
  ...discussion.flowRecords,
  ...host.flowRecords,
  ...hostIp.flowRecords,
  ...http.flowRecords,
  ...memcache.flowRecords,
  ...application.flowRecords,
  ...jvm.flowRecords,
  ...tunnels.flowRecords,
  ...drops.flowRecords,
  ...transit.flowRecords,
  ...pnat.flowRecords,
  ...hostSflow.flowRecords,
};

export const COUNTER_RECORDS = {
  ...sflowV5.counterRecords,
  ...ieee80211.counterRecords,
  ...openflow.counterRecords,
  ...lag.counterRecords,
  ...optics.counterRecords,
  ...infiniband.counterRecords,
  ...broadcom.counterRecords,
  ...nvml.counterRecords,
  ...sensors.counterRecords,
  ...discussion.counterRecords,
  ...host.counterRecords,
  ...hostIp.counterRecords,
  ...http.counterRecords,
  ...memcache.counterRecords,
  ...application.counterRecords,
  ...jvm.counterRecords,
  ...tunnels.counterRecords,
  ...drops.counterRecords,
  ...transit.counterRecords,
  ...pnat.counterRecords,
  ...hostSflow.counterRecords,
};

export type FlowRecordName = keyof typeof FLOW_RECORDS;
export type CounterRecordName = keyof typeof COUNTER_RECORDS;
export type FlowRecordValue<N extends FlowRecordName> = Infer<(typeof FLOW_RECORDS)[N]['codec']>;
export type CounterRecordValue<N extends CounterRecordName> = Infer<(typeof COUNTER_RECORDS)[N]['codec']>;

export interface RegistryEntry {
  readonly name: string;
  readonly def: RecordDef;
}

/** data_format word → entry; throws at load time if two documents claim one name or one tag. */
function index(
  kind: 'flowRecords' | 'counterRecords',
  merged: Record<string, RecordDef>,
): Map<number, RegistryEntry> {
  const declared = Object.values(DOCUMENTS).reduce((n, d) => n + Object.keys(d[kind] as object).length, 0);
  if (declared !== Object.keys(merged).length) throw new Error(`duplicate ${kind} name in the registry`);
  const byFormat = new Map<number, RegistryEntry>();
  for (const [name, def] of Object.entries(merged)) {
    if (byFormat.has(def.dataFormat)) throw new Error(`duplicate ${kind} tag ${def.tag}`);
    byFormat.set(def.dataFormat, { name, def });
  }
  return byFormat;
}

export const FLOW_BY_FORMAT = index('flowRecords', FLOW_RECORDS as Record<string, RecordDef>);
export const COUNTER_BY_FORMAT = index('counterRecords', COUNTER_RECORDS as Record<string, RecordDef>);
