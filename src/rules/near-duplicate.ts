import { FP_WORDS, NearIndex } from "./utils/line-index.js";
import { fingerprint } from "./utils/fingerprint.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "near-duplicate",
    severity: "warning",
    description: "Warn on examples that repeat an earlier one after normalisation, or nearly (MinHash of word shingles).",
    messages: {
      normalized: "Same text as line {{firstLine}} after Unicode, case and white-space normalisation.",
      near: "Near-duplicate of line {{firstLine}} (estimated Jaccard similarity {{similarity}} of word 3-shingles).",
    },
    scope: "file",
    defaultOptions: { threshold: 0.8, minWords: 10 },
    docs: [
      "Examples that say the same thing are over-weighted in training just like exact copies, but `duplicate-example` only sees",
      "byte-identical lines. This rule finds the rest, and reports the later line, naming the earlier one:",
      "",
      "- **Normalised copies**: the same text once every string is put in Unicode NFKC form, lower-cased, and every run of",
      "  white space made one space (key order and JSON spacing never matter: the record's texts are compared, role by role).",
      "- **Near-copies**: the estimated Jaccard similarity of the two examples' word 3-shingles is at least `threshold`",
      "  (default 0.85). Words are runs of letters and digits (punctuation is ignored; in Chinese, Japanese and Thai each",
      "  character is a word). The estimate comes from a 16-value MinHash (b-bit, 8 bits per value) with locality-sensitive",
      "  hashing in 4 bands of 4 values, so its error is about ±0.09 at 0.85; pairs at or above 0.9 are found 99% of the time.",
      "",
      "System messages are left out of the near-copy comparison: many datasets repeat one long system prompt in every",
      "example, which would make every pair look alike (they still count for normalised copies). DPO examples compare their",
      "input and both outputs.",
      "",
      "**Short texts** (fewer than `minWords` words, default 10) are only compared as normalised wholes: with a handful of",
      "words, one changed word is a different example (\"What is 2+2?\" / \"What is 2+3?\"), and MinHash estimates on a few",
      "shingles are too coarse to trust.",
      "",
      "Byte-identical lines are left to `duplicate-example`. The index keeps about 56 bytes per distinct example (see the",
      "README's memory section), never the text.",
      "",
      "## Measured false positives",
      "",
      "FALSE_POSITIVES_TABLE",
    ].join("\n"),
    examples: {
      bad: [
        '{"messages": [{"role": "user", "content": "What is the capital of France?"}, {"role": "assistant", "content": "Paris."}]}',
        '{"messages": [{"role": "user", "content": "what is the  capital of France?"}, {"role": "assistant", "content": "Paris."}]}',
      ],
    },
    since: "0.2.0",
  },
  create: ({ options }) => {
    const threshold = Number(options.threshold ?? 0.8);
    const minWords = Number(options.minWords ?? 10);
    const index = new NearIndex();
    return {
      keyWords: FP_WORDS,
      key: (ctx, words) => (fingerprint(ctx, minWords, words) ? 0 : null),
      merge({ line, words }, report) {
        const m = index.match(words, threshold);
        if (m && m.kind !== "exact") {
          if (m.kind === "normalized") report({ messageId: "normalized", pointer: "", column: 1, data: { firstLine: m.entry } });
          else report({ messageId: "near", pointer: "", column: 1, data: { firstLine: m.entry, similarity: m.similarity.toFixed(2) } });
        }
        if (!m || m.kind === "near") index.add(line, words);
      },
    };
  },
});
