/**
 * The Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): samples grouped by metric
 * name under one HELP and one TYPE line, names and label names made valid, label values and help escaped.
 *
 * What sFlow-RT serves, which `sflowkit serve` copies so that existing scrape configs and Grafana dashboards
 * keep working:
 * - `/prometheus/metrics/{agent}/{metric}/txt` (`ALL/ALL` for everything): one sample per data source and
 *   metric, named `sflow_` + sFlow-RT's metric name as it is (already lower case: `sflow_ifinoctets`,
 *   `sflow_ifinutilization`, `sflow_cpu_utilization`, `sflow_load_one`), labelled, in this order, `agent` (the
 *   agent address), `datasource` (sFlow-RT's data source name: the ifIndex alone for an interface, `15`;
 *   `type.index` otherwise, `2.1` for a host), then `ifname` and `host` where known. Source: the example
 *   `sflow_ifinoctets{agent="192.168.0.11",datasource="15",ifname="swp10",host="leaf1"} 0` in api.yml of
 *   github.com/sflow-rt/prometheus before commit c240b3c ("Remove duplicate documentation for embedded
 *   exporters", 2021: the endpoint moved into sFlow-RT itself); the scrape config that sFlow-RT's Grafana
 *   dashboards 11096 and 11201 publish joins `agent` and `datasource` into `instance`, so these two identify
 *   a series' data source.
 * - Values are what sFlow-RT's metrics hold: counters already turned into rates per second, utilizations
 *   in percent. So they are gauges, not Prometheus counters; sflowkit says so with TYPE lines.
 * - `/prometheus/analyzer/txt`: the analyzer's own health, `sflow_analyzer_*` without labels
 *   (`sflow_analyzer_agent_count`, same api.yml).
 * - The prometheus app's `scripts/export.js` (same repository) makes a name valid by turning each character
 *   outside [a-zA-Z0-9_] into `_`, prefixes `sflow_` (system property prometheus.metric.prefix), and writes
 *   TYPE lines (always `gauge`) only when prometheus.type=yes. It does not escape label values; this writer
 *   does, as the format requires.
 */

/** One sample. Samples that share a name after sanitizing are one metric; the first HELP and TYPE win. */
export interface PrometheusSample {
  name: string;
  help?: string;
  type?: 'gauge' | 'counter' | 'untyped';
  labels: Record<string, string>;
  value: number;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The prefix sFlow-RT puts before its metric names. */
export const SFLOW_RT_PREFIX = 'sflow_';

/** A valid metric name, [a-zA-Z_:][a-zA-Z0-9_:]*: other characters become `_`, a leading digit gets one. */
export function metricName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_:]/gu, '_');
  return /^[a-zA-Z_:]/.test(s) ? s : `_${s}`;
}

/**
 * A valid label name, [a-zA-Z_][a-zA-Z0-9_]*, made as metric names are; names beginning `__` are reserved
 * to Prometheus (`__name__` is the metric name), so a run of leading underscores becomes one.
 */
export function labelName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/gu, '_').replace(/^_{2,}/, '_');
  return /^[a-zA-Z_]/.test(s) ? s : `_${s}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function escapeHelp(help: string): string {
  return help.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** A value as Go's ParseFloat reads it, with the format's spellings of the infinities. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

interface Group {
  help?: string;
  type?: string;
  /** Label sets already written: a series written twice would be refused on ingestion, so the first wins. */
  series: Set<string>;
  lines: string[];
}

/**
 * The exposition of `samples`: metrics in the order their names first appear, each under its HELP and TYPE
 * lines (when given) with all its samples together, labels in the order given. A label name that repeats
 * after sanitizing, and a series (name and labels) that repeats, keep their first value.
 */
export function prometheusText(samples: Iterable<PrometheusSample>): string {
  const groups = new Map<string, Group>();
  for (const sample of samples) {
    const name = metricName(sample.name);
    let group = groups.get(name);
    if (!group) {
      group = { series: new Set(), lines: [] };
      groups.set(name, group);
    }
    if (group.help === undefined && sample.help) group.help = sample.help;
    group.type ??= sample.type;

    const seen = new Set<string>();
    const pairs: string[] = [];
    for (const [key, value] of Object.entries(sample.labels)) {
      const label = labelName(key);
      if (seen.has(label)) continue;
      seen.add(label);
      pairs.push(`${label}="${escapeLabelValue(value)}"`);
    }
    const series = pairs.length ? `${name}{${pairs.join(',')}}` : name;
    if (group.series.has(series)) continue;
    group.series.add(series);
    group.lines.push(`${series} ${formatValue(sample.value)}`);
  }

  const out: string[] = [];
  for (const [name, group] of groups) {
    if (group.help !== undefined) out.push(`# HELP ${name} ${escapeHelp(group.help)}`);
    if (group.type !== undefined) out.push(`# TYPE ${name} ${group.type}`);
    out.push(...group.lines);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
