/** Structures of https://github.com/sflow/host-sflow/blob/master/src/sflow/sflow.h (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
