/** IPv4 and IPv6 address blocks (CIDR), for allowlists and groups. */
import { isIP } from 'node:net';
import { parseIpv4, parseIpv6 } from '../xdr/address-text.js';

export interface Cidr {
  bytes: Uint8Array;
  prefix: number;
  text: string;
}

/** "10.0.0.0/8", "fd00::/16", or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr {
  const [address, length] = text.split('/');
  const family = isIP(address);
  if (family === 0) throw new RangeError(`'${text}' is not an address block (like 10.0.0.0/8 or fd00::/16)`);
  const bytes = family === 4 ? parseIpv4(address) : parseIpv6(address);
  const prefix = length === undefined ? bytes.length * 8 : Number(length);
  if (!/^\d+$/.test(length ?? '0') || prefix > bytes.length * 8)
    throw new RangeError(`'${text}': bad prefix length`);
  return { bytes, prefix, text };
}

/** Whether `address` (text) is inside `block`. */
export function contains(block: Cidr, address: string): boolean {
  const family = isIP(address);
  if (family === 0 || (family === 4) !== (block.bytes.length === 4)) return false;
  const a = family === 4 ? parseIpv4(address) : parseIpv6(address);
  let bits = block.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (block.bytes[i] & mask)) return false;
  }
  return true;
}
