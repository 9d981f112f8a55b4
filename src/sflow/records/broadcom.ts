/** Structures of https://sflow.org/bv-sflow.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
