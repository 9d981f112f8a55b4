/** Structures of https://sflow.org/draft_sflow_infiniband_2.txt (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
