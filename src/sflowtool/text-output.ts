/**
 * sflowtool's default text (`name value` lines between start/end separators) and its -g "grep-friendly" form,
 * the same lines each preceded by the decode's context: time, agent, sub-agent, datagram sequence number,
 * data source, sample type and record type.
 */
import { type Context, Output } from './output.js';
import { isoLocal } from './time-format.js';

const tag = (t: number) => `${t >>> 12}:${t & 0xfff}`;

export class TextOutput extends Output {
  readonly wantsFields = true;

  constructor(private readonly grep = false) {
    super();
  }

  private context(c: Context): string {
    return `${isoLocal(c.time)} ${c.agent} ${c.subAgentId} ${c.sequenceNo} ${c.dsClass}:${c.dsIndex} ${tag(
      c.sampleType,
    )} ${tag(c.elementType)} `;
  }

  override note(text: string, c: Context): void {
    this.out += this.grep ? this.context(c) + text : text;
  }

  override field(name: string, value: string, c: Context): void {
    this.out += this.grep ? `${this.context(c)}${name} ${value}\n` : `${name} ${value}\n`;
  }

  override datagramStart(_r: unknown, c: Context): void {
    this.note('startDatagram =================================\n', c);
  }

  override datagramEnd(_r: unknown, c: Context): void {
    this.note('endDatagram   =================================\n', c);
  }

  override sampleStart(c: Context): void {
    this.note('startSample ----------------------\n', c);
  }

  override sampleEnd(c: Context): void {
    this.note('endSample   ----------------------\n', c);
  }
}
