/** Structures of https://sflow.org/sflow_transit.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
