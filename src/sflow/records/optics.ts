/** Counter records of the optical interface structures: https://sflow.org/sflow_optics.txt */
import { array, i32, struct, u32 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_optics.txt';

/** lane (element of sfp): index is 1-based within the module, 0 = unknown; microamps, microwatts, nanometers */
export const Lane = struct({
  index: u32,
  txBiasCurrent: u32,
  txPower: u32,
  txPowerMin: u32,
  txPowerMax: u32,
  txWavelength: u32,
  rxPower: u32,
  rxPowerMin: u32,
  rxPowerMax: u32,
  rxWavelength: u32,
});

/** 0:10 sfp: supply voltage in millivolts, temperature in thousandths of a degree Celsius (signed) */
export const Sfp = struct({
  moduleId: u32,
  moduleNumLanes: u32,
  moduleSupplyVoltage: u32,
  moduleTemperature: i32,
  lanes: array(Lane),
});

export const flowRecords = {};

export const counterRecords = {
  sfp: record(0, 10, Sfp, SPEC),
};
