/** `sflowkit/http`: sFlow for Node's HTTP servers, and the exporter that sends it (docs/agents.md). */
export { type Collector, type ExporterOptions, SflowExporter } from '../agent/exporter.js';
export { type HttpSflow, type HttpSflowOptions, instrumentHttp } from './http-sflow.js';
