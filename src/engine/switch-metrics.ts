/**
 * Metrics of switch counters besides if_counters (interface-metrics.ts), with sFlow-RT's names: Ethernet
 * errors and the processor from the core spec (https://sflow.org/sflow_version_5.txt), LAG ports
 * (https://sflow.org/sflow_lag.txt), optical modules (https://sflow.org/sflow_optics.txt) and the Open vSwitch
 * datapath. docs/metrics.md gives each name's source and unit.
 */
import type { CounterRecordName, CounterRecordValue } from '../sflow/registry.js';
import { num, percent, put, type RecordMetrics } from './counter-rules.js';

type Spec<N extends CounterRecordName> = RecordMetrics<CounterRecordValue<N>>;

const ethernetCounters: Spec<'ethernet_counters'> = {
  rules: [
    ['eth_alignmenterrors', 'dot3StatsAlignmentErrors', 'counter'],
    ['eth_fcserrors', 'dot3StatsFCSErrors', 'counter'],
    ['eth_singlecollisions', 'dot3StatsSingleCollisionFrames', 'counter'],
    ['eth_multiplecollisions', 'dot3StatsMultipleCollisionFrames', 'counter'],
    ['eth_sqetesterrors', 'dot3StatsSQETestErrors', 'counter'],
    ['eth_deferredtx', 'dot3StatsDeferredTransmissions', 'counter'],
    ['eth_latecollision', 'dot3StatsLateCollisions', 'counter'],
    ['eth_excessivecollisions', 'dot3StatsExcessiveCollisions', 'counter'],
    ['eth_internalmactxerrors', 'dot3StatsInternalMacTransmitErrors', 'counter'],
    ['eth_carriersenseerrors', 'dot3StatsCarrierSenseErrors', 'counter'],
    ['eth_frametoolongs', 'dot3StatsFrameTooLongs', 'counter'],
    ['eth_internalmacrxerrors', 'dot3StatsInternalMacReceiveErrors', 'counter'],
    ['eth_symbolerrors', 'dot3StatsSymbolErrors', 'counter'],
  ],
};

const processor: Spec<'processor'> = {
  rules: [
    ['cpu_5sec', 'cpu5s', 'hundredths'],
    ['cpu_1min', 'cpu1m', 'hundredths'],
    ['cpu_5min', 'cpu5m', 'hundredths'],
    ['mem_total', 'totalMemory', 'gauge'],
    ['mem_free', 'freeMemory', 'gauge'],
  ],
};

/** dot3adAggPortState: four bytes, in this order. */
const LAG_STATES = [
  'agg_actoradminstate',
  'agg_actoroperstate',
  'agg_partneradminstate',
  'agg_partneroperstate',
];

const lagPortStats: Spec<'lag_port_stats'> = {
  rules: [
    ['agg_actorsystemid', 'dot3adAggPortActorSystemID', 'text'],
    ['agg_partneropersystemid', 'dot3adAggPortPartnerOperSystemID', 'text'],
    ['agg_attachedaggid', 'dot3adAggPortAttachedAggID', 'gauge'],
    ['agg_lacpdusrx', 'dot3adAggPortStatsLACPDUsRx', 'counter'],
    ['agg_markerpdusrx', 'dot3adAggPortStatsMarkerPDUsRx', 'counter'],
    ['agg_markerresponsepdusrx', 'dot3adAggPortStatsMarkerResponsePDUsRx', 'counter'],
    ['agg_unknownrx', 'dot3adAggPortStatsUnknownRx', 'counter'],
    ['agg_illegalrx', 'dot3adAggPortStatsIllegalRx', 'counter'],
    ['agg_lacpdustx', 'dot3adAggPortStatsLACPDUsTx', 'counter'],
    ['agg_markerpdustx', 'dot3adAggPortStatsMarkerPDUsTx', 'counter'],
    ['agg_markerresponsepdustx', 'dot3adAggPortStatsMarkerResponsePDUsTx', 'counter'],
  ],
  derived: LAG_STATES,
  derive: (m, now) => {
    LAG_STATES.forEach((name, i) => {
      m[name] = now.dot3adAggPortState[i] ?? 0;
    });
  },
};

const sfp: Spec<'sfp'> = {
  rules: [
    ['opt_module_id', 'moduleId', 'gauge'],
    ['opt_module_lanes', 'moduleNumLanes', 'gauge'],
  ],
  derived: ['opt_module_supply_voltage', 'opt_module_temperature'],
  derive: (m, now) => {
    // Sent in millivolts and thousandths of a degree; reported in volts and degrees Celsius.
    m.opt_module_supply_voltage = now.moduleSupplyVoltage / 1000;
    m.opt_module_temperature = now.moduleTemperature / 1000;
  },
};

const ovsDpStats: Spec<'ovs_dp_stats'> = {
  rules: [
    ['ovs_dp_hits', 'hits', 'counter'],
    ['ovs_dp_misses', 'misses', 'counter'],
    ['ovs_dp_lost', 'lost', 'counter'],
    ['ovs_mask_hits', 'maskHits', 'counter'],
    ['ovs_dp_flows', 'flows', 'gauge'],
    ['ovs_dp_masks', 'masks', 'gauge'],
  ],
  derived: ['ovs_dp_hitrate', 'ovs_dp_missrate', 'ovs_dp_maskhitsperpacket'],
  derive: (m) => {
    // Every packet the datapath sees is a hit or a miss (a lost packet was a miss first).
    const [hits, misses, maskHits] = [
      num(m, 'ovs_dp_hits'),
      num(m, 'ovs_dp_misses'),
      num(m, 'ovs_mask_hits'),
    ];
    if (hits === undefined || misses === undefined) return;
    put(m, 'ovs_dp_hitrate', percent(hits, hits + misses));
    put(m, 'ovs_dp_missrate', percent(misses, hits + misses));
    if (maskHits !== undefined && hits + misses > 0) m.ovs_dp_maskhitsperpacket = maskHits / (hits + misses);
  },
};

export const SWITCH_METRICS = {
  ethernet_counters: ethernetCounters,
  processor: processor,
  lag_port_stats: lagPortStats,
  sfp: sfp,
  ovs_dp_stats: ovsDpStats,
};
