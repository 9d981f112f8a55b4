import assert from 'node:assert/strict';
import { createSocket, Socket, type SocketType } from 'node:dgram';
import { once } from 'node:events';
import { test } from 'node:test';
import { udpSocket } from './udp-socket.js';

for (const [type, loopback] of [
  ['udp4', '127.0.0.1'],
  ['udp6', '::1'],
] as [SocketType, string][]) {
  test(`udpSocket('${type}') is a dgram Socket that binds, sends, receives and closes`, async () => {
    const s = udpSocket(type);
    assert.ok(s instanceof Socket);
    const peer = createSocket(type);
    try {
      s.bind(0, loopback);
      peer.bind(0, loopback);
      await Promise.all([once(s, 'listening'), once(peer, 'listening')]);
      assert.equal(s.address().family, type === 'udp4' ? 'IPv4' : 'IPv6');

      const there = once(peer, 'message');
      s.send(Buffer.from('to the peer'), peer.address().port, loopback);
      const [message, from] = (await there) as [Buffer, { port: number }];
      assert.equal(message.toString(), 'to the peer');
      assert.equal(from.port, s.address().port);

      const back = once(s, 'message');
      peer.send(Buffer.from('and back'), s.address().port, loopback);
      assert.equal(((await back) as [Buffer])[0].toString(), 'and back');
      assert.equal(s.listenerCount('message'), 0);
    } finally {
      peer.close();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
}

test('udpSocket reports a failed send to its callback, as createSocket does', async () => {
  const s = udpSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  // A datagram larger than UDP allows is refused by the kernel.
  const e = await new Promise<Error | null>((r) => s.send(Buffer.alloc(70_000), 9, '127.0.0.1', r));
  assert.equal((e as NodeJS.ErrnoException | null)?.code, 'EMSGSIZE');
  await new Promise<void>((r) => s.close(() => r()));
});
