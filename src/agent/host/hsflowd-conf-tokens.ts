/**
 * hsflowd.conf's lexical rules, as hsflowd's readTokens applies them: '#' starts a comment to the end of the
 * line; blanks, '=' and ';' only separate tokens (so `ip = 10.0.0.1`, `ip=10.0.0.1` and `ip 10.0.0.1` are one
 * thing); '{' and '}' are tokens even when they touch a word (`sflow{`); a value in double quotes may hold any
 * of those characters (a regex such as `"eth[0-9]{1,2}"`).
 * https://github.com/sflow/host-sflow/blob/master/src/Linux/hsflowconfig.c (readTokens, nextToken)
 */
import { HsflowdConfError } from './hsflowd-conf-error.js';

export interface Token {
  text: string;
  line: number;
  /** Written in quotes: never a brace, whatever it holds. */
  quoted: boolean;
}

const SEPARATOR = /[\s=;]/;

export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const s = lines[i]!;
    let p = 0;
    while (p < s.length) {
      const c = s[p]!;
      if (c === '#') break;
      if (SEPARATOR.test(c)) {
        p++;
      } else if (c === '{' || c === '}') {
        tokens.push({ text: c, line, quoted: false });
        p++;
      } else if (c === '"') {
        const end = s.indexOf('"', p + 1);
        if (end < 0)
          throw new HsflowdConfError('SYNTAX', file, line, `a quoted value is not closed: ${s.slice(p)}`);
        tokens.push({ text: s.slice(p + 1, end), line, quoted: true });
        p = end + 1;
      } else {
        const start = p;
        while (p < s.length && !/[\s=;{}#"]/.test(s[p]!)) p++;
        tokens.push({ text: s.slice(start, p), line, quoted: false });
      }
    }
  }
  return tokens;
}
