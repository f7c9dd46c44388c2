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
      "  (default 0.8). Words are runs of letters and digits (punctuation is ignored; in Chinese, Japanese and Thai each",
      "  character is a word). The estimate comes from a 64-bin one-permutation MinHash kept as 2-bit values (standard",
      "  error about 0.05), with locality-sensitive hashing in 4 bands of 4 bins: a pair at J = 0.85 is a candidate 95% of",
      "  the time, at 0.9 99%.",
      "",
      "System messages are left out of the near-copy comparison: many datasets repeat one long system prompt in every",
      "example, which would make every pair look alike (they still count for normalised copies). DPO examples compare their",
      "input and both outputs.",
      "",
      "**Short texts** (fewer than `minWords` words, default 10) are only compared as normalised wholes: with a handful of",
      'words, one changed word is a different example ("What is 2+2?" / "What is 2+3?"), and MinHash estimates on a few',
      "shingles are too coarse to trust. So are long but repetitive texts with fewer than 8 distinct shingles.",
      "",
      "For example, the second of these lines is reported as the same text as the first (case and spacing differ):",
      "",
      "```jsonl",
      '{"messages": [{"role": "user", "content": "What is the capital of France?"}, {"role": "assistant", "content": "Paris."}]}',
      '{"messages": [{"role": "user", "content": "what is the  capital of France?"}, {"role": "assistant", "content": "Paris."}]}',
      "```",
      "",
      "On heavily templated data (thousands of examples alike but for a number or a name) each band compares an example with",
      "at most 16 earlier ones that share its band key, and keeps at most 17 per key, so the work stays linear (100,000",
      "templated records: 3.4 s); a near-copy there may be reported against one of those rather than every earlier copy.",
      "",
      "Byte-identical lines are left to `duplicate-example`. The index keeps about 62 to 70 bytes per distinct example",
      "(36 bytes of hashes and sketch, 4 table slots; measured figures in the README), never the text.",
      "",
      "## Measured false positives",
      "",
      "Measured with `scripts/near-dup-fp.mjs` (default options) on public example datasets; the Jaccard column is",
      'the exact word 3-shingle similarity of each reported near pair, computed without MinHash; "missed" counts later',
      "lines with an earlier partner at J >= 0.8 that no finding names (all pairs compared). The verdict is a reading of",
      "every reported pair.",
      "",
      "| dataset (source) | records | normalised | near | near pairs at exact J >= 0.8 | missed | verdict |",
      "|---|---|---|---|---|---|---|",
      "| MLX `lora/data/train.jsonl` (ml-explore/mlx-examples, WikiSQL) | 1,000 | 1 | 3 | 0 | 2 | the normalised copy is real (a doubled space); the 3 near pairs are different questions on one table: **3 false positives (0.3%)** |",
      "| MLX `lora/data/valid.jsonl` | 100 | 0 | 0 | 0 | 1 | clean |",
      "| MLX `lora/data/test.jsonl` | 100 | 0 | 1 | 0 | 0 | 1 false positive (same table, another column asked) |",
      "| MLX `wwdc25/data/train.jsonl` (Super Bowl LIX Q&A, paraphrase-augmented) | 1,800 | 70 | 85 | 56 | 11 | rewordings of one question and answer: true positives |",
      "| MLX `wwdc25/data/valid.jsonl` | 144 | 0 | 2 | 1 | 0 | rewordings: true positives |",
      "| Together `examples/sample_finetuning.jsonl` (together-typescript) | 500 | 0 | 0 | 0 | 0 | clean |",
      "| Together `examples/coqa.jsonl` | 100 | 0 | 0 | 0 | 0 | clean |",
      "| LLaMA-Factory `data/alpaca_en_demo.json` (as conversations) | 999 | 0 | 0 | 0 | 0 | clean |",
      "| LLaMA-Factory `data/alpaca_zh_demo.json` (Chinese) | 1,000 | 0 | 0 | 0 | 0 | clean |",
      '| LLaMA-Factory `data/identity.json` | 91 | 0 | 1 | 1 | 0 | "hi" / "hello" with one answer: true positive |',
      '| LLaMA-Factory `data/glaive_toolcall_en_demo.json` | 300 | 0 | 7 | 2 | 0 | one conversation with small rewordings (a function name, "ability" for "capability"): true positives |',
      "| LLaMA-Factory `data/kto_en_demo.json` | 300 | 0 | 1 | 0 | 0 | one story prompt asked twice, reworded: true positive |",
      "| LLaMA-Factory `data/dpo_en_demo.json` (as preference) | 300 | 0 | 0 | 0 | 0 | clean |",
      "| LLaMA-Factory `data/c4_demo.jsonl` (web text) | 300 | 0 | 0 | 0 | 0 | clean |",
      "| FastChat `data/dummy_conversation.json` | 500 | 0 | 263 | 106 | 19 | generated from a few templates: true positives |",
      "| OpenAI cookbook `examples/data/toy_chat_fine_tuning.jsonl` | 5 | 0 | 0 | 0 | 0 | clean |",
      "",
      "False positives appear on templated data (WikiSQL: the table and column list repeats, only the question",
      "changes): 4 in 1,200 MLX WikiSQL records. On natural data (Alpaca, CoQA, C4, Together's sample) there are none. A near pair",
      "below 0.8 exact similarity is a MinHash estimate error (16-byte sketch: standard error about 0.05); most such pairs",
      "are still paraphrases. Raise `threshold` (for example to 0.9) for fewer, surer findings.",
    ].join("\n"),
    since: "0.2.0",
  },
  latin1View: "safe",
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
