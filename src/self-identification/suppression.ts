/** Fewer people than this in a count, and the count is not shown. */
export const MINIMUM_SHOWN = 5;

/** One count before suppression: applications, and the distinct people behind them. */
export interface RawCount {
  applications: number;
  people: number;
}

/** A count as reported: the number of applications, or null when it is hidden. */
export type ShownCount = number | null;

/**
 * Hides the counts of one question's answers that could point at fewer than MINIMUM_SHOWN
 * people. A count of 1 to 4 people is hidden; then, as the cells of a question add up to its
 * population (which is shown), one hidden cell could be worked out by subtraction: while only
 * one cell is hidden, or the hidden cells together hold fewer than MINIMUM_SHOWN people, the
 * next smallest shown cell is hidden too. A population below MINIMUM_SHOWN hides everything.
 * Zeros are shown: they describe nobody.
 */
export function suppressCells<K extends string>(
  cells: Record<K, RawCount>,
  populationPeople: number,
): Record<K, ShownCount> {
  const keys = Object.keys(cells) as K[];
  const hidden = new Set<K>(
    populationPeople < MINIMUM_SHOWN
      ? keys
      : keys.filter((k) => cells[k].people > 0 && cells[k].people < MINIMUM_SHOWN),
  );
  const hiddenPeople = () => [...hidden].reduce((sum, k) => sum + cells[k].people, 0);
  while (hidden.size > 0 && (hidden.size === 1 || hiddenPeople() < MINIMUM_SHOWN)) {
    const next = keys
      .filter((k) => !hidden.has(k) && cells[k].people > 0)
      .sort((a, b) => cells[a].applications - cells[b].applications)[0];
    if (next === undefined) break;
    hidden.add(next);
  }
  return Object.fromEntries(
    keys.map((k) => [k, hidden.has(k) ? null : cells[k].applications]),
  ) as Record<K, ShownCount>;
}
