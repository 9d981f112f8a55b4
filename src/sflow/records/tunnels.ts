/** Structures of https://sflow.org/sflow_tunnels.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
