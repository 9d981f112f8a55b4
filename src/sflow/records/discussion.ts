/** Structures of https://sflow.org/developers/structures.php (stub: to be filled in). */
export const flowRecords = {};
export const counterRecords = {};
