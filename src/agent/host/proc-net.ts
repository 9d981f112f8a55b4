/**
 * The host's network interfaces: counters from /proc/net/dev (hsflowd's source), and from
 * /sys/class/net/NAME the ifIndex, flags, link state, speed, duplex, MAC and the Ethernet error counters.
 * net-records.ts turns them into sFlow records.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { integer, readText } from './proc-text.js';

/** Device flags (linux/if.h), as /sys/class/net/NAME/flags shows them. */
export const IFF = { UP: 0x1, LOOPBACK: 0x8, PROMISC: 0x100, MASTER: 0x400 } as const;
/** Link types (linux/if_arp.h ARPHRD_*), as /sys/class/net/NAME/type shows them. */
export const ARPHRD = { ETHER: 1, LOOPBACK: 772 } as const;

/** One line of /proc/net/dev. */
export interface NetDevCounters {
  rxBytes: bigint;
  rxPackets: bigint;
  rxErrs: bigint;
  /** rx_dropped + rx_missed_errors: the kernel folds the two together in this file. */
  rxDrop: bigint;
  txBytes: bigint;
  txPackets: bigint;
  txErrs: bigint;
  txDrop: bigint;
}

/** rtnl_link_stats64 detail counters that IEEE 802.3 names (linux/if_link.h documents which is which). */
export interface EtherErrors {
  rxFrameErrors?: bigint;
  rxCrcErrors?: bigint;
  txHeartbeatErrors?: bigint;
  txWindowErrors?: bigint;
  txAbortedErrors?: bigint;
  txCarrierErrors?: bigint;
}

export interface Nic {
  name: string;
  /** 0 when unknown (no sysfs). */
  ifIndex: number;
  /** The ifIndex of the device this one is a link to (veth peer, VLAN parent); its own ifIndex otherwise. */
  ifLink: number;
  /** ARPHRD_* link type; undefined when unknown. */
  type?: number;
  flags: number;
  /** RFC 2863 operational state (`up`, `down`, `unknown`, …). */
  operstate?: string;
  carrier?: boolean;
  /** Mb/s; undefined when the driver does not know (it reads -1, or fails while the link is down). */
  speed?: number;
  duplex?: string;
  mac?: string;
  /** DEVTYPE of the uevent: `vlan`, `bridge`, `bond`, `wlan`, …; undefined for plain devices. */
  devtype?: string;
  counters: NetDevCounters;
  ether: EtherErrors;
}

/** The interfaces of /proc/net/dev, in its order; undefined when that file cannot be read. */
export async function readNics(root: string): Promise<Nic[] | undefined> {
  const dev = await readText(root, 'proc/net/dev');
  if (dev === undefined) return undefined;
  const lines = parseNetDev(dev);
  // A name /proc lists but sysfs does not (another netns' sysfs, or none mounted) keeps its /proc counters.
  const inSys = new Set(await readdir(join(root, 'sys/class/net')).catch(() => [] as string[]));
  return Promise.all(lines.map(([name, counters]) => describe(root, name, counters, inSys.has(name))));
}

/** `  eth0: rxBytes rxPackets errs drop fifo frame compressed multicast txBytes txPackets errs drop …`. */
export function parseNetDev(text: string): [string, NetDevCounters][] {
  const out: [string, NetDevCounters][] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    if (f.length < 16) continue;
    const n = (i: number) => integer(f[i]) ?? 0n;
    out.push([
      line.slice(0, colon).trim(),
      {
        rxBytes: n(0),
        rxPackets: n(1),
        rxErrs: n(2),
        rxDrop: n(3),
        txBytes: n(8),
        txPackets: n(9),
        txErrs: n(10),
        txDrop: n(11),
      },
    ]);
  }
  return out;
}

async function describe(root: string, name: string, counters: NetDevCounters, inSys: boolean): Promise<Nic> {
  const at = `sys/class/net/${name}`;
  const read = (file: string) => (inSys ? readText(root, `${at}/${file}`) : Promise.resolve(undefined));
  const [ifindex, iflink, type, flags, operstate, carrier, speed, duplex, address, uevent] =
    await Promise.all(
      [
        'ifindex',
        'iflink',
        'type',
        'flags',
        'operstate',
        'carrier',
        'speed',
        'duplex',
        'address',
        'uevent',
      ].map(read),
    );
  const stat = (file: string) => read(`statistics/${file}`).then(integer);
  const [rxFrameErrors, rxCrcErrors, txHeartbeatErrors, txWindowErrors, txAbortedErrors, txCarrierErrors] =
    await Promise.all(
      type?.trim() === String(ARPHRD.ETHER)
        ? [
            'rx_frame_errors',
            'rx_crc_errors',
            'tx_heartbeat_errors',
            'tx_window_errors',
            'tx_aborted_errors',
            'tx_carrier_errors',
          ].map(stat)
        : [],
    );
  const ifIndex = Number(integer(ifindex) ?? 0n);
  const arphrd = integer(type);
  const mbps = integer(speed);
  const mac = address?.trim().toLowerCase();
  return {
    name,
    ifIndex,
    ifLink: Number(integer(iflink) ?? BigInt(ifIndex)),
    type: arphrd === undefined ? undefined : Number(arphrd),
    // Without sysfs, assume the device is up; only loopback's name tells it from the rest.
    flags:
      flags === undefined ? IFF.UP | (name === 'lo' ? IFF.LOOPBACK : 0) : Number.parseInt(flags.trim(), 16),
    operstate: operstate?.trim(),
    carrier: carrier === undefined ? undefined : carrier.trim() === '1',
    speed: mbps === undefined || mbps < 0n ? undefined : Number(mbps),
    duplex: duplex?.trim(),
    mac: mac !== undefined && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac) ? mac : undefined,
    devtype: /^DEVTYPE=(.*)$/m.exec(uevent ?? '')?.[1],
    counters,
    ether: {
      rxFrameErrors,
      rxCrcErrors,
      txHeartbeatErrors,
      txWindowErrors,
      txAbortedErrors,
      txCarrierErrors,
    },
  };
}
