/**
 * Names for the structures of records/sensors.ts, which sflowtool does not decode: structure name, field, then
 * unit, as in its nvml_* and sfp_* lines. Signed fields print signed.
 */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';

export const flowFields: FlowFieldTable = {};

export const counterFields: CounterFieldTable = {
  energy: [
    ['energy_voltage_mV', 'voltage'],
    ['energy_current_mA', 'current'],
    ['energy_real_power_mW', 'realPower'],
    ['energy_power_factor', 'powerFactor'],
    ['energy_energy_mJ', 'energy'],
    ['energy_errors', 'errors'],
  ],
  temperature: [
    ['temperature_minimum_dC', 'minimum'],
    ['temperature_maximum_dC', 'maximum'],
    ['temperature_errors', 'errors'],
  ],
  humidity: [['humidity_relative_pc', 'relative']],
  fans: [
    ['fans_total', 'total'],
    ['fans_failed', 'failed'],
    ['fans_speed_pc', 'speed'],
  ],
};
