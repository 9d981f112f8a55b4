/**
 * sFlow-RT's custom metric samples (https://sflow-rt.com/agent_custom_metrics.php): 4300:1002 rtmetric and
 * 4300:1003 rtflow. Each value is a typed union on a u32, as sflowtool decodes them.
 */
import { array, f32, f64, type Infer, ipv4, ipv6, mac, string, struct, u32, u64, union } from './schema.js';

const metricValue = union({ 0: string(255), 1: u32, 2: u64, 3: u32, 4: u64, 5: f32, 6: f64 });

/** Metric types: 0 string, 1 counter32, 2 counter64, 3 gauge32, 4 gauge64, 5 gaugeFloat, 6 gaugeDouble. */
export const RtMetric = struct({
  datasource: string(64),
  metrics: array(struct({ name: string(64), value: metricValue })),
});

const flowValue = union({ 0: string(255), 1: mac, 2: ipv4, 3: ipv6, 4: u32, 5: u64, 6: f32, 7: f64 });

/** Value types: 0 string, 1 mac, 2 ip, 3 ip6, 4 int32, 5 int64, 6 float, 7 double. */
export const RtFlow = struct({
  datasource: string(64),
  samplingRate: u32,
  samplePool: u32,
  values: array(struct({ name: string(64), value: flowValue })),
});

export type RtMetricValue = Infer<typeof RtMetric>;
export type RtFlowValue = Infer<typeof RtFlow>;
