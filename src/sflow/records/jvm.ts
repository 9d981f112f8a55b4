/** Structures of https://sflow.org/sflow_jvm.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
