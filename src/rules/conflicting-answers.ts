import { locatePointer } from "../io/json-text.js";
import { EntryTable, Paged32 } from "./utils/line-index.js";
import { exampleDigest } from "./utils/example-text.js";
import { decodedOffset } from "./utils/view.js";
import { defineRule } from "./types.js";

/** Words: [promptHi, promptLo, answerHash, answerIndex + 1 (0 = completion), column]. */
const WORDS = 5;

export default defineRule({
  meta: {
    id: "conflicting-answers",
    severity: "warning",
    description: "Warn when an example repeats an earlier prompt with a different answer.",
    messages: {
      conflict: "Same prompt as line {{firstLine}} but a different answer: the model is taught two answers to one question.",
    },
    scope: "file",
    formats: ["conversation", "instruction"],
    docs: [
      "The prompt is everything before the last assistant message (system, user and tool messages, and earlier turns), or the",
      "`prompt` of an instruction example; the answer is that last assistant message (its text and tool calls) or the",
      "`completion`. Both are compared after Unicode NFKC, case and white-space normalisation. When a prompt repeats an",
      "earlier one with another answer, the later example is reported at its answer, naming the first line with that prompt.",
      "",
      'For example, `{"prompt": "Capital of Australia?", "completion": "Canberra."}` followed by',
      '`{"prompt": "capital of  Australia?", "completion": "Sydney."}` reports the second line at its `completion`.',
      "",
      "Contradictory labels make training noisy: the model learns to hedge between the answers, or picks one at random.",
      "Keep one answer (or make the prompts differ, e.g. with the context that decides the answer). The same prompt with the",
      "same answer is a duplicate, not a conflict (see `duplicate-example` and `near-duplicate`).",
      "",
      "DPO (preference) files are exempt: two answers to one prompt is what they are made of; so are files checked with",
      "`--method dpo`, and `text` (general) examples, which have no prompt. The index keeps about 15 bytes per distinct",
      "prompt (52 bits of the prompt's hash and 12 of the answer's in 8 bytes, plus a 4-byte table slot kept at most",
      "3/4 full), never the text.",
      "",
      "On public example datasets: none in Alpaca (999 records), Together's sample and CoQA files, C4 or the MLX",
      'WikiSQL files; 2 in LLaMA-Factory `identity.json` ("Who are you?" with two wordings of the answer), 28 of 300 in',
      "`glaive_toolcall_en_demo.json` (one conversation continued differently), and 1,343 of 1,800 in MLX",
      "`wwdc25/data/train.jsonl`, which trains each question with several reworded answers on purpose. The rule cannot",
      "tell a rewording from a contradiction: where several wordings are intended, turn it off for that file",
      "(`--rule conflicting-answers=off`).",
    ].join("\n"),
    examples: {
      good: [
        '{"prompt": "Capital of Australia?", "completion": "Canberra."}',
        '{"prompt": "Capital of Austria?", "completion": "Vienna."}',
      ],
    },
    since: "0.2.0",
  },
  latin1View: "safe",
  create: () => {
    // Dense per line: 32 bits of the prompt's hash (the table's home), and 20 more bits of it packed with 12 bits of
    // the answer's hash (52 bits decide "same prompt"; two different answers look equal once in 4,096).
    const home = new Paged32();
    const packed = new Paged32();
    const table = new EntryTable((line) => home.get(line));
    return {
      keyWords: WORDS,
      key(ctx, words) {
        if (ctx.method === "dpo" || (ctx.format !== "conversation" && ctx.format !== "instruction")) return null;
        const t = exampleDigest(ctx.record, ctx.format, ctx.latin1);
        if (!t || !t.hasPrompt) return null;
        words[0] = t.hashes[2]!;
        words[1] = t.hashes[3]!;
        words[2] = t.hashes[4]!; // 32 bits of the answer's hash are enough
        const pointer = t.answerIndex >= 0 ? answerPointer(ctx.record, t.answerIndex) : "/completion";
        words[3] = (t.answerIndex + 1) | (pointer.endsWith("/content") || t.answerIndex < 0 ? 0 : 0x80000000);
        // The answer's column, for a merge that will not have the line (a worker's range); else merge leaves it to the
        // pointer, located only for a conflict (finding it for every record was 9% of a check).
        if (ctx.mergeLater) {
          const at = locatePointer(ctx.text, pointer).offset;
          words[4] = (ctx.latin1 ? decodedOffset(ctx.text, at) : at) + 1;
        }
        return 0;
      },
      merge({ line, words }, report) {
        const h = words[0]!;
        const p = ((words[1]! & 0xfffff000) | (words[2]! & 0xfff)) >>> 0;
        const first = table.find(h, (l) => home.get(l) === h && ((packed.get(l) ^ p) & 0xfffff000) === 0);
        if (first === 0) {
          home.set(line, h);
          packed.set(line, p);
          table.insert(h, line);
          return;
        }
        if ((packed.get(first) & 0xfff) === (p & 0xfff)) return;
        const idx = (words[3]! & 0x7fffffff) - 1;
        report({
          messageId: "conflict",
          pointer: idx >= 0 ? `/messages/${idx}${words[3]! & 0x80000000 ? "" : "/content"}` : "/completion",
          column: words[4]! || undefined,
          data: { firstLine: first },
        });
      },
    };
  },
});

// The answer's pointer: its content when the message has one, else the message (tool calls only).
function answerPointer(record: Record<string, unknown>, i: number): string {
  const m = (record.messages as unknown[])[i] as Record<string, unknown>;
  return m.content === undefined || m.content === null ? `/messages/${i}` : `/messages/${i}/content`;
}
