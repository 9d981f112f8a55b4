/**
 * Colours for a chart whose series come and go (top flows): a key keeps its colour while it is shown, and a
 * new key takes the first colour no shown key has. Hashing names (colorOf) would be steadier across reloads,
 * but ten keys hashed into ten colours nearly always share one, and neighbours in a stacked area must differ.
 */
import { color } from '../colors.js';

export class SeriesColors {
  private readonly byKey = new Map<string, number>();

  /** The colour of each key, in the order given. */
  assign(keys: readonly string[]): string[] {
    const shown = new Set(keys);
    for (const k of this.byKey.keys()) if (!shown.has(k)) this.byKey.delete(k);
    const used = new Set(this.byKey.values());
    let free = 0;
    return keys.map((k) => {
      let i = this.byKey.get(k);
      if (i === undefined) {
        while (used.has(free)) free++;
        i = free;
        used.add(i);
        this.byKey.set(k, i);
      }
      return color(i);
    });
  }
}
