import assert from 'node:assert/strict';
import { test } from 'node:test';
import { desiredColumns, type OvsState, ovsTarget, parseState, planSync, READ_STATE } from './ovs-sflow.js';
import { parseTables } from './ovs-vsctl.js';

// What ovs-vsctl 3.1.0 (Debian 12) printed for READ_STATE: a record with two targets on br0, br1 without one.
const PRINTED = [
  '{"data":[[["uuid","d177edc6-e4f2-40d7-86ad-c099b0d3533e"],"198.18.200.2",128,1,64,["set",["198.18.200.1:16343","[fd00::1]:6343"]],["map",[["sflowkit","host-agent"]]]]],"headings":["_uuid","agent","header","polling","sampling","targets","external_ids"]}',
  '{"data":[["br0",["uuid","d177edc6-e4f2-40d7-86ad-c099b0d3533e"]],["br1",["set",[]]]],"headings":["name","sflow"]}',
  '',
].join('\n');

const UUID = 'd177edc6-e4f2-40d7-86ad-c099b0d3533e';
const WANT = desiredColumns({
  collectors: [
    { address: 'fd00::1', port: 6343 },
    { address: '198.18.200.1', port: 16343 },
  ],
  sampling: 64,
  polling: 1,
  headerBytes: 128,
  agent: '198.18.200.2',
});

test('the read lists the sFlow records, then the bridges (not list-br, which names fake bridges)', () => {
  assert.deepEqual(
    READ_STATE.filter((a) => a === 'list' || a === 'list-br'),
    ['list', 'list'],
  );
  assert.deepEqual(READ_STATE.slice(-2), ['list', 'bridge']);
});

test("ovs-vsctl's JSON tables become records and bridges; one target prints as a bare string", () => {
  assert.deepEqual(parseState(parseTables(PRINTED)), {
    records: [
      {
        uuid: UUID,
        agent: '198.18.200.2',
        header: 128,
        polling: 1,
        sampling: 64,
        targets: ['198.18.200.1:16343', '[fd00::1]:6343'],
        ours: true,
      },
    ],
    bridges: [{ name: 'br0', sflow: UUID }, { name: 'br1' }],
  });
  const one = parseState(
    parseTables(
      '{"data":[[["uuid","x"],["set",[]],["set",[]],["set",[]],["set",[]],"10.0.0.1:6343",["map",[]]]],"headings":["_uuid","agent","header","polling","sampling","targets","external_ids"]}\n{"data":[],"headings":["name","sflow"]}',
    ),
  );
  assert.deepEqual(one.records, [{ uuid: 'x', targets: ['10.0.0.1:6343'], ours: false }]);
});

test('targets: IP:PORT, IPv6 in brackets, sorted and without repeats', () => {
  assert.equal(ovsTarget({ address: '10.0.0.1', port: 6343 }), '10.0.0.1:6343');
  assert.equal(ovsTarget({ address: '2001:db8::1', port: 6344 }), '[2001:db8::1]:6344');
  assert.deepEqual(WANT?.targets, ['198.18.200.1:16343', '[fd00::1]:6343']);
  const twice = desiredColumns({
    collectors: [
      { address: '10.0.0.2', port: 6343 },
      { address: '10.0.0.2', port: 6343 },
    ],
    sampling: 400,
    polling: 30,
    headerBytes: 128,
  });
  assert.deepEqual(twice, { header: 128, polling: 30, sampling: 400, targets: ['10.0.0.2:6343'] });
});

test('no collector, or neither sampling nor polling, means no sFlow in OVS (as hsflowd)', () => {
  const base = { sampling: 400, polling: 30, headerBytes: 128 };
  assert.equal(desiredColumns({ ...base, collectors: [] }), undefined);
  assert.equal(
    desiredColumns({ ...base, sampling: 0, polling: 0, collectors: [{ address: '10.0.0.1', port: 6343 }] }),
    undefined,
  );
  assert.equal(desiredColumns(undefined), undefined);
});

test('first time: one transaction creates the record, marked ours, and points every bridge at it', () => {
  const plan = planSync({ records: [], bridges: [{ name: 'br0' }, { name: 'br1' }] }, WANT);
  assert.equal(plan.action, 'create');
  assert.deepEqual(plan.args, [
    '--',
    '--id=@sflow',
    'create',
    'sflow',
    'agent="198.18.200.2"',
    'header=128',
    'polling=1',
    'sampling=64',
    'targets=["198.18.200.1:16343","[fd00::1]:6343"]',
    'external_ids:sflowkit=host-agent',
    '--',
    'set',
    'bridge',
    'br0',
    'sflow=@sflow',
    '--',
    'set',
    'bridge',
    'br1',
    'sflow=@sflow',
  ]);
});

test('as it should be: nothing to run', () => {
  const state = parseState(parseTables(PRINTED));
  state.bridges[1].sflow = UUID;
  assert.deepEqual(planSync(state, WANT), { bridges: [], action: 'none' });
});

test('a changed setting and a new bridge: only those, on the record we have', () => {
  const state = parseState(parseTables(PRINTED));
  const plan = planSync(state, { ...WANT!, polling: 20, targets: ['10.0.0.1:6343'] });
  assert.equal(plan.action, 'update');
  assert.deepEqual(plan.args, [
    '--',
    'set',
    'sflow',
    UUID,
    'polling=20',
    'targets=["10.0.0.1:6343"]',
    '--',
    'set',
    'bridge',
    'br1',
    `sflow=${UUID}`,
  ]);
  assert.deepEqual(planSync(state, WANT).action, 'repoint');
});

test("someone else's record is not adopted: ours is made and the bridges moved to it", () => {
  const state: OvsState = {
    records: [{ uuid: 'theirs', targets: ['10.9.9.9:6343'], sampling: 64, ours: false }],
    bridges: [{ name: 'br0', sflow: 'theirs' }],
  };
  const plan = planSync(state, WANT);
  assert.equal(plan.action, 'create');
  assert.deepEqual(plan.args?.slice(-5), ['--', 'set', 'bridge', 'br0', 'sflow=@sflow']);
});

test('turning off clears the bridges that carry our record, and no others', () => {
  const state: OvsState = {
    records: [
      { uuid: 'ours', targets: ['10.0.0.1:6343'], ours: true },
      { uuid: 'theirs', targets: ['10.9.9.9:6343'], ours: false },
    ],
    bridges: [{ name: 'br0', sflow: 'ours' }, { name: 'br1', sflow: 'theirs' }, { name: 'br2' }],
  };
  assert.deepEqual(planSync(state, undefined), {
    args: ['--', 'clear', 'bridge', 'br0', 'sflow'],
    bridges: ['br0'],
    action: 'clear',
  });
  assert.equal(planSync({ records: state.records.slice(1), bridges: [] }, undefined).action, 'none');
});

test('no bridge: no record (OVSDB would collect one nobody points at)', () => {
  assert.deepEqual(planSync({ records: [], bridges: [] }, WANT), { bridges: [], action: 'none' });
});
