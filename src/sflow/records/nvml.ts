/** Counter records of the NVIDIA NVML GPU structures: https://sflow.org/sflow_nvml.txt (enterprise 5703) */
import { struct, u32, u64 } from '../schema.js';
import { record } from './define.js';

const SPEC = 'https://sflow.org/sflow_nvml.txt';

/**
 * 5703:1 nvidia_gpu: sums across devices (times in milliseconds, memory in bytes, energy in millijoules),
 * except temperature (degrees Celsius) and fan_speed (percent), which are the maxima.
 */
export const NvidiaGpu = struct({
  deviceCount: u32,
  processes: u32,
  gpuTime: u32,
  memTime: u32,
  memTotal: u64,
  memFree: u64,
  eccErrors: u32,
  energy: u32,
  temperature: u32,
  fanSpeed: u32,
});

export const flowRecords = {};

export const counterRecords = {
  nvidia_gpu: record(5703, 1, NvidiaGpu, SPEC),
};
