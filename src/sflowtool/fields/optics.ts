/** sflowtool's names for the structures of records/optics.ts (readCounters_SFP). */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';

/**
 * Per-lane lines are named `sfp_lane_<field>.<n>`, n counting lanes from 0 in the order sent (not the lane's
 * own index). sflowtool 6.11 passes eight of the field names with a literal ".%u" still in them, so they print
 * as e.g. `sfp_lane_tx_power_uW.%u.0`; reproduced here as printed.
 */
export const LANE_FIELDS = [
  ['index', 'index'],
  ['tx_bias_current_uA', 'txBiasCurrent'],
  ['tx_power_uW.%u', 'txPower'],
  ['tx_power_min_uW.%u', 'txPowerMin'],
  ['tx_power_max_uW.%u', 'txPowerMax'],
  ['tx_wavelength_nM.%u', 'txWavelength'],
  ['rx_power_uW.%u', 'rxPower'],
  ['rx_power_min_uW.%u', 'rxPowerMin'],
  ['rx_power_max_uW.%u', 'rxPowerMax'],
  ['rx_wavelength_nM.%u', 'rxWavelength'],
] as const;

export const flowFields: FlowFieldTable = {};

export const counterFields: CounterFieldTable = {
  sfp: (v, put) => {
    put('sfp_module_id', v.moduleId);
    put('sfp_module_total_lanes', v.moduleNumLanes);
    put('sfp_module_supply_voltage', v.moduleSupplyVoltage);
    // Signed in the spec, printed with %u by sflowtool.
    put('sfp_module_temperature', v.moduleTemperature >>> 0);
    put('sfp_module_active_lanes', v.lanes.length);
    v.lanes.forEach((lane, n) => {
      for (const [name, field] of LANE_FIELDS) put(`sfp_lane_${name}.${n}`, lane[field]);
    });
  },
};
