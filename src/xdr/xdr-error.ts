/**
 * Errors raised while reading XDR (RFC 4506). Each has a stable code and the byte offset where reading failed;
 * the sflow layer adds the path of the structure being read.
 */
export const XDR_ERRORS = {
  TRUNCATED: 'premature end of data',
  COUNT_TOO_LARGE: 'element count exceeds the bytes that remain',
  LENGTH_OVERRUN: 'declared length runs past the end of the enclosing element',
  TRAILING_BYTES: 'element did not use all of its declared length',
  BAD_UNION: 'union discriminant has no arm',
} as const;

export type XdrErrorCode = keyof typeof XDR_ERRORS;

export class XdrError extends Error {
  override readonly name = 'XdrError';
  constructor(
    readonly code: XdrErrorCode,
    readonly offset: number,
    detail?: string,
  ) {
    super(detail ? `${XDR_ERRORS[code]}: ${detail}` : XDR_ERRORS[code]);
  }
}
