/**
 * "Did you mean": the known model ids nearest to a mistyped one.
 */
import { editDistance } from "../util/edit-distance.js";
import { listModels } from "./table.js";
import type { ModelInfo } from "./types.js";

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]/g, "");
const tail = (s: string) => s.slice(s.indexOf("/") + 1);

/** The known ids nearest to `id` (registry models, or any list of ids with optional aliases), best first. */
export function suggestModels(
  id: string,
  models: ReadonlyArray<Pick<ModelInfo, "id"> & { aliases?: string[] }> = listModels(),
  max = 3,
): string[] {
  // Compare whole ids when the query has a namespace, else the part after "/". Also try with "instruct" spelt "it"
  // (Gemma's suffix), and let a query that is a substring of a name count as close.
  const hasNs = id.includes("/");
  const forms = (s: string) => {
    const n = norm(hasNs ? s : tail(s));
    return n.includes("instruct") ? [n, n.replace(/instruct/g, "it")] : [n];
  };
  const qs = forms(id);
  const qTokens = wordsOf(id);
  const scored: Array<{ id: string; d: number }> = [];
  for (const m of models) {
    let best = Infinity;
    for (const name of [m.id, ...(m.aliases ?? [])]) {
      // Half spelling (edit distance, normalised), half vocabulary (shared words): "Llama-3.1-8B-Instruct" is closer to
      // "Meta-Llama-3.1-8B-Instruct-Reference" than to "Llama-3.2-3B-Instruct" although more letters differ.
      const t = wordsOf(name);
      const shared = [...t].filter((w) => qTokens.has(w)).length;
      const jaccard = shared / Math.max(1, new Set([...t, ...qTokens]).size);
      for (const nf of forms(name)) {
        for (const q of qs) {
          let d = editDistance(q, nf) / Math.max(q.length, nf.length, 1);
          if (q.length >= 4 && nf.includes(q)) d = Math.min(d, 0.2 + (nf.length - q.length) / (100 * nf.length));
          best = Math.min(best, 0.5 * d + 0.5 * (1 - jaccard));
        }
      }
    }
    scored.push({ id: m.id, d: best });
  }
  scored.sort((a, b) => a.d - b.d || a.id.localeCompare(b.id));
  return scored
    .filter((s) => s.d <= 0.5)
    .slice(0, max)
    .map((s) => s.id);
}

const wordsOf = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .split(/[^a-z0-9.]+/)
      .filter(Boolean),
  );
