/** Structures of https://sflow.org/sflow_pnat.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
