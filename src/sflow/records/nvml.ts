/** Structures of https://sflow.org/sflow_nvml.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
