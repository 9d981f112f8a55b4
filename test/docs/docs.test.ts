/** The docs that list things the code defines are checked against the code. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { API_ERRORS } from '../../src/api/api-errors.js';
import { CAPTURE_ERRORS } from '../../src/capture/capture-error.js';
import { DECODE_ERRORS } from '../../src/sflow/decode-error.js';
import { structuresMarkdown } from '../../src/sflow/describe.js';

test('docs/structures.md is the registry (regenerate with npm run docs)', () => {
  assert.equal(readFileSync('docs/structures.md', 'utf8'), structuresMarkdown());
});

test('docs/errors.md lists every decode and capture error code', () => {
  const doc = readFileSync('docs/errors.md', 'utf8');
  for (const code of [...Object.keys(DECODE_ERRORS), ...Object.keys(CAPTURE_ERRORS)])
    assert.match(doc, new RegExp(`\\b${code}\\b`), code);
});

test('docs/api.md lists every REST API error code with its status', () => {
  const doc = readFileSync('docs/api.md', 'utf8');
  for (const [code, e] of Object.entries(API_ERRORS))
    assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${e.status} \\|`), code);
});
