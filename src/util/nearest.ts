/** "Did you mean": the one home of the nearest-word policy (rules, config, CLI). */
import { editDistance } from "./edit-distance.js";

/**
 * The candidates nearest to `word` (case-insensitive first, then edit distance), best first.
 * Only candidates within `maxDistance` (default: a third of the word, at least 2) are returned.
 */
export function nearest(word: string, candidates: readonly string[], limit = 3, maxDistance?: number): string[] {
  const w = word.toLowerCase().trim();
  const max = maxDistance ?? Math.max(2, Math.floor(w.length / 3));
  const scored = candidates
    .map((c) => {
      const lc = c.toLowerCase();
      const d = lc === w ? 0 : editDistance(w, lc);
      return { c, d };
    })
    .filter((x) => x.d <= max)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return scored.slice(0, limit).map((x) => x.c);
}
