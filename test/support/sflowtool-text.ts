/**
 * Reads sflowtool's default text output into datagrams, samples and record blocks of `name value` lines, so
 * tests can compare it field by field with our decode.
 */
export type Line = readonly [name: string, value: string];

export interface ToolBlock {
  tag: string;
  lines: Line[];
}

export interface ToolSample {
  lines: Line[];
  blocks: ToolBlock[];
  ended: boolean;
}

export interface ToolDatagram {
  lines: Line[];
  samples: ToolSample[];
  /** Lines sflowtool printed that are messages, not fields (skipping …, NO_DECODE …). */
  notes: string[];
}

const BLOCK_TAG = /^(discarded_)?(flow|counter)Block_tag$/;

export function parseSflowtoolText(text: string): ToolDatagram[] {
  const out: ToolDatagram[] = [];
  let d: ToolDatagram | undefined;
  let s: ToolSample | undefined;
  for (const raw of text.split('\n')) {
    if (raw.startsWith('startDatagram')) {
      d = { lines: [], samples: [], notes: [] };
      out.push(d);
      s = undefined;
      continue;
    }
    if (!d || raw === '' || raw.startsWith('endDatagram')) continue;
    if (raw.startsWith('startSample')) {
      s = { lines: [], blocks: [], ended: false };
      d.samples.push(s);
      continue;
    }
    if (raw.startsWith('endSample')) {
      if (s) s.ended = true;
      s = undefined;
      continue;
    }
    const sp = raw.indexOf(' ');
    const name = sp < 0 ? raw : raw.slice(0, sp);
    const value = sp < 0 ? '' : raw.slice(sp + 1);
    if (
      name === 'skipping' ||
      (raw.includes('=') && !raw.includes(' ')) ||
      /^(NO_DECODE|UNKNOWN)$/.test(name)
    ) {
      d.notes.push(raw);
      continue;
    }
    if (!s) {
      d.lines.push([name, value]);
    } else if (BLOCK_TAG.test(name)) {
      s.blocks.push({ tag: value, lines: [] });
    } else if (s.blocks.length > 0) {
      s.blocks[s.blocks.length - 1].lines.push([name.replace(/^discarded_/, ''), value]);
    } else {
      s.lines.push([name, value]);
    }
  }
  return out;
}

export function fieldValue(lines: readonly Line[], name: string): string | undefined {
  return lines.find(([n]) => n === name)?.[1];
}
