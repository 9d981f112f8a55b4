/**
 * sflowtool's default text (`name value` lines between start/end separators) and its -g "grep-friendly" form,
 * the same lines each preceded by the decode's context: time, agent, sub-agent, datagram sequence number,
 * data source, sample type and record type.
 */
import { ByteWriter } from './byte-writer.js';
import type { Printable } from './field-map.js';
import { tagText } from './format.js';
import { type Context, Output } from './output.js';
import { isoLocal } from './time-format.js';

export class TextOutput extends Output {
  readonly wantsFields = true;
  private readonly w = new ByteWriter();

  constructor(private readonly grep = false) {
    super();
  }

  private context(c: Context): void {
    const source = `${c.dsClass}:${c.dsIndex}`;
    const types = `${tagText(c.sampleType)} ${tagText(c.elementType)}`;
    this.w.text(`${isoLocal(c.time)} ${c.agent} ${c.subAgentId} ${c.sequenceNo} ${source} ${types} `);
  }

  override note(text: string, c: Context): void {
    if (this.grep) this.context(c);
    this.w.text(text);
  }

  override field(name: string, value: Printable, c: Context): void {
    if (this.grep) this.context(c);
    const w = this.w;
    w.name(name);
    w.value(value);
    w.byte(10);
  }

  /** A separator line: the same text every time. */
  private separator(text: string, c: Context): void {
    if (this.grep) this.context(c);
    this.w.constant(text);
  }

  override datagramStart(_r: unknown, c: Context): void {
    this.separator('startDatagram =================================\n', c);
  }

  override datagramEnd(_r: unknown, c: Context): void {
    this.separator('endDatagram   =================================\n', c);
  }

  override mark(): void {
    super.mark();
    this.w.mark();
  }

  override takeToMark(): ReturnType<Output['takeToMark']> {
    const taken = super.takeToMark();
    taken.binary.push(...this.w.takeToMark());
    return taken;
  }

  override take(all = true): ReturnType<Output['take']> {
    for (const chunk of this.w.take(all)) this.binary.push(chunk);
    return super.take(all);
  }

  override sampleStart(c: Context): void {
    this.separator('startSample ----------------------\n', c);
  }

  override sampleEnd(c: Context): void {
    this.separator('endSample   ----------------------\n', c);
  }
}
