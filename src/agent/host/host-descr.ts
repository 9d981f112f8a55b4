/**
 * 0:2000 host_descr (https://sflow.org/sflow_host.txt): hostname and kernel release as uname(2) gives them
 * (read from /proc/sys/kernel, falling back to node:os), the processor family of os.arch(), and a UUID.
 */
import { createHmac } from 'node:crypto';
import os from 'node:os';
import type { KnownCounterRecord } from '../../sflow/model.js';
import { counterRecord, readText } from './proc-text.js';

/** machine_type values (records/host.ts MACHINE_TYPES) by os.arch(); arm64 is `arm`, as hsflowd sends it. */
const MACHINE_TYPE: Record<string, number> = {
  ia32: 2,
  x64: 3,
  arm: 10,
  arm64: 10,
  ppc: 7,
  ppc64: 7,
  mips: 9,
  mipsel: 9,
  s390: 12,
  s390x: 12,
  riscv64: 1,
  loong64: 1,
};

/** os_name values by process.platform. */
const OS_NAME: Record<string, number> = {
  linux: 2,
  win32: 3,
  darwin: 4,
  aix: 6,
  freebsd: 8,
  netbsd: 9,
  openbsd: 10,
  sunos: 12,
};

/**
 * The key this agent's UUID is derived from /etc/machine-id with. machine-id(5) forbids sending the machine
 * ID itself over a network; an HMAC of a fixed application ID keyed by it is what sd_id128_get_machine_app_specific()
 * computes (`systemd-id128 machine-id --app-specific=…` prints the same UUID).
 */
export const APP_ID = '35db879a4e603f992f5199b6717cc283';

export async function readHostDescr(root: string): Promise<KnownCounterRecord> {
  const [hostname, release, productUuid, machineId] = await Promise.all([
    readText(root, 'proc/sys/kernel/hostname'),
    readText(root, 'proc/sys/kernel/osrelease'),
    readText(root, 'sys/class/dmi/id/product_uuid'),
    readText(root, 'etc/machine-id'),
  ]);
  return counterRecord('host_descr', {
    // The spec's limits: string<64> and string<32> (uname's release can be longer; hsflowd truncates too).
    hostname: truncate((hostname ?? os.hostname()).trim(), 64),
    uuid: hostUuid(productUuid, machineId),
    machineType: MACHINE_TYPE[os.arch()] ?? 0,
    osName: OS_NAME[process.platform] ?? 1,
    osRelease: truncate((release ?? os.release()).trim(), 32),
  });
}

/**
 * The SMBIOS system UUID (root-only product_uuid; hsflowd asks dmidecode for the same) when the firmware set
 * a real one, else one derived from the machine ID, else the nil UUID, which the spec reads as unknown.
 */
export function hostUuid(productUuid: string | undefined, machineId: string | undefined): Uint8Array {
  const smbios = parseUuid(productUuid);
  // Firmware that never set the UUID leaves it all zeros or all ones.
  if (smbios !== undefined && !smbios.every((b) => b === 0) && !smbios.every((b) => b === 0xff))
    return smbios;
  const id = parseUuid(machineId);
  return id === undefined ? new Uint8Array(16) : appSpecificUuid(id, APP_ID);
}

/** sd_id128_get_machine_app_specific: HMAC-SHA256 of the app ID keyed by the machine ID, as a v4 UUID. */
export function appSpecificUuid(machineId: Uint8Array, appId: string): Uint8Array {
  const h = createHmac('sha256', machineId).update(Buffer.from(appId, 'hex')).digest();
  const u = new Uint8Array(h.subarray(0, 16));
  u[6] = (u[6] & 0x0f) | 0x40;
  u[8] = (u[8] & 0x3f) | 0x80;
  return u;
}

/** 32 hex digits, with or without the dashes of the UUID form. */
function parseUuid(text: string | undefined): Uint8Array | undefined {
  const hex = text?.trim().replaceAll('-', '');
  return hex !== undefined && /^[0-9a-fA-F]{32}$/.test(hex)
    ? new Uint8Array(Buffer.from(hex, 'hex'))
    : undefined;
}

/** At most `max` bytes of UTF-8, cut at a character boundary. */
function truncate(s: string, max: number): string {
  const chars = [...s];
  while (Buffer.byteLength(chars.join('')) > max) chars.pop();
  return chars.join('');
}
