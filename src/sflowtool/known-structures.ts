/**
 * The structures sflowtool 6.11 decodes. It skips every other tag with a "skipping unknown" line, and so do we
 * unless asked to print all we know (--all-structures).
 */
const FLOW = [
  1, 2, 3, 4, 2200, 2201, 2206, 2202, 2203, 2204, 2205, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1020, 1008,
  1009, 1010, 1011, 1012, 1013, 1014, 1015, 2100, 2101, 2102, 2103, 1021, 1022, 1023, 1024, 1025, 1026, 1027,
  1028, 1029, 1030, 2209, 2210, 1036, 1039, 1040, 1043, 1038, 1041, 1042,
];
const COUNTERS = [
  1, 2, 3, 4, 5, 6, 7, 10, 1001, 1002, 1004, 1005, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009,
  2010, 2100, 2101, 2102, 2103, 2104, 2200, 2204, 2201, 2105, 2106, 2202, 2203, 2206, 2205, 2207, 11,
];
const BCM_TABLES = (4413 << 12) + 3;
const NVML = (5703 << 12) + 1;

/** By data format word (enterprise << 12 | format). */
export const SFLOWTOOL_FLOW_FORMATS: ReadonlySet<number> = new Set(FLOW);
export const SFLOWTOOL_COUNTER_FORMATS: ReadonlySet<number> = new Set([...COUNTERS, BCM_TABLES, NVML]);
