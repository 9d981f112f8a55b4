/** sflowtool's names for the structures of records/nvml.ts (readCounters_host_gpu_nvml). */
import type { CounterFieldTable, FlowFieldTable } from '../field-map.js';

export const flowFields: FlowFieldTable = {};

export const counterFields: CounterFieldTable = {
  nvidia_gpu: [
    ['nvml_device_count', 'deviceCount'],
    ['nvml_processes', 'processes'],
    ['nvml_gpu_mS', 'gpuTime'],
    ['nvml_mem_mS', 'memTime'],
    ['nvml_mem_bytes_total', 'memTotal'],
    ['nvml_mem_bytes_free', 'memFree'],
    ['nvml_ecc_errors', 'eccErrors'],
    ['nvml_energy_mJ', 'energy'],
    ['nvml_temperature_C', 'temperature'],
    ['nvml_fan_speed_pc', 'fanSpeed'],
  ],
};
