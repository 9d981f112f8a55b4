/** Structures of https://groups.google.com/g/sflow/c/gN3nxSi2SBs (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
