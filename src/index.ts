/**
 * sflowkit as a library: the sFlow v5 codec, the sampled packet header decoder, pcap/pcapng capture files,
 * and the analytics engine. The commands (`sflowkit decode`, `serve`, …) are built from these.
 */
export * from './capture/index.js';
export { Engine, type EngineOptions } from './engine/engine.js';
export * from './packet/index.js';
export * from './sflow/index.js';
