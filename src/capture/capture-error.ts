/**
 * Errors raised while reading capture files: each has a stable code and the byte offset in the file where
 * reading failed. Formats: pcap https://www.tcpdump.org/manpages/pcap-savefile.5.html, pcapng
 * https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
 */
export const CAPTURE_ERRORS = {
  TRUNCATED_HEADER: 'file ends inside the file header',
  BAD_MAGIC: 'not a pcap or pcapng file (unknown magic number)',
  UNSUPPORTED_VERSION: 'unsupported file format version',
  TRUNCATED_RECORD: 'file ends inside a packet record',
  TRUNCATED_BLOCK: 'file ends inside a block',
  BAD_BLOCK_LENGTH: 'block total length is below 12 or not a multiple of 4',
  BLOCK_LENGTH_MISMATCH: 'trailing block total length differs from the leading one',
  BAD_BYTE_ORDER_MAGIC: 'section header byte-order magic is neither 0x1A2B3C4D nor its byte swap',
  BLOCK_TOO_SHORT: 'block is shorter than its fields',
  BAD_OPTION: 'malformed option',
  UNKNOWN_INTERFACE: 'packet names an interface that no Interface Description Block declared',
} as const;

export type CaptureErrorCode = keyof typeof CAPTURE_ERRORS;

export interface CaptureErrorInfo {
  code: CaptureErrorCode;
  message: string;
  offset: number;
}

/** A capture file that cannot be read on from `offset`; frames before it were sound. */
export class CaptureError extends Error implements CaptureErrorInfo {
  override readonly name = 'CaptureError';
  constructor(
    readonly code: CaptureErrorCode,
    readonly offset: number,
    detail?: string,
  ) {
    super(`${CAPTURE_ERRORS[code]}${detail ? `: ${detail}` : ''} (at byte ${offset})`);
  }

  toJSON(): CaptureErrorInfo {
    return { code: this.code, message: this.message, offset: this.offset };
  }
}
