/**
 * Agreement with an independent decoder: for every datagram of every corpus capture, every field sflowtool 6.11
 * printed (expected/*.sflowtool.txt) must match our decoded value, mapped through src/sflowtool's field table;
 * and where sflowtool gave up on a datagram, our decoder must report a typed error in it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDatagram, SflowDecodeError } from '../../src/sflow/index.js';
import type { Datagram, Sample } from '../../src/sflow/model.js';
import { emit, type FieldMap, type Printable } from '../../src/sflowtool/field-map.js';
import { COUNTER_FIELDS, FLOW_FIELDS } from '../../src/sflowtool/field-names.js';
import { corpusCaptures, expected, NO_CORPUS } from '../support/corpus.js';
import { corpusDatagrams } from '../support/datagrams.js';
import { datagramFields, sampleFields } from '../support/sflowtool-model-fields.js';
import {
  fieldValue,
  type Line,
  parseSflowtoolText,
  type ToolDatagram,
  type ToolSample,
} from '../support/sflowtool-text.js';

type Lines = [string, string][];
type AnyRecord = { name: string; tag: string; value?: unknown };

function collect(fill: (put: (n: string, v: Printable) => void) => void): Lines {
  const out: Lines = [];
  fill((n, v) => out.push([n, String(v)]));
  return out;
}

/** Each of sflowtool's lines must be among ours, with the same value (repeated names match in order). */
function compare(where: string, tool: readonly Line[], ours: Lines, problems: string[]): void {
  const pool = new Map<string, string[]>();
  for (const [n, v] of ours) pool.set(n, [...(pool.get(n) ?? []), v]);
  for (const [n, v] of tool) {
    const candidates = pool.get(n);
    if (!candidates?.length) {
      problems.push(`${where}: sflowtool printed ${n}=${v}, we have no such field`);
      continue;
    }
    const got = candidates.shift();
    if (got !== v) problems.push(`${where}: ${n} sflowtool=${v} ours=${got}`);
  }
}

function hasError(d: Datagram): boolean {
  return d.samples.some(
    (s: Sample) => s.name === 'invalid' || ('records' in s && s.records.some((r) => r.name === 'invalid')),
  );
}

/** sflowtool stopped early: fewer finished samples than announced, or not even a sample count. */
function toolGaveUp(t: ToolDatagram): boolean {
  const announced = fieldValue(t.lines, 'samplesInPacket');
  return announced === undefined || t.samples.filter((s) => s.ended).length < Number(announced);
}

function checkCapture(name: string): { problems: string[]; datagrams: number; fields: number } {
  const tool = parseSflowtoolText(expected(name, 'sflowtool.txt'));
  const payloads = corpusDatagrams(name);
  const problems: string[] = [];
  let fields = 0;
  assert.equal(payloads.length, tool.length, `${name}: datagram count`);
  for (const [i, bytes] of payloads.entries()) {
    const t = tool[i];
    const at = `${name}#${i + 1}`;
    let d: Datagram;
    try {
      d = decodeDatagram(bytes);
    } catch (e) {
      assert.ok(e instanceof SflowDecodeError, `${at}: ${e}`);
      if (!toolGaveUp(t)) problems.push(`${at}: we rejected (${e.message}), sflowtool decoded it`);
      continue;
    }
    if (toolGaveUp(t) && !hasError(d)) problems.push(`${at}: sflowtool gave up, we found no error`);
    const header = t.lines.filter(
      ([n]) => !/^(datagramSourceIP|unixSeconds|localtime|pcapTimestamp)/.test(n),
    );
    compare(
      at,
      header,
      collect((put) => datagramFields(d, bytes.length, put)),
      problems,
    );
    fields += header.length;
    for (const [j, ts] of t.samples.entries()) {
      fields += checkSample(`${at} sample[${j}]`, ts, d.samples[j], problems);
    }
  }
  return { problems, datagrams: payloads.length, fields };
}

function checkSample(at: string, ts: ToolSample, s: Sample | undefined, problems: string[]): number {
  if (s === undefined) {
    problems.push(`${at}: sflowtool has a sample we do not`);
    return 0;
  }
  if (s.name === 'invalid' || s.name === 'unknown') {
    if (ts.ended && s.name === 'invalid')
      problems.push(`${at}: we found ${s.error.message}, sflowtool did not`);
    return 0;
  }
  compare(
    at,
    ts.lines,
    collect((put) => sampleFields(s, put)),
    problems,
  );
  let fields = ts.lines.length;
  const records: readonly AnyRecord[] = 'records' in s ? s.records : [];
  const table = s.name.startsWith('counters') ? COUNTER_FIELDS : FLOW_FIELDS;
  for (const [k, tb] of ts.blocks.entries()) {
    const r = records[k];
    const rat = `${at} record[${k}](${tb.tag})`;
    if (r === undefined || r.tag !== tb.tag) {
      problems.push(`${rat}: ours is ${r?.tag}`);
      continue;
    }
    // The fields sflowtool decodes from the sampled packet are checked in src/packet's conformance test.
    const lines = r.name === 'sampled_header' ? tb.lines.slice(0, 6) : tb.lines;
    if (r.name === 'unknown' || r.name === 'invalid') {
      if (lines.length > 0 && r.name === 'unknown')
        problems.push(`${rat}: sflowtool decoded it, we do not know it`);
      continue;
    }
    const map = (table as Record<string, FieldMap<unknown> | undefined>)[r.name];
    if (map === undefined) {
      problems.push(`${rat}: no sflowtool mapping for ${r.name}`);
      continue;
    }
    compare(
      rat,
      lines,
      collect((put) => emit(map, r.value, put)),
      problems,
    );
    fields += lines.length;
  }
  return fields;
}

for (const name of corpusCaptures()) {
  test(`sflowtool agrees with our decode: ${name}`, { skip: NO_CORPUS }, (t) => {
    const { problems, datagrams, fields } = checkCapture(name);
    t.diagnostic(`${datagrams} datagrams, ${fields} fields compared, ${problems.length} disagreements`);
    assert.deepEqual(problems.slice(0, 40), [], `${problems.length} disagreements`);
  });
}
test('conformance corpus present', { skip: NO_CORPUS }, () => {
  assert.ok(corpusCaptures().length > 0);
});
