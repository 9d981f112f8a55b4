/** The error of a back-end that refused or failed a commit: its message is the back-end's own, made one line. */
export class BackendError extends Error {
  override name = 'BackendError';
}

/** A tool's output as one line of a message: its lines joined, blank ones and usage hints left out. */
export function tidy(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('Try `'));
  if (lines.length === 0) return '(no output)';
  // A line ending in ':' introduces the next one ("iptables-restore v1.8.9 (nf_tables):" then the error).
  return lines.reduce((text, l) => (text === '' ? l : `${text}${text.endsWith(':') ? ' ' : '; '}${l}`), '');
}
