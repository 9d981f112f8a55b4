/**
 * sflowtool's -L field,field…: a CSV line per sample with the chosen fields, in the order asked. Datagram
 * fields (agent, datagramSize…) keep their value for every sample of the datagram; a sample that set none of
 * the chosen fields prints no line.
 */
import type { Printable } from './field-map.js';
import { type Context, Output, type SampleKind } from './output.js';
import type { SampleState } from './sample-state.js';

export class CustomOutput extends Output {
  readonly wantsFields = true;
  private readonly slots: Map<string, number>;
  private readonly values: string[];
  private readonly scopes: Context['scope'][];
  private sampleFields = 0;

  constructor(fields: readonly string[]) {
    super();
    this.slots = new Map();
    fields.forEach((f, i) => {
      if (!this.slots.has(f)) this.slots.set(f, i);
    });
    this.values = fields.map(() => '');
    this.scopes = fields.map(() => 'datagram');
  }

  override field(name: string, printable: Printable, c: Context): void {
    const slot = this.slots.get(name);
    if (slot === undefined) return;
    this.values[slot] = String(printable);
    this.scopes[slot] = c.scope;
    if (c.scope === 'sample') this.sampleFields++;
  }

  override sampleDone(kind: SampleKind, _s: SampleState, _c: Context, _r: unknown, passed: boolean): void {
    if (passed || kind === 'counters' || kind === 'rt') this.writeLine();
    this.clear('sample');
  }

  override datagramEnd(): void {
    this.clear('datagram');
  }

  private writeLine(): void {
    if (this.sampleFields === 0) return;
    this.out += `${this.values.join(',')}\n`;
    this.sampleFields = 0;
  }

  private clear(scope: Context['scope']): void {
    if (this.sampleFields > 0) this.error(`WARNING: clearLineCustom: ${this.sampleFields} fields ignored\n`);
    for (let i = 0; i < this.values.length; i++) if (this.scopes[i] === scope) this.values[i] = '';
    this.sampleFields = 0;
  }
}

/** sflowtool's field list: names separated by commas or spaces. */
export function parseFieldList(list: string): string[] {
  return list.split(/[ ,]+/).filter((f) => f.length > 0);
}
