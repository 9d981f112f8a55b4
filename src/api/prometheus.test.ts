/**
 * The Prometheus writer: exact text for small cases, and Prometheus's own parser (`promtool check metrics`,
 * Debian package `prometheus`) on tricky names, labels and values. Without promtool those tests skip, saying so.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { formatValue, labelName, metricName, type PrometheusSample, prometheusText } from './prometheus.js';

test('metric names: invalid characters become _, a leading digit gets one', () => {
  assert.equal(metricName('sflow_ifinoctets'), 'sflow_ifinoctets');
  assert.equal(metricName('a:b_c9'), 'a:b_c9');
  assert.equal(metricName('if.in-octets/s'), 'if_in_octets_s');
  assert.equal(metricName('9lives'), '_9lives');
  assert.equal(metricName('débit'), 'd_bit');
  assert.equal(metricName('😀x'), '_x');
  assert.equal(metricName(''), '_');
});

test('label names: no colon, and no reserved __ prefix', () => {
  assert.equal(labelName('agent'), 'agent');
  assert.equal(labelName('a:b'), 'a_b');
  assert.equal(labelName('1st'), '_1st');
  assert.equal(labelName('__name__'), '_name__');
  assert.equal(labelName('__'), '_');
  assert.equal(labelName('_ok'), '_ok');
});

test('values: integers, fractions, exponents, NaN and the infinities', () => {
  assert.equal(formatValue(0), '0');
  assert.equal(formatValue(-0), '0');
  assert.equal(formatValue(12), '12');
  assert.equal(formatValue(0.25), '0.25');
  assert.equal(formatValue(1e21), '1e+21');
  assert.equal(formatValue(-1.5e-7), '-1.5e-7');
  assert.equal(formatValue(Number.NaN), 'NaN');
  assert.equal(formatValue(Number.POSITIVE_INFINITY), '+Inf');
  assert.equal(formatValue(Number.NEGATIVE_INFINITY), '-Inf');
});

test('samples of one name together under one HELP and TYPE, in first-seen order', () => {
  const text = prometheusText([
    {
      name: 'sflow_ifinoctets',
      help: 'Bytes in per second',
      type: 'gauge',
      labels: { agent: '10.0.0.1', datasource: '1' },
      value: 5,
    },
    { name: 'sflow_analyzer_agent_count', type: 'gauge', labels: {}, value: 2 },
    {
      name: 'sflow_ifinoctets',
      help: 'ignored',
      type: 'counter',
      labels: { agent: '10.0.0.1', datasource: '2' },
      value: 6,
    },
  ]);
  assert.equal(
    text,
    [
      '# HELP sflow_ifinoctets Bytes in per second',
      '# TYPE sflow_ifinoctets gauge',
      'sflow_ifinoctets{agent="10.0.0.1",datasource="1"} 5',
      'sflow_ifinoctets{agent="10.0.0.1",datasource="2"} 6',
      '# TYPE sflow_analyzer_agent_count gauge',
      'sflow_analyzer_agent_count 2',
      '',
    ].join('\n'),
  );
});

test('escaping: label values (\\ " newline) and help (\\ newline)', () => {
  const text = prometheusText([
    { name: 'm', help: 'a \\ b\nc "d"', labels: { ifname: 'C:\\path "q"\nnext' }, value: 1 },
  ]);
  assert.equal(text, '# HELP m a \\\\ b\\nc "d"\nm{ifname="C:\\\\path \\"q\\"\\nnext"} 1\n');
});

test('a repeated series or label name keeps its first value; nothing gives nothing', () => {
  const text = prometheusText([
    { name: 'm', labels: { 'a.b': '1', a_b: '2' }, value: 1 },
    { name: 'm', labels: { a_b: '1' }, value: 2 },
    { name: 'm.', labels: {}, value: 3 },
    { name: 'm_', labels: {}, value: 4 },
  ]);
  assert.equal(text, 'm{a_b="1"} 1\nm_ 3\n');
  assert.equal(prometheusText([]), '');
});

// Names, labels and values meant to break a careless writer; promtool parses what comes out.
const TRICKY: PrometheusSample[] = [
  {
    name: 'sflow_ifinoctets',
    help: 'bytes in per second',
    type: 'gauge',
    labels: { agent: '192.0.2.1', datasource: '15', ifname: 'swp10', host: 'leaf1' },
    value: 1234.5,
  },
  {
    name: 'sflow_ifinoctets',
    type: 'gauge',
    labels: { agent: '2001:db8::1', datasource: '2.1', ifname: 'eth0', host: 'a"b\\c\nd' },
    value: 0,
  },
  {
    name: 'sflow_load_one',
    help: 'help with \\ backslash\nand newline',
    type: 'gauge',
    labels: { agent: '192.0.2.1', datasource: '2.1' },
    value: Number.NaN,
  },
  {
    name: 'sflow_load_one',
    labels: { agent: '192.0.2.2', datasource: '2.1' },
    value: Number.POSITIVE_INFINITY,
  },
  {
    name: 'sflow_load_one',
    labels: { agent: '192.0.2.3', datasource: '2.1' },
    value: Number.NEGATIVE_INFINITY,
  },
  { name: 'sflow_analyzer_agent_count', type: 'gauge', labels: {}, value: 3 },
  {
    name: '0bad name-with.dots',
    type: 'untyped',
    labels: { '9x': 'v', 'la-bel': 'ünïcødé ✓', __name__: 'n', '': 'empty name' },
    value: -1e-300,
  },
  { name: 'ops:rate5m', type: 'counter', labels: { le: '' }, value: 1.7976931348623157e308 },
  { name: 'sflow_ifinoctets', labels: { agent: '192.0.2.9', datasource: '3' }, value: 2 ** 53 + 2 },
];

/** promtool's verdict on `text`, or undefined when promtool is not installed. */
function promtool(text: string): { status: number; output: string } | undefined {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  if (r.error) throw r.error;
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

const NO_PROMTOOL =
  promtool('') === undefined && 'promtool not found: apt-get install prometheus (Debian) to run';

// promtool exits 1 when the text does not parse, 3 when it parses but breaks naming conventions (no HELP,
// camelCase, a counter without _total); only the first would stop a scrape.
test('promtool parses the tricky exposition', { skip: NO_PROMTOOL }, () => {
  const text = prometheusText(TRICKY);
  const r = promtool(text)!;
  assert.notEqual(r.status, 1, `promtool refused:\n${r.output}\n${text}`);
  assert.doesNotMatch(r.output, /error while linting|parsing error/, `${r.output}\n${text}`);
});

// sFlow-RT's own sflow_analyzer_agent_count draws a remark (a _count suffix belongs to summaries), so it is
// left out here.
test('promtool passes a conventional exposition without a remark', { skip: NO_PROMTOOL }, () => {
  const conventional = TRICKY.filter((s) => s.name.startsWith('sflow_') && !s.name.endsWith('_count'));
  const text = prometheusText(conventional.map((s) => ({ ...s, help: s.help ?? 'x' })));
  assert.deepEqual(promtool(text), { status: 0, output: '' });
});

test('promtool does refuse a broken exposition (so the checks above can fail)', { skip: NO_PROMTOOL }, () => {
  for (const bad of [
    'm{a="1} 1\n',
    'm{a="\\q"} 1\n',
    '# TYPE m gauge\nm 1\n# TYPE m gauge\nm 2\n',
    'm{1a="x"} 1\n',
  ])
    assert.equal(promtool(bad)!.status, 1, bad);
});
