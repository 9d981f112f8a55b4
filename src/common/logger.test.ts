/** The logger writes JSON lines at and above its level, with ISO times and the API token masked. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from './logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  return { stream, lines };
}

test('JSON lines at and above the level', () => {
  const out = capture();
  const log = createLogger('warn', out.stream);
  log.info('hidden');
  log.warn({ agent: '192.0.2.1' }, 'agent lost');
  log.error('broken');
  const lines = out.lines();
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg]),
    [
      [40, 'agent lost'],
      [50, 'broken'],
    ],
  );
  assert.equal(lines[0].agent, '192.0.2.1');
  assert.match(String(lines[0].time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('the API token is masked, in a config or in request headers', () => {
  const out = capture();
  const log = createLogger('info', out.stream);
  log.info({ config: { apiToken: 's3cret', httpPort: 8008 } }, 'starting');
  log.info({ req: { headers: { authorization: 'Bearer s3cret', host: 'x' } } }, 'request');
  const text = JSON.stringify(out.lines());
  assert.ok(!text.includes('s3cret'), text);
  assert.equal(out.lines()[0].config && (out.lines()[0].config as Record<string, unknown>).httpPort, 8008);
});

test('an unknown level is refused', () => {
  assert.throws(() => createLogger('verbose', capture().stream), /verbose/);
});
