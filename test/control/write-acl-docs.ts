/**
 * Writes the generated blocks of docs/acl-server.md (the allowlist and the settings table) from the code, in
 * place between their `<!-- NAME:begin -->` and `<!-- NAME:end -->` markers; acl-docs.test.ts checks them.
 * Run from the package root: `node dist/test/control/write-acl-docs.js`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { aclSettingsMarkdown } from '../../src/control/acl-config.js';
import { allowlistMarkdown } from '../../src/control/acl-docs.js';

const PATH = 'docs/acl-server.md';

let text = readFileSync(PATH, 'utf8');
for (const [tag, block] of [
  ['allowlist', allowlistMarkdown()],
  ['settings', aclSettingsMarkdown()],
]) {
  const re = new RegExp(`<!-- ${tag}:begin -->[\\s\\S]*<!-- ${tag}:end -->`);
  if (!re.test(text)) throw new Error(`${PATH} has no ${tag} block`);
  text = text.replace(re, () => `<!-- ${tag}:begin -->\n${block}\n<!-- ${tag}:end -->`);
}
writeFileSync(PATH, text);
