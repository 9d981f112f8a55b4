/** Structures of https://sflow.org/sflow_optics.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
