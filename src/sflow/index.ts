export { decodeDatagram, encodeDatagram } from './datagram.js';
export {
  DECODE_ERRORS,
  type DecodeErrorCode,
  type DecodeErrorInfo,
  SflowDecodeError,
} from './decode-error.js';
export type * from './model.js';
export { COUNTER_RECORDS, FLOW_RECORDS } from './registry.js';
export { SAMPLE_CODECS } from './samples.js';
