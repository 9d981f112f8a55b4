/** Structures of https://sflow.org/sflow_lag.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
