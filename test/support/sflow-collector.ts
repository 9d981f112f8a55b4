/**
 * A collector for the agents' tests: a UDP socket on 127.0.0.1 that keeps each datagram as received and decoded
 * by our codec, and can write them as a capture for `sflowkit decode` (sflowtool's way of reading them).
 */
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapWriter, wrapUdp } from '../../src/capture/index.js';
import { decodeDatagram } from '../../src/sflow/index.js';
import type { CountersSample, Datagram, FlowSample, Sample } from '../../src/sflow/model.js';
import { parseIpv4 } from '../../src/xdr/address-text.js';

const MAIN = new URL('../../src/cli/main.js', import.meta.url).pathname;

export class Collector {
  readonly samples: Sample[] = [];
  readonly datagrams: Datagram[] = [];
  readonly raw: Uint8Array[] = [];
  private readonly socket = createSocket('udp4');

  private constructor() {
    this.socket.on('message', (m) => {
      const d = decodeDatagram(m);
      this.raw.push(Uint8Array.from(m));
      this.datagrams.push(d);
      this.samples.push(...d.samples);
    });
  }

  static async open(): Promise<Collector> {
    const c = new Collector();
    await new Promise<void>((r) => c.socket.bind(0, '127.0.0.1', r));
    return c;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Flow samples of data source 3:`index`, in their sequence. */
  flows(index: number): FlowSample[] {
    return this.samples
      .filter(
        (s): s is FlowSample => 'sourceIdIndex' in s && s.name === 'flow_sample' && s.sourceIdIndex === index,
      )
      .sort((a, b) => a.sequenceNumber - b.sequenceNumber);
  }

  counters(index: number): CountersSample[] {
    return this.samples.filter(
      (s): s is CountersSample =>
        'sourceIdIndex' in s && s.name === 'counters_sample' && s.sourceIdIndex === index,
    );
  }

  /** Waits until `done()` holds, checking every 20 ms; throws after `ms`. */
  async until(done: () => boolean, ms = 5000, what = 'the expected samples'): Promise<void> {
    const end = Date.now() + ms;
    while (!done()) {
      if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** What `sflowkit decode -r CAPTURE ...args` prints for the datagrams received so far (TZ=UTC). */
  decode(args: string[]): string {
    const file = join(mkdtempSync(join(tmpdir(), 'sflowkit-collector-')), 'received.pcap');
    const writer = new PcapWriter({ linkType: 1 });
    const frames = this.raw.map((bytes, i) =>
      writer.record({
        timestampNs: BigInt(Date.UTC(2026, 11, 2, 10, 0, i)) * 1_000_000n,
        data: wrapUdp(bytes, {
          srcAddress: parseIpv4('192.0.2.10'),
          srcPort: 6343,
          dstAddress: parseIpv4('192.0.2.1'),
          dstPort: 6343,
        }),
      }),
    );
    writeFileSync(file, Buffer.concat([writer.fileHeader(), ...frames]));
    return execFileSync(process.execPath, [MAIN, 'decode', '-r', file, ...args], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
  }

  close(): void {
    this.socket.close();
  }
}
