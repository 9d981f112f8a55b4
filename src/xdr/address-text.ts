/** Text forms of addresses: IPv4 dotted quad, IPv6 as RFC 5952 (inet_ntop's form), MAC as colon hex. */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function ipv4Text(b: Uint8Array, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

export function macText(b: Uint8Array, at = 0): string {
  return `${HEX[b[at]]}:${HEX[b[at + 1]]}:${HEX[b[at + 2]]}:${HEX[b[at + 3]]}:${HEX[b[at + 4]]}:${HEX[b[at + 5]]}`;
}

export function ipv6Text(b: Uint8Array, at = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[at + 2 * i] << 8) | b[at + 2 * i + 1]);
  // IPv4-mapped and IPv4-compatible forms keep the dotted quad, as inet_ntop prints them.
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0) {
    if (words[5] === 0xffff) return `::ffff:${ipv4Text(b, at + 12)}`;
    if (words[5] === 0 && words[6] !== 0) return `::${ipv4Text(b, at + 12)}`;
  }
  // The longest run of two or more zero words becomes '::' (the first such run on a tie).
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    words
      .slice(from, to)
      .map((w) => w.toString(16))
      .join(':');
  if (bestAt < 0) return hex(0, 8);
  return `${hex(0, bestAt)}::${hex(bestAt + bestLen, 8)}`;
}

/** A dotted quad's four bytes: four decimal parts of one to three digits, each below 256. */
export function parseIpv4(text: string): Uint8Array {
  // Read by hand: an agent parses its addresses for every sample it sends.
  const out = new Uint8Array(4);
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + c - 48;
      digits++;
    } else if (c === 46 && digits > 0 && dots < 3 && part < 256) {
      out[dots++] = part;
      part = 0;
      digits = 0;
    } else throw new TypeError(`not an IPv4 address: ${text}`);
  }
  if (dots !== 3 || digits === 0 || part > 255) throw new TypeError(`not an IPv4 address: ${text}`);
  out[3] = part;
  return out;
}

export function parseIpv6(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let body = text;
  let tail: Uint8Array | undefined;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    tail = parseIpv4(body.slice(lastColon + 1));
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) throw new TypeError(`not an IPv6 address: ${text}`);
  const group = (s: string) => (s === '' ? [] : s.split(':'));
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) throw new TypeError(`not an IPv6 address: ${text}`);
  const words = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...rest];
  words.forEach((w, i) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) throw new TypeError(`not an IPv6 address: ${text}`);
    const v = Number.parseInt(w, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  if (tail) out.set(tail, 12);
  return out;
}

export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) {
    throw new TypeError(`not a MAC address: ${text}`);
  }
  return Uint8Array.from(parts, (p) => Number.parseInt(p, 16));
}

export function hexText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}
