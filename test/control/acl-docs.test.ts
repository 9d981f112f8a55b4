/** docs/acl-server.md against the code: every error code with its status, the allowlist and the settings table. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { aclSettingsMarkdown } from '../../src/control/acl-config.js';
import { allowlistMarkdown } from '../../src/control/acl-docs.js';
import { ACL_ERRORS } from '../../src/control/acl-errors.js';

// Relative to the package root, where the tests run (as test/docs/docs.test.ts reads its docs).
const doc = () => readFileSync('docs/acl-server.md', 'utf8');

test('docs/acl-server.md lists every ACL server error code with its status', () => {
  const text = doc();
  for (const [code, e] of Object.entries(ACL_ERRORS))
    assert.match(text, new RegExp(`\\| \`${code}\` \\| ${e.status} \\|`), code);
});

test('docs/acl-server.md holds the allowlist and the settings as the code renders them', () => {
  const text = doc();
  const block = (tag: string) =>
    new RegExp(`<!-- ${tag}:begin -->\\n([\\s\\S]*)\\n<!-- ${tag}:end -->`).exec(text)?.[1];
  assert.equal(
    block('allowlist'),
    allowlistMarkdown(),
    'regenerate the allowlist block from allowlistMarkdown()',
  );
  assert.equal(
    block('settings'),
    aclSettingsMarkdown(),
    'regenerate the settings block from aclSettingsMarkdown()',
  );
});
