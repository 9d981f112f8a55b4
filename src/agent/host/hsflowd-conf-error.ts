/** Every way an hsflowd.conf can be broken, with a stable code; hsflowd refuses to start on each of them. */
export const HSFLOWD_CONF_ERRORS = {
  UNBALANCED_BRACES: "a '{' without its '}', or a '}' without its '{'",
  SYNTAX: 'a token where the grammar allows none',
  MISSING_VALUE: 'a setting without its value',
  BAD_VALUE: 'a value of the wrong form or out of range',
  INCOMPLETE: 'a block without a setting it needs',
} as const;

export type HsflowdConfErrorCode = keyof typeof HSFLOWD_CONF_ERRORS;

/** A configuration file hsflowd would refuse: the message reads `hsflowd.conf:12: <reason>`. */
export class HsflowdConfError extends Error {
  override readonly name = 'HsflowdConfError';
  constructor(
    readonly code: HsflowdConfErrorCode,
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}
