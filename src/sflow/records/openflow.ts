/** Structures of https://sflow.org/sflow_openflow.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
