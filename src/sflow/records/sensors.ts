/** Counter records of the environmental sensor structures: https://groups.google.com/g/sflow/c/gN3nxSi2SBs */
import { i32, struct, u32 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://groups.google.com/g/sflow/c/gN3nxSi2SBs';

/**
 * 0:3000 energy: millivolts, milliamps, milliwatts, millijoules; 0xFFFFFFFF when unknown (the post's
 * 4,294,976,295 is a slip for 4,294,967,295). power_factor is in hundredths of a percent: -10000..10000 for AC,
 * -2147483647 unknown AC, 2147483647 for DC.
 */
export const Energy = struct({
  voltage: u32,
  current: u32,
  realPower: u32,
  powerFactor: i32,
  energy: u32,
  errors: u32,
});

/** 0:3001 temperature: coolest and hottest thermometer, in tenths of a degree Celsius */
export const Temperature = struct({ minimum: i32, maximum: i32, errors: u32 });

/** 0:3002 humidity: relative humidity in percent */
export const Humidity = struct({ relative: i32 });

/** 0:3003 fans: speed is the average, in percent */
export const Fans = struct({ total: u32, failed: u32, speed: u32 });

export const flowRecords = {};

export const counterRecords = {
  energy: record(0, 3000, Energy, SPEC),
  temperature: record(0, 3001, Temperature, SPEC),
  humidity: record(0, 3002, Humidity, SPEC),
  fans: record(0, 3003, Fans, SPEC),
};
