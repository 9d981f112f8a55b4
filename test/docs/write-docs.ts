/** `npm run docs`: regenerates docs/structures.md from the registry. */
import { writeFileSync } from 'node:fs';
import { structuresMarkdown } from '../../src/sflow/describe.js';

writeFileSync('docs/structures.md', structuresMarkdown());
console.log('wrote docs/structures.md');
