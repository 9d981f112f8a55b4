/** `sflowkit/http`: sFlow for Node's HTTP servers and their frameworks, and the exporter that sends it (docs/agents.md). */
export { type Collector, type ExporterOptions, SflowExporter } from '../agent/exporter.js';
export {
  type ExpressMiddleware,
  type KoaMiddleware,
  sflowExpress,
  sflowFastify,
  sflowKoa,
} from './framework-adapters.js';
export type { CounterPageOptions } from './http-counter-page.js';
export type { HttpCounters } from './http-data-source.js';
export { DEFAULT_AUTO_FILE, HttpSflow, type HttpSflowOptions, instrumentHttp } from './http-sflow.js';
