/**
 * sflowtool's -H: each sampled HTTP request (0:2201, 0:2206) as a line of the combined log format, the client
 * taken from its socket record (0:2100/0:2101), for webalizer and other log analyzers.
 */
import { type Context, Output, type SampleKind } from './output.js';
import type { SampleState } from './sample-state.js';

export class ClfOutput extends Output {
  readonly wantsFields = false;

  override sampleDone(kind: SampleKind, s: SampleState, _c: Context, _r: unknown, passed: boolean): void {
    if (kind === 'flow' && passed && s.clfLog !== undefined) this.out += `${s.clfClient} ${s.clfLog}\n`;
  }
}
