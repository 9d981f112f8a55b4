/**
 * 0:2003 host_cpu (https://sflow.org/sflow_host.txt) from /proc/loadavg, /proc/stat, /proc/uptime and
 * /proc/cpuinfo, mapped as hsflowd's readCpuCounters maps them: times in ms, uptime in s, speed in MHz.
 */
import type { KnownCounterRecord } from '../../sflow/model.js';
import { counterRecord, integer, readText, u32 } from './proc-text.js';

/**
 * /proc/stat counts CPU time in USER_HZ ticks. The kernel fixes USER_HZ at 100 for user space on every
 * architecture Node runs on (it is part of the ABI, whatever CONFIG_HZ is), and Node cannot ask sysconf.
 */
const USER_HZ = 100n;

/** The files host_cpu is made from; undefined where one could not be read. */
export interface CpuSources {
  loadavg?: string;
  stat?: string;
  uptime?: string;
  cpuinfo?: string;
  /** /sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq (kHz), for CPUs whose cpuinfo has no MHz (ARM). */
  maxFreq?: string;
}

export async function readHostCpu(root: string): Promise<KnownCounterRecord | undefined> {
  const [loadavg, stat, uptime, cpuinfo, maxFreq] = await Promise.all([
    readText(root, 'proc/loadavg'),
    readText(root, 'proc/stat'),
    readText(root, 'proc/uptime'),
    readText(root, 'proc/cpuinfo'),
    readText(root, 'sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq'),
  ]);
  return hostCpu({ loadavg, stat, uptime, cpuinfo, maxFreq });
}

/** The record, or undefined when none of its files could be read (hsflowd then sends none either). */
export function hostCpu(src: CpuSources): KnownCounterRecord | undefined {
  if (src.loadavg === undefined && src.stat === undefined && src.uptime === undefined) return undefined;
  return counterRecord('host_cpu', {
    ...load(src.loadavg),
    ...times(src.stat),
    cpuSpeed: speed(src.cpuinfo, src.maxFreq),
    uptime: Math.trunc(Number.parseFloat(src.uptime ?? '0')) >>> 0,
  });
}

/** `1.73 1.81 1.67 3/456 12345`; load averages are -1 when unknown. */
function load(text: string | undefined) {
  const m = /^([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\/(\d+)/.exec(text ?? '');
  if (!m) return { loadOne: -1, loadFive: -1, loadFifteen: -1, procRun: 0, procTotal: 0 };
  const running = Number(m[4]);
  return {
    loadOne: Math.fround(Number(m[1])),
    loadFive: Math.fround(Number(m[2])),
    loadFifteen: Math.fround(Number(m[3])),
    // The reading thread is itself running; hsflowd leaves itself out of the count too.
    procRun: Math.max(0, running - 1),
    procTotal: Number(m[5]),
  };
}

/** The `cpu` line's ten times (steal, guest and guest_nice are absent on old kernels: 0), `cpuN` lines, intr, ctxt. */
function times(text: string | undefined) {
  const lines = (text ?? '').split('\n');
  const cpu = (lines.find((l) => l.startsWith('cpu ')) ?? '').trim().split(/\s+/).slice(1);
  const ms = (i: number) => u32(((integer(cpu[i]) ?? 0n) * 1000n) / USER_HZ);
  const first = (prefix: string) =>
    u32(integer(lines.find((l) => l.startsWith(prefix))?.split(/\s+/)[1]) ?? 0n);
  return {
    cpuNum: lines.filter((l) => /^cpu\d/.test(l)).length,
    cpuUser: ms(0),
    cpuNice: ms(1),
    cpuSystem: ms(2),
    cpuIdle: ms(3),
    cpuWio: ms(4),
    cpuIntr: ms(5),
    cpuSintr: ms(6),
    interrupts: first('intr '),
    contexts: first('ctxt '),
    cpuSteal: ms(7),
    cpuGuest: ms(8),
    cpuGuestNice: ms(9),
  };
}

/** MHz: the first `cpu MHz` of /proc/cpuinfo (hsflowd's source), else cpufreq's maximum, else 0 (unknown). */
function speed(cpuinfo: string | undefined, maxFreq: string | undefined): number {
  const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo ?? '');
  if (m) return Math.trunc(Number(m[1])) >>> 0;
  const khz = integer(maxFreq);
  return khz === undefined ? 0 : u32(khz / 1000n);
}
