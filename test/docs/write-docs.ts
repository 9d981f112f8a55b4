/** `npm run docs`: regenerates the docs made from tables: docs/structures.md and docs/configuration.md. */
import { writeFileSync } from 'node:fs';
import { configurationMarkdown } from '../../src/common/config.js';
import { structuresMarkdown } from '../../src/sflow/describe.js';

writeFileSync('docs/structures.md', structuresMarkdown());
writeFileSync('docs/configuration.md', configurationMarkdown());
console.log('wrote docs/structures.md and docs/configuration.md');
