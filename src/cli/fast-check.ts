/**
 * The arguments of a plain `tunelint check` read without yargs: loading and running yargs (its parser, seven command
 * builders, and a search for package.json up from the working directory) cost more than the whole check of a small
 * file. This reader knows check's options exactly and accepts only arguments whose meaning is certain; for anything
 * else (--help, --version, another command, an unknown or repeated flag, a missing or odd value, `--`, numbers given
 * as file names) it answers null and main() asks yargs, so behaviour, help text and messages stay yargs' own.
 * test/cli-fast-args.test.ts parses the same argument lists with both and compares what `check` reads.
 */
import type { CheckArgs } from "./commands/check.js";
import { STDIN } from "./command.js";

type Kind = "string" | "array" | "number" | "boolean";

/** check's options (src/cli/commands/check.ts and options.ts), by every spelling this reader accepts. */
const OPTIONS: Record<string, { key: string; kind: Kind; choices?: readonly string[]; negatable?: boolean }> = {
  model: { key: "model", kind: "string" },
  method: { key: "method", kind: "string", choices: ["sft", "dpo"] },
  "max-seq-length": { key: "max-seq-length", kind: "number" },
  tokenizer: { key: "tokenizer", kind: "string" },
  "chat-template": { key: "chat-template", kind: "string" },
  "train-on-inputs": { key: "train-on-inputs", kind: "string", choices: ["auto", "true", "false"] },
  rule: { key: "rule", kind: "array" },
  config: { key: "config", kind: "string" },
  c: { key: "config", kind: "string" },
  "no-config": { key: "no-config", kind: "boolean" },
  "max-warnings": { key: "max-warnings", kind: "number" },
  "max-line-bytes": { key: "max-line-bytes", kind: "number" },
  "max-findings-per-rule": { key: "max-findings-per-rule", kind: "number" },
  jobs: { key: "jobs", kind: "number" },
  j: { key: "jobs", kind: "number" },
  quiet: { key: "quiet", kind: "boolean" },
  q: { key: "quiet", kind: "boolean" },
  format: { key: "format", kind: "array" },
  f: { key: "format", kind: "array" },
  "output-file": { key: "output-file", kind: "array" },
  o: { key: "output-file", kind: "array" },
  "stdin-filename": { key: "stdin-filename", kind: "string" },
  staged: { key: "staged", kind: "boolean" },
  "validation-file": { key: "validation-file", kind: "string" },
  "error-on-unmatched-pattern": { key: "error-on-unmatched-pattern", kind: "boolean", negatable: true },
  color: { key: "color", kind: "boolean", negatable: true },
  progress: { key: "progress", kind: "boolean", negatable: true },
  epochs: { key: "epochs", kind: "number" },
};

/** Names yargs would read as a command (or that it treats specially) rather than as a file to check. */
const NOT_FILES = new Set(["check", "rules", "upload", "hook", "models", "fix", "convert", "help", "completion", "version"]);

/** What yargs-parser reads as a number (its looksLikeNumber): such a positional might not stay a string. */
const NUMBER_LIKE = /^0x[0-9a-f]+$|^[-]?(?:\d+(?:\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

/** A plain value: not empty, not a flag, no surrounding space (yargs might read those differently). */
const plainValue = (v: string | undefined): v is string =>
  v !== undefined && v !== "" && !v.startsWith("-") && v.trim() === v && !v.includes("\n");

/**
 * check's arguments (after pairOutputArgs) as yargs would parse them, or null when they are not certainly plain.
 * "-" becomes STDIN, as main() does before yargs.
 */
export function fastCheckArgs(rawArgs: readonly string[]): CheckArgs | null {
  const args = rawArgs.map((a) => (a === "-" ? STDIN : a));
  const argv: Record<string, unknown> = { "error-on-unmatched-pattern": true, progress: true };
  const seen = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("-")) {
      if (a !== STDIN && (NUMBER_LIKE.test(a) || !plainValue(a))) return null;
      positionals.push(a);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq > 0 ? a.slice(eq + 1) : undefined;
    } else if (a.length === 2) name = a.slice(1);
    else return null; // -qj2, -fjson, -1 ...: yargs' short-option groups
    let spec = OPTIONS[name];
    let value: unknown;
    if (!spec && name.startsWith("no-")) {
      const base = OPTIONS[name.slice(3)];
      if (!base?.negatable || inline !== undefined) return null;
      spec = base;
      value = false;
    } else if (!spec || (a.length === 2 && name.length > 1)) return null;
    else if (spec.kind === "boolean") {
      if (inline !== undefined) return null;
      value = true;
    } else {
      const v = inline ?? args[++i];
      if (!plainValue(v) || v === STDIN) return null;
      if (spec.choices && !spec.choices.includes(v)) return null;
      if (spec.kind === "number") {
        if (!/^(0|[1-9][0-9]{0,14})$/.test(v)) return null;
        value = Number(v);
      } else value = v;
    }
    if (spec.kind === "array") {
      ((argv[spec.key] ??= []) as unknown[]).push(value);
      continue;
    }
    if (seen.has(spec.key)) return null; // yargs turns a repeated flag into an array
    seen.add(spec.key);
    argv[spec.key] = value;
  }
  if (seen.has("config") && seen.has("no-config")) return null;
  // yargs picks the command before it knows check's options (a flag before it may take the next word as its
  // value), so only a leading "check" is certainly the command; any other command-like word goes to yargs.
  if (args[0] === "check") positionals.shift();
  if (positionals.some((p) => NOT_FILES.has(p))) return null;
  argv.files = positionals;
  return argv as CheckArgs;
}
