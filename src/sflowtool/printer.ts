/** sflowtool's output formats behind one call per datagram. */
import { ClfOutput } from './clf-output.js';
import { CustomOutput } from './custom-output.js';
import { JsonOutput } from './json-output.js';
import { LineOutput } from './line-output.js';
import type { Output, Received } from './output.js';
import { type PcapContent, PcapOutput } from './pcap-output.js';
import { TextOutput } from './text-output.js';
import { DatagramWalker, type WalkOptions } from './walker.js';

export type SflowtoolFormat =
  | { kind: 'text' }
  | { kind: 'grep' }
  | { kind: 'line' }
  | { kind: 'fields'; fields: readonly string[] }
  | { kind: 'json'; indent: boolean }
  | { kind: 'clf' }
  | { kind: 'pcap'; content: PcapContent; redact?: boolean };

export function createOutput(format: SflowtoolFormat): Output {
  switch (format.kind) {
    case 'text':
      return new TextOutput(false);
    case 'grep':
      return new TextOutput(true);
    case 'line':
      return new LineOutput();
    case 'fields':
      return new CustomOutput(format.fields);
    case 'json':
      return new JsonOutput(format.indent);
    case 'clf':
      return new ClfOutput();
    case 'pcap':
      return new PcapOutput(format.content, format.redact);
  }
}

export class SflowtoolPrinter {
  readonly output: Output;
  private readonly walker: DatagramWalker;

  constructor(format: SflowtoolFormat, options: WalkOptions = {}) {
    this.output = createOutput(format);
    this.walker = new DatagramWalker(this.output, options);
  }

  /** Prints one datagram; take() on `output` collects what it printed. */
  print(r: Received): void {
    this.walker.walk(r);
  }
}

export type { Received } from './output.js';
