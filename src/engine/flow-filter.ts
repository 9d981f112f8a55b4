/**
 * sFlow-RT's flow filter (https://sflow-rt.com/define_flow.php): comparisons of a flow key or key function
 * with a comma-separated list of values, `=` (equals one), `!=` (equals none), `~` (matches one of the
 * patterns), `!~` (matches none), combined with `&` and `|` and grouped with `( )`; `&` binds tighter than `|`.
 *
 *   filter     := or
 *   or         := and ('|' and)*
 *   and        := factor ('&' factor)*
 *   factor     := '(' or ')' | comparison
 *   comparison := key ('=' | '!=' | '~' | '!~') value (',' value)*
 *
 * A key or value may be quoted, '…' or "…", to hold operator characters (sFlow-RT's browse-flows app writes
 * `'key'='value'` when it drills down); a backslash takes the next character literally; a value keeps
 * parentheses it opens itself, so a pattern like `~(a|b).*` needs no quotes. A sample without the key compares
 * as the text `null` (sFlow-RT's apps write `vxlanvni!=null`, `map:macsource:ixp_member=null`). Patterns are
 * matched against the whole value, as Java's String.matches does (sFlow-RT's `tcpflags~.......1.`).
 */
import type { FlowContext } from './flow-context.js';
import { compileKeyExpr, type KeyEnv } from './flow-keys.js';
import { FlowSpecError, parseKeyExpr, unescaped } from './key-syntax.js';

export type FilterFn = (ctx: FlowContext) => boolean;

const AMP = 0x26;
const BAR = 0x7c;
const OPEN = 0x28;
const CLOSE = 0x29;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const BANG = 0x21;
const TILDE = 0x7e;
const BACKSLASH = 0x5c;
const SQUOTE = 0x27;
const DQUOTE = 0x22;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/** Compiles a filter; throws FlowSpecError with the offending position. */
export function compileFilter(spec: string, env: KeyEnv): FilterFn {
  const p = new Parser(spec, env);
  p.skipSpace();
  if (p.at >= spec.length) return () => true;
  const f = p.or();
  p.skipSpace();
  if (p.at < spec.length) {
    const c = spec[p.at];
    throw new FlowSpecError(c === ')' ? "')' without its '('" : `unexpected '${c}'`, spec, p.at);
  }
  return f;
}

function all(fs: FilterFn[]): FilterFn {
  if (fs.length === 1) return fs[0];
  if (fs.length === 2) {
    const [a, b] = fs;
    return (ctx) => a(ctx) && b(ctx);
  }
  return (ctx) => {
    for (let i = 0; i < fs.length; i++) if (!fs[i](ctx)) return false;
    return true;
  };
}

function any(fs: FilterFn[]): FilterFn {
  if (fs.length === 1) return fs[0];
  if (fs.length === 2) {
    const [a, b] = fs;
    return (ctx) => a(ctx) || b(ctx);
  }
  return (ctx) => {
    for (let i = 0; i < fs.length; i++) if (fs[i](ctx)) return true;
    return false;
  };
}

type Op = '=' | '!=' | '~' | '!~';

class Parser {
  at = 0;

  constructor(
    readonly spec: string,
    readonly env: KeyEnv,
  ) {}

  private code(): number {
    return this.spec.charCodeAt(this.at);
  }

  skipSpace(): void {
    while (this.at < this.spec.length && /\s/.test(this.spec[this.at])) this.at++;
  }

  or(): FilterFn {
    const terms = [this.and()];
    for (this.skipSpace(); this.code() === BAR; this.skipSpace()) {
      this.at++;
      terms.push(this.and());
    }
    return any(terms);
  }

  private and(): FilterFn {
    const factors = [this.factor()];
    for (this.skipSpace(); this.code() === AMP; this.skipSpace()) {
      this.at++;
      factors.push(this.factor());
    }
    return all(factors);
  }

  private factor(): FilterFn {
    this.skipSpace();
    if (this.code() === OPEN) {
      const open = this.at++;
      const f = this.or();
      this.skipSpace();
      if (this.code() !== CLOSE) throw new FlowSpecError("'(' without its ')'", this.spec, open);
      this.at++;
      return f;
    }
    return this.comparison();
  }

  private comparison(): FilterFn {
    const key = this.token(true);
    if (key.text === '') {
      const what = this.at < this.spec.length ? `'${this.spec[this.at]}'` : 'the end';
      throw new FlowSpecError(`expected a flow key, found ${what}`, this.spec, this.at);
    }
    const opAt = this.at;
    const op = this.operator();
    if (op === undefined)
      throw new FlowSpecError(`expected =, !=, ~ or !~ after '${key.text}'`, this.spec, opAt);
    const compiled = compileKeyExpr(this.spec, parseKeyExpr(this.spec, key.from, key.to), this.env);
    const values: string[] = [];
    for (;;) {
      const vAt = this.at;
      const v = this.token(false);
      if (v.text === '' && !v.quoted)
        throw new FlowSpecError(`expected a value after '${op}'`, this.spec, vAt);
      values.push(v.text);
      if (this.code() !== COMMA) break;
      this.at++;
    }
    return this.compare(compiled.fn, op, values, compiled.normalize, opAt);
  }

  private operator(): Op | undefined {
    const c = this.code();
    const next = this.spec.charCodeAt(this.at + 1);
    if (c === EQUALS) {
      this.at++;
      return '=';
    }
    if (c === TILDE) {
      this.at++;
      return '~';
    }
    if (c === BANG && next === EQUALS) {
      this.at += 2;
      return '!=';
    }
    if (c === BANG && next === TILDE) {
      this.at += 2;
      return '!~';
    }
    return undefined;
  }

  /**
   * A key (up to an operator) or a value (up to `,`, `&`, `|` or a `)` it did not open), quoted or not;
   * surrounding white space is dropped. `from`/`to` bound its text in the spec (inside any quotes); `text`
   * is a value's, escapes resolved (a key's escapes are the key parser's).
   */
  private token(isKey: boolean): { text: string; quoted: boolean; from: number; to: number } {
    this.skipSpace();
    const q = this.code();
    if (q === SQUOTE || q === DQUOTE) {
      const open = this.at;
      for (this.at++; this.at < this.spec.length && this.code() !== q; this.at++)
        if (this.code() === BACKSLASH) this.at++;
      if (this.at >= this.spec.length) throw new FlowSpecError('quote without its end', this.spec, open);
      const from = open + 1;
      const to = this.at++;
      this.skipSpace();
      return { text: unescaped(this.spec.slice(from, to)), quoted: true, from, to };
    }
    const from = this.at;
    let parens = 0;
    let brackets = 0;
    for (; this.at < this.spec.length; this.at++) {
      const c = this.code();
      if (c === BACKSLASH) {
        this.at++;
        continue;
      }
      if (c === LBRACKET) brackets++;
      else if (c === RBRACKET && brackets > 0) brackets--;
      if (brackets > 0) continue;
      if (isKey) {
        if (c === EQUALS || c === TILDE || c === BANG) break;
        if (c === AMP || c === BAR || c === OPEN || c === CLOSE || c === COMMA) break;
      } else if (c === OPEN) {
        parens++;
      } else if (c === CLOSE) {
        if (parens === 0) break;
        parens--;
      } else if (parens === 0 && (c === COMMA || c === AMP || c === BAR)) {
        break;
      }
    }
    let to = this.at;
    while (to > from && /\s/.test(this.spec[to - 1])) to--;
    const raw = this.spec.slice(from, to);
    return { text: isKey ? raw : unescaped(raw), quoted: false, from, to };
  }

  private compare(
    key: (ctx: FlowContext) => string | undefined,
    op: Op,
    values: string[],
    normalize: ((t: string) => string) | undefined,
    at: number,
  ): FilterFn {
    if (op === '=' || op === '!=') {
      const wanted = normalize === undefined ? values : values.map((v) => (v === 'null' ? v : normalize(v)));
      const eq = equals(key, wanted);
      return op === '=' ? eq : (ctx) => !eq(ctx);
    }
    const patterns = values.map((v) => {
      try {
        return new RegExp(`^(?:${v})$`);
      } catch (e) {
        throw new FlowSpecError(`bad pattern '${v}': ${(e as Error).message}`, this.spec, at);
      }
    });
    const match: FilterFn =
      patterns.length === 1
        ? (ctx) => patterns[0].test(key(ctx) ?? 'null')
        : (ctx) => {
            const s = key(ctx) ?? 'null';
            for (let i = 0; i < patterns.length; i++) if (patterns[i].test(s)) return true;
            return false;
          };
    return op === '~' ? match : (ctx) => !match(ctx);
  }
}

/** Whether the key's value (`null` when missing) is one of `values`. */
function equals(key: (ctx: FlowContext) => string | undefined, values: string[]): FilterFn {
  if (values.length === 1) {
    const v = values[0];
    return (ctx) => (key(ctx) ?? 'null') === v;
  }
  if (values.length <= 4) {
    return (ctx) => {
      const s = key(ctx) ?? 'null';
      for (let i = 0; i < values.length; i++) if (values[i] === s) return true;
      return false;
    };
  }
  const set = new Set(values);
  return (ctx) => set.has(key(ctx) ?? 'null');
}
