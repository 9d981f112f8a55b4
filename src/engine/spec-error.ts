/**
 * A definition the engine cannot take (a flow, threshold or group): the message names what is wrong, and the
 * API answers it with a 400.
 */
export class SpecError extends Error {
  override name = 'SpecError';
}
