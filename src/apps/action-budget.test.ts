/** The fail-safe budget: actions within it pass, the first over trips safe mode, a reset clears it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActionBudget } from './action-budget.js';

test('per-target budget: the (n+1)-th action on one switch within the window trips safe mode', () => {
  const b = new ActionBudget({ windowSeconds: 10, perTarget: 3, overall: 100 });
  const trips: string[] = [];
  const take = (target: string, at: number) => b.take(target, at, (r) => trips.push(r));
  assert.deepEqual(
    [take('a', 0), take('a', 1000), take('b', 1500), take('a', 2000)],
    [true, true, true, true],
  );
  assert.equal(take('a', 3000), false, 'the 4th on a within 10 s');
  assert.equal(trips.length, 1);
  assert.match(trips[0], /4 actions on a within 10 s \(budget 3\)/);
  assert.equal(take('b', 3100), false, 'safe mode refuses every target');
  assert.deepEqual(b.state(), { safeMode: true, reason: trips[0], since: 3000, recent: 4, refused: 2 });
  b.reset();
  assert.equal(take('a', 3200), true);
  assert.equal(b.state().safeMode, false);
});

test('the window slides: old actions stop counting', () => {
  const b = new ActionBudget({ windowSeconds: 1, perTarget: 2, overall: 3 });
  const never = () => assert.fail('must not trip');
  assert.ok(b.take('a', 0, never));
  assert.ok(b.take('a', 500, never));
  assert.ok(b.take('a', 1200, never), 'the one at 0 left the window');
  assert.ok(b.take('b', 1300, never));
  assert.equal(
    b.take('c', 1400, () => {}),
    false,
    'overall: 4 within 1 s (500, 1200, 1300, 1400)',
  );
  assert.match(b.state().reason ?? '', /4 actions within 1 s \(budget 3\)/);
});
