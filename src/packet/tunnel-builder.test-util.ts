/**
 * Test-side builders for tunnel headers (VXLAN RFC 7348, Geneve RFC 8926, GRE RFC 2784/2890) and the
 * IEEE 802.11 MAC header; the rest of the layers are in packet-builder.test-util.ts, which re-exports these.
 */
import { parseMac } from '../xdr/address-text.js';
import { Bytes, EMPTY } from './builder-bytes.test-util.js';

// ---- Tunnels ------------------------------------------------------------------------------------------

/** VXLAN (RFC 7348): flags with the I bit, VNI. */
export function vxlan(f: { vni: number; flags?: number; payload?: Uint8Array }): Uint8Array {
  return new Bytes()
    .u8(f.flags ?? 0x08)
    .u24(0)
    .u24(f.vni)
    .u8(0)
    .raw(f.payload ?? EMPTY)
    .done();
}

/** Geneve (RFC 8926); `options` bytes are padded to a multiple of 4. */
export function geneve(f: {
  vni: number;
  protocol: number;
  options?: Uint8Array;
  version?: number;
  payload?: Uint8Array;
}): Uint8Array {
  const options = f.options ?? EMPTY;
  const words = Math.ceil(options.length / 4);
  return new Bytes()
    .u8(((f.version ?? 0) << 6) | words)
    .u8(0)
    .u16(f.protocol)
    .u24(f.vni)
    .u8(0)
    .raw(options)
    .zeros(words * 4 - options.length)
    .raw(f.payload ?? EMPTY)
    .done();
}

/** GRE (RFC 2784) with the optional checksum, key and sequence number (RFC 2890). */
export function gre(f: {
  protocol: number;
  checksum?: boolean;
  key?: number;
  sequence?: number;
  version?: number;
  payload?: Uint8Array;
}): Uint8Array {
  const flags =
    (f.checksum ? 0x80 : 0) | (f.key !== undefined ? 0x20 : 0) | (f.sequence !== undefined ? 0x10 : 0);
  const w = new Bytes()
    .u8(flags)
    .u8(f.version ?? 0)
    .u16(f.protocol);
  if (f.checksum) w.u16(0).u16(0);
  if (f.key !== undefined) w.u32(f.key);
  if (f.sequence !== undefined) w.u32(f.sequence);
  return w.raw(f.payload ?? EMPTY).done();
}

// ---- IEEE 802.11 --------------------------------------------------------------------------------------

export interface Ieee80211Fields {
  /** 0 management, 1 control, 2 data. */
  type?: number;
  /** 0 data, 4 null, 8 QoS data … */
  subtype?: number;
  toDS?: boolean;
  fromDS?: boolean;
  protected?: boolean;
  order?: boolean;
  address1: string;
  address2: string;
  address3: string;
  /** Present when both toDS and fromDS. */
  address4?: string;
  /** QoS control, for QoS subtypes (bit 7: A-MSDU present). */
  qos?: number;
  payload?: Uint8Array;
}

/** An 802.11 MAC header (IEEE 802.11-2020 §9.2.4); frame control and sequence control are little-endian. */
export function ieee80211(f: Ieee80211Fields): Uint8Array {
  const fc0 = ((f.subtype ?? 0) << 4) | ((f.type ?? 2) << 2);
  const fc1 = (f.toDS ? 1 : 0) | (f.fromDS ? 2 : 0) | (f.protected ? 0x40 : 0) | (f.order ? 0x80 : 0);
  const w = new Bytes()
    .u8(fc0)
    .u8(fc1)
    .u8(0x2c)
    .u8(0) // duration
    .raw(parseMac(f.address1))
    .raw(parseMac(f.address2))
    .raw(parseMac(f.address3))
    .u8(0x10)
    .u8(0); // sequence control
  if (f.toDS && f.fromDS) w.raw(parseMac(f.address4 ?? '00:00:00:00:00:00'));
  if (((f.subtype ?? 0) & 8) !== 0) {
    w.u8(f.qos ?? 0).u8(0);
    if (f.order) w.u32(0);
  }
  return w.raw(f.payload ?? EMPTY).done();
}
