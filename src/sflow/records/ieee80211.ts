/** Structures of https://sflow.org/sflow_80211.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
