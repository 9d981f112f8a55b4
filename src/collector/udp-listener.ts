/**
 * The receiving sockets: sFlow on a UDP port, as sflowtool listens (one IPv6 socket that takes IPv4 too, or
 * IPv4 only, IPv6 only, or both), with a 2 MB receive buffer as sflowtool asks for, so that bursts are not
 * dropped by the kernel while a datagram is being decoded.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export type ListenFamilies = 'dual' | 'v4' | 'v6' | 'both';

export interface ListenOptions {
  port: number;
  families: ListenFamilies;
  /** Listen on this address only. */
  address?: string;
}

/** A datagram as it arrived: its bytes, the sender (IPv4-mapped addresses unmapped) and when. */
export interface RawDatagram {
  bytes: Uint8Array;
  address: string;
  port: number;
  /** Milliseconds since the epoch. */
  receivedAt: number;
}

const RECEIVE_BUFFER = 2_000_000;

function open(
  type: 'udp4' | 'udp6',
  port: number,
  address: string | undefined,
  ipv6Only: boolean,
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const s = createSocket({ type, ipv6Only, reuseAddr: false, recvBufferSize: RECEIVE_BUFFER });
    s.once('error', reject);
    s.bind(port, address, () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

async function sockets(o: ListenOptions): Promise<Socket[]> {
  const v4 = (port = o.port) => open('udp4', port, o.address, false);
  switch (o.families) {
    case 'v4':
      return [await v4()];
    case 'v6':
      return [await open('udp6', o.port, o.address, true)];
    case 'both': {
      const six = await open('udp6', o.port, o.address, true);
      // The IPv4 socket takes the port the IPv6 one got (which matters when asked for port 0).
      return [six, await v4(six.address().port)];
    }
    default:
      if (o.address?.includes('.')) return [await v4()];
      // Where IPv6 is off, IPv4 alone.
      return [
        await open('udp6', o.port, o.address, false).catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'EADDRINUSE' || e.code === 'EACCES') throw e;
          return v4();
        }),
      ];
  }
}

export class UdpListener {
  private constructor(private readonly socks: Socket[]) {}

  /** Binds the sockets; rejects if a port or address cannot be had. */
  static async open(
    o: ListenOptions,
    onDatagram: (d: RawDatagram) => void,
    onError: (e: Error) => void,
  ): Promise<UdpListener> {
    const socks = await sockets(o);
    const onMessage = (msg: Buffer, peer: RemoteInfo) =>
      onDatagram({
        bytes: msg,
        address: peer.address.startsWith('::ffff:') ? peer.address.slice(7) : peer.address,
        port: peer.port,
        receivedAt: Date.now(),
      });
    for (const s of socks) {
      s.on('message', onMessage);
      s.on('error', onError);
    }
    return new UdpListener(socks);
  }

  get port(): number {
    return this.socks[0].address().port;
  }

  close(): void {
    for (const s of this.socks) s.close();
  }
}
