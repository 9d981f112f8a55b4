import { XDR_ERRORS, XdrError } from '../xdr/xdr-error.js';

/** Every error the codec reports, with a stable code. docs/errors.md lists them all (a test checks). */
export const DECODE_ERRORS = {
  ...XDR_ERRORS,
  UNSUPPORTED_VERSION: 'sFlow datagram version is not 5',
  BAD_ADDRESS_TYPE: 'agent address type is neither 1 (IPv4) nor 2 (IPv6)',
} as const;

export type DecodeErrorCode = keyof typeof DECODE_ERRORS;

/** Where and why decoding failed: `path` names the element, such as `sample[2]/record[1](0:1001)`. */
export interface DecodeErrorInfo {
  code: DecodeErrorCode;
  message: string;
  offset: number;
  path: string;
}

/** A datagram whose envelope is broken: nothing of it can be trusted, so it is rejected whole. */
export class SflowDecodeError extends Error implements DecodeErrorInfo {
  override readonly name = 'SflowDecodeError';
  constructor(
    readonly code: DecodeErrorCode,
    readonly offset: number,
    readonly path: string,
    detail?: string,
  ) {
    super(`${path ? `${path}: ` : ''}${detail ?? DECODE_ERRORS[code]} (at byte ${offset})`);
  }

  static from(e: unknown, path: string): SflowDecodeError {
    if (e instanceof SflowDecodeError) return e;
    if (e instanceof XdrError) return new SflowDecodeError(e.code, e.offset, path, e.message);
    throw e;
  }

  toJSON(): DecodeErrorInfo {
    return { code: this.code, message: this.message, offset: this.offset, path: this.path };
  }
}
