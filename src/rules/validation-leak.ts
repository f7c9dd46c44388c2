import { FP_WORDS, NearIndex, Paged16, Paged32 } from "./utils/line-index.js";
import { fingerprint } from "./utils/fingerprint.js";
import { defineRule } from "./types.js";

/** The run's index of training examples (in the cross-file store). */
interface TrainingIndex {
  index: NearIndex;
  entries: number;
  files: string[];
  fileOf: Paged16;
  lineOf: Paged32;
}

export default defineRule({
  meta: {
    id: "validation-leak",
    severity: "error",
    description: "Report validation examples that repeat a training example, exactly or nearly (with --validation-file).",
    messages: {
      exact:
        "Validation example repeats training example {{trainingFile}}:{{trainingLine}} exactly: it measures memory, not generalisation.",
      normalized:
        "Validation example repeats training example {{trainingFile}}:{{trainingLine}} after Unicode, case and white-space normalisation.",
      near: "Validation example nearly repeats training example {{trainingFile}}:{{trainingLine}} (estimated Jaccard similarity {{similarity}}).",
    },
    scope: "file",
    defaultOptions: { threshold: 0.8, minWords: 10 },
    docs: [
      "Runs when a validation file is given: `tunelint check train.jsonl --validation-file val.jsonl`, `upload ...",
      "--validation-file val.jsonl`, or the library option `validationFile`. Every training file of the run is indexed",
      "(after normalisation, with the same MinHash sketch as `near-duplicate`); the validation file is checked after them,",
      "and each of its examples that repeats a training example is reported on the validation file's line, naming the",
      "training file and line.",
      "",
      "A validation example the model was trained on makes the validation loss a measure of memorisation: it falls while",
      "the model gets no better at unseen data, and early stopping or checkpoint choice is misled. Remove the example from",
      "one of the two files (usually from validation, replacing it with a fresh one).",
      "",
      "Matches are exact (the same line), normalised (the same texts after Unicode NFKC, case and white-space",
      "normalisation) or near (estimated Jaccard similarity of word 3-shingles at least `threshold`; texts shorter than",
      "`minWords` words only match when normalised-equal), as documented for `near-duplicate`. The training index keeps",
      "about 72 bytes per distinct training example (the near-duplicate index plus its file and line).",
      "",
      "On public train/validation pairs: MLX `lora/data` (WikiSQL) `train.jsonl` against `valid.jsonl` and against",
      "`test.jsonl`: no finding (100 records each). MLX `wwdc25/data` `train.jsonl` (1,800) against `valid.jsonl` (144):",
      "16 validation examples repeat a training example exactly or after normalisation and 44 nearly (the same question",
      "with its answer reworded): that validation split was cut from a paraphrase-augmented set, so 60 of its 144",
      "examples were trained on.",
    ].join("\n"),
    since: "0.2.0",
  },
  latin1View: "safe",
  create: ({ options, crossFile }) => {
    // Without a validation file in the run there is nothing to compare: keys are skipped (null), nothing is kept.
    if (!crossFile) return { key: () => null, merge() {} };
    const threshold = Number(options.threshold ?? 0.8);
    const minWords = Number(options.minWords ?? 10);
    const store = crossFile.store;
    const key = (ctx: Parameters<typeof fingerprint>[0], words: Uint32Array) => (fingerprint(ctx, minWords, words) ? 0 : null);
    if (!store) return { keyWords: FP_WORDS, key, merge() {} }; // a worker thread: keys only
    let t = store.get("validation-leak") as TrainingIndex | undefined;
    if (!t) {
      t = { index: new NearIndex(), entries: 0, files: [], fileOf: new Paged16(), lineOf: new Paged32() };
      store.set("validation-leak", t);
    }
    const training = t;
    if (crossFile.role === "training") {
      const fileIndex = training.files.push(crossFile.path) - 1;
      return {
        keyWords: FP_WORDS,
        key,
        merge({ line, words }) {
          const m = training.index.match(words, threshold);
          if (m && m.kind !== "near") return; // the same text is already indexed (its first line is named)
          const entry = ++training.entries;
          training.index.add(entry, words);
          training.fileOf.set(entry, fileIndex);
          training.lineOf.set(entry, line);
        },
      };
    }
    return {
      keyWords: FP_WORDS,
      key,
      merge({ words }, report) {
        const m = training.index.match(words, threshold);
        if (!m) return;
        const data = {
          trainingFile: training.files[training.fileOf.get(m.entry)] ?? "",
          trainingLine: training.lineOf.get(m.entry),
          ...(m.kind === "near" ? { similarity: m.similarity.toFixed(2) } : {}),
        };
        report({ messageId: m.kind, pointer: "", column: 1, data });
      },
    };
  },
});
