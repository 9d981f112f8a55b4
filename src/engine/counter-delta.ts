/**
 * The change of a counter between two polls. sFlow counters are 32 or 64 bits and wrap; an agent that
 * restarts starts them again. A counter found lower than before is read forward through the wrap: a change
 * under half its range is a wrap; a larger one means it was reset, and its change is unknown (undefined), not
 * a huge rate.
 */
const RANGE_32 = 2 ** 32;
const RANGE_64 = 2n ** 64n;

export function delta32(previous: number, current: number): number | undefined {
  if (current >= previous) return current - previous;
  const wrapped = current + RANGE_32 - previous;
  return wrapped < RANGE_32 / 2 ? wrapped : undefined;
}

export function delta64(previous: bigint, current: bigint): number | undefined {
  if (current >= previous) return Number(current - previous);
  const wrapped = current + RANGE_64 - previous;
  return wrapped < RANGE_64 / 2n ? Number(wrapped) : undefined;
}
