/**
 * Reads a capture file of either format, told apart by its first four bytes:
 * pcap https://www.tcpdump.org/manpages/pcap-savefile.5.html, pcapng
 * https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
 */
import { CaptureError } from './capture-error.js';
import type { CapturedFrame } from './captured-frame.js';
import { isPcap, readPcap } from './pcap-reader.js';
import { isPcapng, readPcapng } from './pcapng-reader.js';

export type CaptureFormat = 'pcap' | 'pcapng';

export function captureFormat(bytes: Uint8Array): CaptureFormat {
  if (isPcapng(bytes)) return 'pcapng';
  if (isPcap(bytes)) return 'pcap';
  if (bytes.length < 4) throw new CaptureError('TRUNCATED_HEADER', 0, `${bytes.length} bytes`);
  throw new CaptureError('BAD_MAGIC', 0, `first bytes ${Buffer.from(bytes.subarray(0, 4)).toString('hex')}`);
}

/**
 * The frames of a pcap or pcapng file, as views into `bytes`. The file header is checked at once; a damaged
 * record throws a CaptureError when the iteration reaches it, after every frame before it.
 */
export function readCapture(bytes: Uint8Array): Generator<CapturedFrame> {
  return captureFormat(bytes) === 'pcapng' ? readPcapng(bytes) : readPcap(bytes);
}

export interface CaptureContents {
  frames: CapturedFrame[];
  /** Why reading stopped early; the frames before that point are in `frames`. */
  error?: CaptureError;
}

/** All frames of a file, and the error that ended reading early, if any. Other exceptions propagate. */
export function readCaptureAll(bytes: Uint8Array): CaptureContents {
  const frames: CapturedFrame[] = [];
  try {
    for (const frame of readCapture(bytes)) frames.push(frame);
  } catch (e) {
    if (e instanceof CaptureError) return { frames, error: e };
    throw e;
  }
  return { frames };
}
