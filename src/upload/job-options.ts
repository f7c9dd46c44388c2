/**
 * The fine-tune job's options, declared once: this table feeds the `upload` command's flags (yargs), their
 * validation, the body of POST /v1/fine-tunes (and of the price estimate), and the resume command printed after a
 * failure. Adding an option is one row here.
 */

import type { TrainOnInputs } from "../types.js";

/** The job settings a user can give (camelCase; the CLI flag and the API field are in the table). */
export interface JobSettings {
  epochs?: number;
  checkpoints?: number;
  evals?: number;
  batchSize?: number | "max";
  learningRate?: number;
  lora?: boolean;
  loraRank?: number;
  trainOnInputs?: TrainOnInputs;
  warmupRatio?: number;
  suffix?: string;
}

export interface JobOption {
  key: keyof JobSettings;
  /** The CLI flag, without dashes. */
  flag: string;
  /** How yargs reads it (values are validated by `parse`, never by yargs). */
  type: "number" | "string" | "boolean";
  describe: string;
  default?: boolean;
  /** The top-level field of the API body, for plain options (lora, lora-rank and train-on-inputs are composite). */
  api?: string;
  /** Validates and converts a value as given (from yargs, or a library caller); throws an Error whose message says why. */
  parse(raw: unknown): JobSettings[keyof JobSettings];
  /** The flag and value(s) that reproduce this setting in a resume command; [] for a default. */
  resume(value: NonNullable<JobSettings[keyof JobSettings]>): string[];
}

function integer(flag: string, min: 0 | 1) {
  return (raw: unknown): number => {
    const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min) {
      throw new Error(`--${flag} must be ${min === 0 ? "a non-negative" : "a positive"} integer, not ${JSON.stringify(raw)}`);
    }
    return n;
  };
}

function number(flag: string, check: (n: number) => boolean, what: string) {
  return (raw: unknown): number => {
    const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (typeof n !== "number" || !Number.isFinite(n) || !check(n)) throw new Error(`--${flag} must be ${what}, not ${JSON.stringify(raw)}`);
    return n;
  };
}

const plain = (flag: string) => (v: unknown) => [`--${flag}`, String(v)];

export const JOB_OPTIONS: readonly JobOption[] = [
  {
    key: "epochs",
    flag: "epochs",
    type: "number",
    api: "n_epochs",
    describe: "Number of epochs (n_epochs)",
    parse: integer("epochs", 1),
    resume: plain("epochs"),
  },
  {
    key: "checkpoints",
    flag: "checkpoints",
    type: "number",
    api: "n_checkpoints",
    describe: "Checkpoints to save (n_checkpoints)",
    parse: integer("checkpoints", 1),
    resume: plain("checkpoints"),
  },
  {
    key: "evals",
    flag: "evals",
    type: "number",
    api: "n_evals",
    describe: "Evaluations on the validation file (n_evals)",
    parse: integer("evals", 0),
    resume: plain("evals"),
  },
  {
    key: "batchSize",
    flag: "batch-size",
    type: "string",
    api: "batch_size",
    describe: "Batch size: a number or 'max'",
    parse: (raw) => {
      if (raw === "max") return "max";
      const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
      if (typeof n !== "number" || !Number.isInteger(n) || n < 1)
        throw new Error(`--batch-size must be a positive integer or "max", not ${JSON.stringify(raw)}`);
      return n;
    },
    resume: plain("batch-size"),
  },
  {
    key: "learningRate",
    flag: "learning-rate",
    type: "number",
    api: "learning_rate",
    describe: "Learning rate",
    parse: number("learning-rate", (n) => n > 0, "a positive number"),
    resume: plain("learning-rate"),
  },
  {
    key: "lora",
    flag: "lora",
    type: "boolean",
    default: true,
    describe: "LoRA fine-tuning (--no-lora for full fine-tuning)",
    parse: (raw) => {
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "false") return raw === "true";
      throw new Error(`--lora is a switch (--lora or --no-lora), not ${JSON.stringify(raw)}`);
    },
    resume: (v) => (v === false ? ["--no-lora"] : []),
  },
  {
    key: "loraRank",
    flag: "lora-rank",
    type: "number",
    describe: "LoRA rank (default: the model's maximum)",
    parse: integer("lora-rank", 1),
    resume: plain("lora-rank"),
  },
  {
    key: "trainOnInputs",
    flag: "train-on-inputs",
    type: "string",
    describe: "Train on the inputs too: auto (Together's default), true or false (SFT's train_on_inputs)",
    parse: (raw) => {
      if (raw === "auto" || raw === true || raw === false) return raw;
      if (raw === "true" || raw === "false") return raw === "true";
      throw new Error(`--train-on-inputs must be auto, true or false, not ${JSON.stringify(raw)}`);
    },
    resume: plain("train-on-inputs"),
  },
  {
    key: "warmupRatio",
    flag: "warmup-ratio",
    type: "number",
    api: "warmup_ratio",
    describe: "Warm-up ratio (0 to 1)",
    parse: number("warmup-ratio", (n) => n >= 0 && n <= 1, "a number from 0 to 1"),
    resume: plain("warmup-ratio"),
  },
  {
    key: "suffix",
    flag: "suffix",
    type: "string",
    api: "suffix",
    describe: "Suffix of the fine-tuned model's name",
    parse: (raw) => {
      if (typeof raw !== "string" || raw.trim() === "") throw new Error(`--suffix must be a non-empty string`);
      return raw;
    },
    resume: plain("suffix"),
  },
];

/** Validates every given setting; returns the settings, or the first problem's message. */
export function parseJobSettings(raw: Partial<Record<keyof JobSettings, unknown>>): { settings: JobSettings } | { problem: string } {
  const settings: JobSettings = {};
  for (const o of JOB_OPTIONS) {
    const v = raw[o.key];
    if (v === undefined) continue;
    try {
      (settings as Record<string, unknown>)[o.key] = o.parse(v);
    } catch (e) {
      return { problem: (e as Error).message };
    }
  }
  return { settings };
}

/** The plain fields of the API body (n_epochs, batch_size, ...) from the settings. */
export function plainApiFields(settings: JobSettings): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const o of JOB_OPTIONS) {
    const v = settings[o.key];
    if (o.api && v !== undefined) body[o.api] = v;
  }
  return body;
}

/** The flags that reproduce the settings (for a resume command). */
export function resumeFlags(settings: JobSettings): string[] {
  const out: string[] = [];
  for (const o of JOB_OPTIONS) {
    const v = settings[o.key];
    if (v !== undefined) out.push(...o.resume(v as NonNullable<typeof v>));
  }
  return out;
}
