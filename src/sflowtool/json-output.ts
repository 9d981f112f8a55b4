/**
 * sflowtool's JSON: -J (indented) prints byte for byte what sflowtool prints; -j (one object per line) is
 * valid JSON, which sflowtool's is not always: it does not escape strings, and a datagram cut short by an
 * error leaves its brackets open. docs/sflowtool-compat.md lists both.
 */
import type { CounterRecordValue } from '../sflow/registry.js';
import type { Printable } from './field-map.js';
import { LANE_FIELDS } from './fields/optics.js';
import { macPlain } from './format.js';
import { type Context, Output } from './output.js';

export class JsonOutput extends Output {
  readonly wantsFields = true;
  private depth = 0;
  private start = false;
  private listStart = false;
  /** Brackets open now, for -j to close after an error. */
  private openBrackets: string[] = [];

  constructor(private readonly indent: boolean) {
    super();
  }

  private newline(): void {
    if (this.indent) this.out += `\n${' '.repeat(this.depth)}`;
  }

  /**
   * -J: as sflowtool, raw. -j: escaped, and bytes of 0x7f and up (strings are printed as the bytes sent) as
   * \u00XX, so that the line is ASCII and so valid UTF-8 whatever the agent sent.
   */
  private quote(s: string): string {
    if (this.indent) return `"${s}"`;
    return JSON.stringify(s).replace(/[\u007f-\u00ff]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  }

  override field(name: string, printable: Printable, _c: Context): void {
    const value = String(printable);
    if (!this.listStart) this.out += ',';
    else this.listStart = false;
    this.newline();
    this.out += `${this.quote(name)}:${this.quote(value)}`;
  }

  override open(name: string | null, bracket: '{' | '['): void {
    if (this.start) this.start = false;
    else if (!this.listStart) {
      this.out += ',';
      this.newline();
    }
    if (name !== null) this.out += `"${name}":`;
    this.out += bracket;
    this.openBrackets.push(bracket === '{' ? '}' : ']');
    this.depth++;
    this.listStart = true;
  }

  override close(bracket: '}' | ']'): void {
    this.depth--;
    this.newline();
    this.out += bracket;
    this.openBrackets.pop();
    this.listStart = false;
  }

  /** In JSON sflowtool nests adaptors with their MACs, and SFP lanes, where the text forms number them. */
  override structure(name: string, value: unknown, c: Context): boolean {
    if (name === 'host_adapters') {
      this.adapters(value as CounterRecordValue<'host_adapters'>, c);
      return true;
    }
    if (name === 'sfp') {
      this.sfp(value as CounterRecordValue<'sfp'>, c);
      return true;
    }
    return false;
  }

  private adapters(v: CounterRecordValue<'host_adapters'>, c: Context): void {
    this.open('adaptor_list', '[');
    for (const a of v.adapters) {
      this.open(null, '{');
      this.field('ifIndex', String(a.ifIndex), c);
      this.field('MACs', String(a.macAddress.length), c);
      this.open('mac_list', '[');
      a.macAddress.forEach((m, j) => {
        if (j > 0) this.out += ',';
        this.newline();
        this.out += `"${macPlain(m)}" `;
      });
      this.close(']');
      this.close('}');
    }
    this.close(']');
  }

  private sfp(v: CounterRecordValue<'sfp'>, c: Context): void {
    this.field('sfp_module_id', String(v.moduleId), c);
    this.field('sfp_module_total_lanes', String(v.moduleNumLanes), c);
    this.field('sfp_module_supply_voltage', String(v.moduleSupplyVoltage), c);
    this.field('sfp_module_temperature', String(v.moduleTemperature >>> 0), c);
    this.field('sfp_module_active_lanes', String(v.lanes.length), c);
    this.open('sfp_lanes', '[');
    v.lanes.forEach((lane, n) => {
      this.open(null, '{');
      for (const [name, field] of LANE_FIELDS) {
        this.field(name, String(lane[field]), c);
        this.field(`sfp_lane_${name}.${n}`, String(lane[field]), c);
      }
      this.close('}');
    });
    // sflowtool leaves an empty lane list open; -J keeps that, -j closes it.
    if (v.lanes.length > 0 || !this.indent) this.close(']');
  }

  override sampleStart(): void {
    this.open(null, '{');
  }

  override sampleEnd(): void {
    this.close('}');
  }

  override datagramStart(): void {
    this.start = true;
    this.openBrackets = [];
    this.open(null, '{');
  }

  override datagramEnd(): void {
    if (!this.indent) while (this.openBrackets.length > 1) this.close(this.openBrackets.at(-1) as '}' | ']');
    this.close('}');
    this.out += '\n';
    this.depth = 0;
    if (this.indent) this.out += '\n';
  }
}
