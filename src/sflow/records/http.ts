/** Structures of https://sflow.org/sflow_http.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
