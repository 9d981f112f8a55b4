/**
 * The engine's log: pino, JSON lines on stdout unless a test passes another destination, with ISO times (read
 * by people as often as by tools) and credentials redacted wherever a log call might carry them.
 */
import { type DestinationStream, type Logger, pino } from 'pino';

// The API token reaches a log only by mistake (a logged config, a request's headers): mask it all the same.
const REDACT = ['apiToken', '*.apiToken', 'req.headers.authorization', 'req.headers["x-api-token"]'];

/** A logger at `level` (one of pino's: fatal, error, warn, info, debug, trace, silent); throws on another. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
