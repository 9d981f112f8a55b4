/**
 * `Forwarder` over real UDP sockets on loopback: every datagram reaches every target byte for byte, IPv4 and
 * IPv6; a failed send is counted, never thrown, and later datagrams still go out.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { test } from 'node:test';
import { Forwarder, parseTarget } from './forwarder.js';

interface Receiver {
  socket: Socket;
  port: number;
  got: Buffer[];
  /** Resolves once `n` datagrams have arrived in all, or after `ms`, whichever comes first. */
  waitFor: (n: number, ms?: number) => Promise<void>;
}

async function receiver(type: 'udp4' | 'udp6', address: string): Promise<Receiver> {
  const socket = createSocket(type);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  try {
    socket.setRecvBufferSize(4_000_000);
  } catch {
    // Batches below stay within the default buffer.
  }
  const got: Buffer[] = [];
  socket.on('message', (m) => got.push(m));
  const waitFor = async (n: number, ms = 2000) => {
    const until = Date.now() + ms;
    while (got.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
  };
  return { socket, port: socket.address().port, got, waitFor };
}

/** Distinct datagrams from 1 to 9216 bytes, filled from a seeded generator so none repeats another. */
function datagrams(count: number): Uint8Array[] {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const sizes = [1, 2, 9000, 9216, 1500, 1472, 128];
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const size = sizes[i] ?? 1 + (next() % 9216);
    // Buffers, plain Uint8Arrays, and views into a larger filled buffer, which must go out as only the view.
    const offset = i % 3 === 2 ? 1 + (i % 61) : 0;
    const d =
      i % 3 === 0
        ? Buffer.alloc(size)
        : new Uint8Array(size + 2 * offset).fill(0xee).subarray(offset, offset + size);
    for (let j = 0; j < size; j++) d[j] = next() & 0xff;
    out.push(d);
  }
  assert.equal(new Set(out.map((d) => Buffer.from(d).toString('hex'))).size, count, 'datagrams are distinct');
  return out;
}

/** Every expected datagram arrived exactly once and nothing else did. */
function assertSameMultiset(got: Buffer[], sent: Uint8Array[], who: string): void {
  const index = new Map(sent.map((d, i) => [Buffer.from(d).toString('hex'), i]));
  const seen = new Set<number>();
  for (const m of got) {
    const i = index.get(m.toString('hex'));
    assert.ok(i !== undefined, `${who} received a ${m.length}-byte datagram that was never sent`);
    assert.ok(!seen.has(i), `${who} received datagram ${i} twice`);
    seen.add(i);
  }
  const missing = sent.map((_, i) => i).filter((i) => !seen.has(i));
  assert.deepEqual(missing, [], `${who} is missing datagrams`);
}

test('forwards every datagram byte for byte to an IPv4 and an IPv6 target', {
  timeout: 15_000,
}, async (t) => {
  const rx4 = await receiver('udp4', '127.0.0.1');
  const rx6 = await receiver('udp6', '::1').catch(() => undefined);
  const receivers = rx6 ? [rx4, rx6] : [rx4];
  const specs = [`127.0.0.1/${rx4.port}`, ...(rx6 ? [`::1/${rx6.port}`] : [])];
  const forwarder = await Forwarder.open(specs);
  const sent = datagrams(200);
  try {
    // Batches, each awaited, so that no receive buffer overflows on a host with small socket buffers.
    for (let i = 0; i < sent.length; i += 10) {
      for (const d of sent.slice(i, i + 10)) forwarder.send(d);
      await Promise.all(receivers.map((r) => r.waitFor(Math.min(i + 10, sent.length))));
    }
    await forwarder.close();
  } finally {
    await forwarder.close();
    for (const r of receivers) r.socket.close();
  }
  await t.test('IPv4 target 127.0.0.1 got every datagram', () => {
    assertSameMultiset(rx4.got, sent, '127.0.0.1');
    assert.deepEqual(forwarder.stats()[0], { target: specs[0], sent: 200, failed: 0 });
  });
  await t.test(
    'IPv6 target ::1 got every datagram',
    { skip: !rx6 && 'cannot bind a UDP socket on ::1' },
    () => {
      assertSameMultiset(rx6!.got, sent, '::1');
      assert.deepEqual(forwarder.stats()[1], { target: specs[1], sent: 200, failed: 0 });
    },
  );
  assert.equal(forwarder.summary(), specs.map((s) => `forwarded to ${s}: 200 sent, 0 failed`).join('\n'));
});

test('a failed send is counted, not thrown, and later datagrams still go out', {
  timeout: 10_000,
}, async () => {
  const rx = await receiver('udp4', '127.0.0.1');
  const forwarder = await Forwarder.open([`127.0.0.1/${rx.port}`]);
  try {
    forwarder.send(Uint8Array.of(1));
    forwarder.send(new Uint8Array(65_508)); // one byte over IPv4's largest UDP payload: EMSGSIZE
    forwarder.send(new Uint8Array(65_507).fill(7)); // the largest that fits
    forwarder.send(Uint8Array.of(2));
    await rx.waitFor(3);
    await forwarder.close();
    assert.deepEqual(
      rx.got.map((m) => m.length),
      [1, 65_507, 1],
    );
    const [s] = forwarder.stats();
    assert.equal(s.sent, 3);
    assert.equal(s.failed, 1);
    assert.match(s.lastError ?? '', /EMSGSIZE/);
    assert.match(forwarder.summary(), /^forwarded to 127\.0\.0\.1\/\d+: 3 sent, 1 failed \(.*EMSGSIZE.*\)$/);

    forwarder.send(Uint8Array.of(3)); // after close: counted, not thrown
    assert.deepEqual(forwarder.stats()[0], { ...s, failed: 2, lastError: 'forwarder closed' });
  } finally {
    await forwarder.close();
    rx.socket.close();
  }
});

test('a host name is resolved when the forwarder opens', { timeout: 10_000 }, async () => {
  const { address, family } = await lookup('localhost');
  const rx = await receiver(family === 6 ? 'udp6' : 'udp4', address);
  const forwarder = await Forwarder.open([`localhost/${rx.port}`]);
  try {
    forwarder.send(Uint8Array.of(1, 2, 3));
    await rx.waitFor(1);
    await forwarder.close();
    assert.deepEqual(rx.got, [Buffer.from([1, 2, 3])]);
    assert.equal(forwarder.summary(), `forwarded to localhost/${rx.port} (${address}): 1 sent, 0 failed`);
  } finally {
    await forwarder.close();
    rx.socket.close();
  }
});

test('open rejects an unresolvable host and a bad spec with clear messages', async () => {
  const fail = async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND collector.invalid'), { code: 'ENOTFOUND' });
  };
  await assert.rejects(Forwarder.open(['127.0.0.1/6343', 'collector.invalid/6343'], fail), {
    message:
      "cannot resolve forwarding target 'collector.invalid/6343': getaddrinfo ENOTFOUND collector.invalid",
  });
  await assert.rejects(Forwarder.open(['127.0.0.1:6343']), {
    message: "bad forwarding target '127.0.0.1:6343': expected host/port",
  });
});

test('parseTarget accepts sflowtool host/port forms', () => {
  assert.deepEqual(parseTarget('127.0.0.1/6343'), { host: '127.0.0.1', port: 6343, family: 4 });
  assert.deepEqual(parseTarget('::1/6343'), { host: '::1', port: 6343, family: 6 });
  assert.deepEqual(parseTarget('[::1]/6343'), { host: '::1', port: 6343, family: 6 });
  assert.deepEqual(parseTarget('2001:db8::1/1'), { host: '2001:db8::1', port: 1, family: 6 });
  assert.deepEqual(parseTarget('::ffff:10.0.0.1/65534'), { host: '::ffff:10.0.0.1', port: 65534, family: 6 });
  assert.deepEqual(parseTarget('fe80::1%eth0/6343'), { host: 'fe80::1%eth0', port: 6343, family: 6 });
  assert.deepEqual(parseTarget('collector.example.com/6343'), {
    host: 'collector.example.com',
    port: 6343,
    family: 0,
  });
  assert.deepEqual(parseTarget('localhost/06343'), { host: 'localhost', port: 6343, family: 0 });
});

test('parseTarget rejects malformed targets with clear messages', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', 'expected host/port'],
    ['127.0.0.1:6343', 'expected host/port'],
    ['', 'expected host/port'],
    ['/6343', 'expected host/port, the host is empty'],
    ['127.0.0.1/', 'expected host/port, the port is empty'],
    ['127.0.0.1/http', "port 'http' is not a number"],
    ['127.0.0.1/6343x', "port '6343x' is not a number"],
    ['127.0.0.1/-1', "port '-1' is not a number"],
    ['127.0.0.1/ 6343', "port ' 6343' is not a number"],
    ['::1/64/6343', "port '64/6343' is not a number"],
    ['127.0.0.1/0', 'port 0 is not in 1..65534'],
    ['127.0.0.1/65535', 'port 65535 is not in 1..65534'],
    ['127.0.0.1/99999999999999999999', 'port 99999999999999999999 is not in 1..65534'],
    ['[::1/6343', "'[::1' is not a bracketed IPv6 address"],
    ['[127.0.0.1]/6343', "'[127.0.0.1]' is not a bracketed IPv6 address"],
    ['::g/6343', "'::g' is not a valid IPv6 address"],
    ['[::1]:6343/1', "'[::1]:6343' is not a bracketed IPv6 address"],
    ['256.0.0.1/6343', "'256.0.0.1' is not a valid IPv4 address"],
    ['10.1.2/6343', "'10.1.2' is not a valid IPv4 address"],
    ['collector example/6343', "'collector example' is not an IP address or host name"],
  ];
  for (const [spec, why] of cases) {
    assert.throws(() => parseTarget(spec), { message: `bad forwarding target '${spec}': ${why}` }, spec);
  }
});
