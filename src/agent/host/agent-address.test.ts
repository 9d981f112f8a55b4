/** The agent address: the setting, then agent.cidr, then the first global IPv4, then IPv6, then loopback. */
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { chooseAgentAddress } from './agent-address.js';

type Interfaces = ReturnType<typeof networkInterfaces>;
const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({
  address,
  family,
  internal,
  netmask: '',
  mac: '00:00:00:00:00:00',
  cidr: null,
  ...(family === 'IPv6' ? { scopeid: 0 } : {}),
});
const host = {
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  eth0: [nic('fe80::1', 'IPv6'), nic('2001:db8::5', 'IPv6'), nic('192.0.2.5', 'IPv4')],
  eth1: [nic('10.1.2.3', 'IPv4')],
} as Interfaces;

test('the setting wins: an interface name or an address', () => {
  assert.deepEqual(chooseAgentAddress('eth1', undefined, host), { address: '10.1.2.3', device: 'eth1' });
  assert.deepEqual(chooseAgentAddress('192.0.2.77', undefined, host), {
    address: '192.0.2.77',
    device: undefined,
  });
});

test('then agent.cidr, then the first global IPv4, then a global IPv6, then loopback', () => {
  assert.deepEqual(chooseAgentAddress(undefined, '10.0.0.0/8', host), {
    address: '10.1.2.3',
    device: 'eth1',
  });
  assert.deepEqual(chooseAgentAddress(undefined, undefined, host), { address: '192.0.2.5', device: 'eth0' });
  const v6only = { lo: host.lo, eth0: [nic('fe80::1', 'IPv6'), nic('2001:db8::5', 'IPv6')] } as Interfaces;
  assert.deepEqual(chooseAgentAddress(undefined, undefined, v6only), {
    address: '2001:db8::5',
    device: 'eth0',
  });
  assert.deepEqual(chooseAgentAddress(undefined, undefined, { lo: host.lo } as Interfaces), {
    address: '127.0.0.1',
    device: 'lo',
  });
});

test("this machine's own interfaces give an address it has", () => {
  const mine = Object.values(networkInterfaces()).flatMap((a) => (a ?? []).map((x) => x.address));
  assert.ok(mine.includes(chooseAgentAddress(undefined, undefined).address));
});
