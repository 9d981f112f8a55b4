/**
 * sFlow records of the host's interfaces: per NIC 0:1 if_counters and, for Ethernet, 0:2 ethernet_counters
 * (https://sflow.org/sflow_version_5.txt); for the host 0:2001 host_adapters and 0:2006 host_net_io
 * (https://sflow.org/sflow_host.txt). Which NICs count follows hsflowd (hsflowd.c, readNioCounters.c).
 */
import type { KnownCounterRecord } from '../../sflow/model.js';
import { ARPHRD, IFF, type Nic } from './proc-net.js';
import { counterRecord, UNKNOWN_U32, u32, u64 } from './proc-text.js';

/** IANAifType: ethernetCsmacd, softwareLoopback, other (hsflowd sends 6 for every NIC). */
function ifType(nic: Nic): number {
  if (isLoopback(nic)) return 24;
  return nic.type === ARPHRD.ETHER ? 6 : 1;
}

export function isLoopback(nic: Nic): boolean {
  return (nic.flags & IFF.LOOPBACK) !== 0 || nic.type === ARPHRD.LOOPBACK;
}

function isUp(nic: Nic): boolean {
  return (nic.flags & IFF.UP) !== 0;
}

/**
 * RFC 2863 operational state; `unknown` is what drivers without link detection report (lo, tun), and their
 * carrier then tells whether they pass traffic.
 */
function isOperUp(nic: Nic): boolean {
  if (nic.operstate === undefined) return isUp(nic);
  if (nic.operstate === 'unknown') return nic.carrier ?? isUp(nic);
  return nic.operstate === 'up';
}

export function ifCounters(nic: Nic): KnownCounterRecord {
  const c = nic.counters;
  return counterRecord('if_counters', {
    ifIndex: nic.ifIndex,
    ifType: ifType(nic),
    ifSpeed: BigInt(nic.speed ?? 0) * 1_000_000n,
    ifDirection: nic.duplex === 'full' ? 1 : nic.duplex === 'half' ? 2 : 0,
    ifStatus: (isUp(nic) ? 1 : 0) | (isOperUp(nic) ? 2 : 0),
    ifInOctets: u64(c.rxBytes),
    // /proc/net/dev does not split unicast from multicast and broadcast (its multicast column depends on the
    // driver), so every packet goes in the unicast count and the other two are unknown, as hsflowd sends them.
    ifInUcastPkts: u32(c.rxPackets),
    ifInMulticastPkts: UNKNOWN_U32,
    ifInBroadcastPkts: UNKNOWN_U32,
    ifInDiscards: u32(c.rxDrop),
    ifInErrors: u32(c.rxErrs),
    ifInUnknownProtos: UNKNOWN_U32,
    ifOutOctets: u64(c.txBytes),
    ifOutUcastPkts: u32(c.txPackets),
    ifOutMulticastPkts: UNKNOWN_U32,
    ifOutBroadcastPkts: UNKNOWN_U32,
    ifOutDiscards: u32(c.txDrop),
    ifOutErrors: u32(c.txErrs),
    ifPromiscuousMode: nic.flags & IFF.PROMISC ? 1 : 0,
  });
}

/**
 * For Ethernet NICs (not Wi-Fi, which Linux also types as Ethernet): the six dot3Stats counters that
 * linux/if_link.h equates with a Linux counter; the kernel keeps none of the other seven, sent as unknown.
 */
export function ethernetCounters(nic: Nic): KnownCounterRecord | undefined {
  if (nic.type !== ARPHRD.ETHER || nic.devtype === 'wlan' || isLoopback(nic)) return undefined;
  const e = nic.ether;
  const known = (v: bigint | undefined) => (v === undefined ? UNKNOWN_U32 : u32(v));
  return counterRecord('ethernet_counters', {
    dot3StatsAlignmentErrors: known(e.rxFrameErrors),
    dot3StatsFCSErrors: known(e.rxCrcErrors),
    dot3StatsSingleCollisionFrames: UNKNOWN_U32,
    dot3StatsMultipleCollisionFrames: UNKNOWN_U32,
    dot3StatsSQETestErrors: known(e.txHeartbeatErrors),
    dot3StatsDeferredTransmissions: UNKNOWN_U32,
    dot3StatsLateCollisions: known(e.txWindowErrors),
    dot3StatsExcessiveCollisions: known(e.txAbortedErrors),
    dot3StatsInternalMacTransmitErrors: UNKNOWN_U32,
    dot3StatsCarrierSenseErrors: known(e.txCarrierErrors),
    dot3StatsFrameTooLongs: UNKNOWN_U32,
    dot3StatsInternalMacReceiveErrors: UNKNOWN_U32,
    dot3StatsSymbolErrors: UNKNOWN_U32,
  });
}

/**
 * Whether a NIC's traffic is part of the host's total: up, and neither loopback nor a VLAN or bond master
 * (their traffic is counted again on the device beneath), as hsflowd's readNioCounters decides.
 */
export function countsForHost(nic: Nic): boolean {
  return isUp(nic) && !isLoopback(nic) && nic.devtype !== 'vlan' && (nic.flags & IFF.MASTER) === 0;
}

export function hostNetIo(nics: readonly Nic[]): KnownCounterRecord {
  const sum = {
    rxBytes: 0n,
    rxPackets: 0n,
    rxErrs: 0n,
    rxDrop: 0n,
    txBytes: 0n,
    txPackets: 0n,
    txErrs: 0n,
    txDrop: 0n,
  };
  for (const nic of nics.filter(countsForHost)) {
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += nic.counters[k];
  }
  return counterRecord('host_net_io', {
    bytesIn: u64(sum.rxBytes),
    pktsIn: u32(sum.rxPackets),
    errsIn: u32(sum.rxErrs),
    dropsIn: u32(sum.rxDrop),
    bytesOut: u64(sum.txBytes),
    packetsOut: u32(sum.txPackets),
    errsOut: u32(sum.txErrs),
    dropsOut: u32(sum.txDrop),
  });
}

/**
 * The host's own adapters: up, with a MAC, not loopback, and not a link to another device (a veth whose
 * peer is in a container, a VLAN or macvlan on a parent), as hsflowd's host_adaptors picks them.
 */
export function hostAdapters(nics: readonly Nic[]): KnownCounterRecord {
  const own = nics.filter(
    (n) =>
      isUp(n) &&
      !isLoopback(n) &&
      n.mac !== undefined &&
      n.mac !== '00:00:00:00:00:00' &&
      n.ifLink === n.ifIndex,
  );
  return counterRecord('host_adapters', {
    adapters: own.map((n) => ({ ifIndex: n.ifIndex, macAddress: [n.mac as string] })),
  });
}
