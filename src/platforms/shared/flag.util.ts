import type { FlagColour } from '../ports/canonical.types.js';

/**
 * Builds both directions of a platform's flag table. Index = platform value, so
 * `['none','red',...]` means 0 → none, 1 → red.
 */
export function flagTable(values: Record<number, FlagColour>) {
  const toColour = (raw: unknown): FlagColour => {
    const n = Number(raw ?? 0);
    return values[n] ?? 'none';
  };
  const toPlatform = (colour: FlagColour): number | null => {
    const hit = Object.entries(values).find(([, c]) => c === colour);
    return hit ? Number(hit[0]) : null;
  };
  return { toColour, toPlatform };
}
